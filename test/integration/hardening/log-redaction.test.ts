import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import { redactUrl } from '../../../src/server/platform/http/redact.js';
import { type AppealWorld, appealWorld } from '../appeals/helpers.js';
import { createTestSystem, type TestSystem } from '../support/system.js';

/**
 * Issue 12, item 6: the request log (pino's JSON lines of a server listening on a real
 * port) never carries a phone, an ID number, a searched name, or what opens a public appeal.
 */
let sys: TestSystem;
let w: AppealWorld;
let base: string;
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

beforeAll(async () => {
  sys = await createTestSystem({ env: { LOG_LEVEL: 'info' }, logStream: sink });
  w = await appealWorld(sys);
  await sys.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = sys.app.server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => sys?.close());

async function loginHttp(username: string) {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo@2026!' }),
  });
  expect(r.status).toBe(200);
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
}

describe('the request log', () => {
  it('redacts the query values of personal-data parameters and keeps the rest', () => {
    expect(redactUrl('/api/persons?q=110105199001011234&page=2')).toBe('/api/persons?q=[redacted]&page=2');
    expect(redactUrl('/a?Phone=1&id_number=2&NAME=3&keyword=4&orgId=5&phone4=6')).toBe(
      '/a?Phone=[redacted]&id_number=[redacted]&NAME=[redacted]&keyword=[redacted]&orgId=5&phone4=[redacted]',
    );
    expect(redactUrl('/a?%70hone=13800000000')).toBe('/a?%70hone=[redacted]');
    expect(redactUrl('/a/b')).toBe('/a/b');
    expect(redactUrl('/api/public/appeals/84J68ZWCR9/rating')).toBe('/api/public/appeals/84********/rating');
    expect(redactUrl('/api/appeals/1234567890')).toBe('/api/appeals/1234567890');
  });

  it('of a real server shows no phone, ID number, searched name, tracking secret or SMS secret', async () => {
    const phone = '13912345678';
    const idNumber = '110105199001011234';
    const county = await loginHttp('county1.union');
    const hotline = await loginHttp('hotline');
    expect((await county('GET', `/api/persons?q=${idNumber}&page=1`)).status).toBe(200);
    expect((await county('GET', `/api/persons?q=${encodeURIComponent('王秀英')}`)).status).toBe(200);
    expect((await county('GET', `/api/appeals?q=${phone}`)).status).toBe(200);
    // the seat's lookup by phone is a POST: the number is in the body, not the URL
    const byPhone = await hotline('POST', '/api/appeals/by-phone', { phone });
    expect(byPhone.status).toBe(200);
    expect((await hotline('GET', `/api/appeals/by-phone?phone=${phone}`)).status).not.toBe(200);
    // a public appeal: its SMS goes through the log sender
    const created = await fetch(`${base}/api/public/appeals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        content: '公司拖欠工资三个月，请求帮助讨薪（日志测试）',
        group: 'worker',
        categoryCode: 'LABOR_WAGE',
        regionCode: w.town1Region,
        name: '张三',
        phone,
      }),
    });
    expect(created.status).toBe(201);
    const { trackingCode } = (await created.json()) as { trackingCode: string };
    expect((await fetch(`${base}/api/public/appeals/${trackingCode}?phone4=${phone.slice(-4)}`)).status).toBe(
      200,
    );
    const id = (
      await sys.db.query<{ id: number }>(sql`SELECT id FROM appeals WHERE tracking_code = ${trackingCode}`)
    )[0]!.id;
    const sent = async () =>
      (await sys.db.query(sql`SELECT 1 FROM appeal_messages WHERE appeal_id = ${id}`)).length === 1;
    for (let i = 0; i < 100 && !(await sent()); i++) {
      await sys.deps.jobs.relay();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await sent()).toBe(true);
    const sms = lines.filter(
      (l) => l.includes('appeal message (log sender)') && l.includes(`${trackingCode.slice(0, 2)}***-*****`),
    );
    expect(sms.length).toBeGreaterThan(0);

    const all = lines.join('\n');
    // the requests were logged (this is the real log), with their paths
    expect(all).toContain('/api/persons?q=[redacted]&page=1');
    expect(all).toContain('/api/appeals?q=[redacted]');
    expect(all).toContain('"url":"/api/appeals/by-phone"');
    for (const secret of [
      phone,
      `phone4=${phone.slice(-4)}`,
      idNumber,
      encodeURIComponent('王秀英'),
      '王秀英',
      trackingCode,
    ])
      expect(all).not.toContain(secret);
    expect(all).not.toContain(`${trackingCode.slice(0, 5)}-${trackingCode.slice(5)}`);
    // the SMS line says what was sent without what opens the lookup
    const line = JSON.parse(sms[0]!) as { to: string; body: string };
    expect(sms[0]).not.toContain(phone.slice(-4));
    expect(all).toContain(`/api/public/appeals/${trackingCode.slice(0, 2)}********?phone4=[redacted]`);
    expect(line.to).toBe('139********');
    expect(line.body).toContain(`${trackingCode.slice(0, 2)}***-*****`);
  });
});
