import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { type AppealWorld, act, appealWorld, phone4, submitPublic, uniquePhone } from './helpers.js';

let sys: TestSystem;
let w: AppealWorld;
let admin: Client;
let county1: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  w = await appealWorld(sys);
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
});
afterAll(() => sys?.close());

/** The text of one entry of a ZIP (for checking .xlsx files). */
function zipEntry(buf: Buffer, name: string): string {
  for (let i = 0; i + 30 < buf.length; ) {
    if (buf.readUInt32LE(i) !== 0x04034b50) break;
    const size = buf.readUInt32LE(i + 18);
    const nameLen = buf.readUInt16LE(i + 26);
    const extra = buf.readUInt16LE(i + 28);
    const n = buf.subarray(i + 30, i + 30 + nameLen).toString('utf8');
    const start = i + 30 + nameLen + extra;
    if (n === name) return inflateRawSync(buf.subarray(start, start + size)).toString('utf8');
    i = start + size;
  }
  throw new Error(`no ${name}`);
}

async function download(c: Client, url: string) {
  const res = await sys.app.inject({ method: 'GET', url, headers: { cookie: c.cookie! } });
  return { status: res.statusCode, headers: res.headers, body: res.rawPayload };
}

describe('statistics: the three rates', () => {
  it('moves the response, close and satisfaction rates when an appeal is signed, answered and rated', async () => {
    const before = (await county1.get('/api/appeals/stats?groupBy=all')).body.summary;
    const s = await submitPublic(sys, {}, w);
    await act(county1, s.id, 'accept');
    await act(county1, s.id, 'start');
    await act(county1, s.id, 'reply', { reply: '已处理完毕' });
    const rated = await sys.anonymous().post(`/api/public/appeals/${s.trackingCode}/rating`, {
      phone4: phone4(s.phone),
      satisfaction: 'very_satisfied',
    });
    expect(rated.status).toBe(200);
    const after = (await county1.get('/api/appeals/stats?groupBy=all')).body.summary;
    expect(after.total).toBe(before.total + 1);
    expect(after.signedInTime).toBe(before.signedInTime + 1);
    expect(after.closed).toBe(before.closed + 1);
    expect(after.rated).toBe(before.rated + 1);
    expect(after.satisfied).toBe(before.satisfied + 1);
    expect(after.satisfactionRate).not.toBeNull();
  });

  it('groups by organization, type, region, month, category and channel within scope', async () => {
    await submitPublic(sys, {}, w);
    for (const g of ['org', 'orgType', 'region', 'month', 'day', 'category', 'channel']) {
      const r = await county1.get(`/api/appeals/stats?groupBy=${g}`);
      expect(r.status, g).toBe(200);
      expect(r.body.items.length, g).toBeGreaterThan(0);
      for (const it of r.body.items) expect(it.label, g).toBeTruthy();
    }
    const byOrg = (await county1.get('/api/appeals/stats?groupBy=org')).body.items;
    expect(byOrg.map((i: { key: string }) => Number(i.key))).not.toContain(w.county2Union);
    const cats = (await county1.get('/api/appeals/stats?groupBy=category')).body.items;
    expect(cats.map((c: { key: string }) => c.key)).toContain('LABOR');
    expect((await (await sys.login('member')).get('/api/appeals/stats')).status).toBe(403);
  });
});

describe('Excel exports', () => {
  it('exports the filtered list (no personal data) and the statistics', async () => {
    const s = await submitPublic(sys, { content: '导出测试：拖欠加班费' }, w);
    const res = await download(county1, `/api/appeals/export?q=${encodeURIComponent('导出测试')}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.body.subarray(0, 2).toString()).toBe('PK');
    const sheet = zipEntry(res.body, 'xl/worksheets/sheet1.xml');
    expect(sheet).toContain(s.trackingCode);
    expect(sheet).toContain('导出测试：拖欠加班费');
    expect(sheet).not.toContain(s.phone);
    const stats = await download(county1, '/api/appeals/stats/export?groupBy=org');
    expect(stats.status).toBe(200);
    expect(zipEntry(stats.body, 'xl/worksheets/sheet1.xml')).toContain('满意率');
    expect(zipEntry(stats.body, 'xl/workbook.xml')).toContain('诉求统计');
  });
});

describe('Open311 GeoReport v2', () => {
  it('lists services and takes and reads requests with an API token', async () => {
    const services = await sys.anonymous().get('/api/open311/v2/services.json');
    expect(services.status).toBe(200);
    expect(services.body.map((s: { service_code: string }) => s.service_code)).toContain('LABOR_WAGE');
    const def = await sys.anonymous().get('/api/open311/v2/services/LABOR_WAGE.json');
    expect(def.body.attributes[0].code).toBe('group');

    const token = await admin.post('/api/auth/tokens', {
      name: 'open311',
      permissions: ['appeal:intake', 'appeal:read'],
    });
    expect(token.status).toBe(201);
    const auth = { authorization: `Bearer ${token.body.token}` };
    const form = new URLSearchParams({
      service_code: 'LABOR_WAGE',
      description: '通过Open311提交：工厂拖欠工资',
      address_id: w.town1Region,
      phone: uniquePhone(),
      'attribute[group]': 'worker',
      first_name: '明',
      last_name: '王',
    });
    const posted = await sys.app.inject({
      method: 'POST',
      url: '/api/open311/v2/requests.json',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const id = JSON.parse(posted.body)[0].service_request_id;
    const one = await sys.app.inject({
      method: 'GET',
      url: `/api/open311/v2/requests/${id}.json`,
      headers: auth,
    });
    const req = JSON.parse(one.body)[0];
    expect(req.status).toBe('open');
    expect(req.service_code).toBe('LABOR_WAGE');
    expect(req.agency_responsible).toContain('总工会');
    const list = await sys.app.inject({
      method: 'GET',
      url: `/api/open311/v2/requests.json?service_code=LABOR_WAGE&status=open`,
      headers: auth,
    });
    expect(JSON.parse(list.body).map((r: { service_request_id: string }) => r.service_request_id)).toContain(
      id,
    );
    expect((await sys.anonymous().get('/api/open311/v2/requests.json')).status).toBe(401);
    const bad = await sys.app.inject({
      method: 'POST',
      url: '/api/open311/v2/requests.json',
      headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        service_code: 'NOPE',
        description: '不存在的分类',
        address_id: w.town1Region,
        phone: uniquePhone(),
      }).toString(),
    });
    expect(bad.statusCode).toBe(400);
  });
});
