import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/server/platform/db/index.js';
import { resolveSession, sha256 } from '../../src/server/platform/sessions.js';
import { appealWorld, submitPublic } from './appeals/helpers.js';
import { demoOrgs, newIdNumber, newPhone } from './people/helpers.js';
import { upload } from './people/upload.js';
import type { Client } from './support/client.js';
import { createTestSystem, type TestSystem } from './support/system.js';

/** Issue 12, low items: NUL in input (13), no-store on revealed data (15), session activity (16), transfer races (17). */
let sys: TestSystem;
let admin: Client;
let county1: Client;
let county2: Client;
let orgs: Awaited<ReturnType<typeof demoOrgs>>;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
  orgs = await demoOrgs(sys);
});
afterAll(() => sys?.close());

const refusedNul = (r: {
  status: number;
  body: { error?: { code: string; details?: { reason?: string } } };
}) => {
  expect(r.status, JSON.stringify(r.body)).toBe(400);
  expect(r.body.error?.code).toBe('VALIDATION');
  expect(r.body.error?.details?.reason).toBe('nul');
};

describe('a NUL character in any input (item 13)', () => {
  it('is refused with 400 in the query, the path, JSON bodies (values, nested, keys) and form bodies', async () => {
    refusedNul(await county1.get(`/api/persons?q=${encodeURIComponent('张\u0000')}`));
    refusedNul(await county1.get(`/api/units?q=${encodeURIComponent('\u0000')}`));
    refusedNul(await admin.get(`/api/open311/v2/requests/${encodeURIComponent('A\u0000B')}.json`));
    const p = await county1.post('/api/persons', {
      name: '钟小北',
      idNumber: newIdNumber(33),
      orgId: orgs.town1,
    });
    refusedNul(
      await county1.patch(`/api/persons/${p.body.id}`, { version: p.body.version, address: '东街\u00001号' }),
    );
    refusedNul(
      await county1.post('/api/persons', { name: '钟\u0000', idNumber: newIdNumber(33), orgId: orgs.town1 }),
    );
    refusedNul(
      await county1.post('/api/persons', {
        name: '钟小南',
        idNumber: newIdNumber(33),
        orgId: orgs.town1,
        groups: ['worker', 'x\u0000'],
      }),
    );
    refusedNul(
      await county1.request('POST', '/api/units', '{"na\\u0000me": "x"}', {
        'content-type': 'application/json',
      }),
    );
    const form = await admin.request(
      'POST',
      '/api/open311/v2/requests.json',
      `service_code=LABOR_WAGE&description=${encodeURIComponent('拖欠工资\u0000三个月')}&phone=${newPhone()}`,
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    refusedNul(form);
    const still = await sys.db.query(sql`SELECT 1 FROM persons WHERE name LIKE '钟%' AND id <> ${p.body.id}`);
    expect(still).toHaveLength(0);
  });

  it('is refused in the file name of a multipart upload, before anything is stored', async () => {
    const before = await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM import_jobs`);
    const r = await upload(sys, county1, orgs.town1, 'a\u0000.csv', Buffer.from('姓名,身份证号\r\n'));
    refusedNul(r);
    const after = await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM import_jobs`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('Cache-Control: no-store on revealed data (item 15)', () => {
  it('answers every reveal, export and API answer with no-store', async () => {
    const w = await appealWorld(sys);
    const a = await submitPublic(sys, {}, w);
    const appeal = await admin.post(`/api/appeals/${a.id}/reveal`);
    expect(appeal.status).toBe(200);
    expect(appeal.body.phone).toBe(a.phone);
    expect(appeal.headers['cache-control']).toBe('no-store');
    const p = await county1.post('/api/persons', {
      name: '钱揭示',
      idNumber: newIdNumber(44),
      orgId: orgs.town1,
    });
    const person = await admin.post(`/api/persons/${p.body.id}/reveal`, {});
    expect(person.headers['cache-control']).toBe('no-store');
    const exported = await admin.get(`/api/persons/export?orgId=${orgs.town1}&format=csv&reveal=true`);
    expect(exported.status).toBe(200);
    expect(exported.headers['cache-control']).toBe('no-store');
    const lookup = await sys
      .anonymous()
      .get(`/api/public/appeals/${a.trackingCode}?phone4=${a.phone.slice(-4)}`);
    expect(lookup.headers['cache-control']).toBe('no-store');
    for (const url of [
      `/api/appeals/${a.id}`,
      `/api/persons/${p.body.id}`,
      '/api/me',
      '/api/users?pageSize=5',
    ])
      expect((await admin.get(url)).headers['cache-control'], url).toBe('no-store');
  });
});

describe('session activity (item 16)', () => {
  const tokenOf = (c: Client) => c.cookie!.replace(/^niudai_sid=/, '');

  it('never logs an active user out before the idle limit, with a 1-minute setting too, without a write per request', async () => {
    const c = await sys.login('supervisor');
    const token = tokenOf(c);
    const start = (
      await sys.db.query<{ last_seen_at: Date }>(
        sql`SELECT last_seen_at FROM sessions WHERE id = ${sha256(token)}`,
      )
    )[0]!.last_seen_at.getTime();
    const at = (s: number) => new Date(start + s * 1000);
    // a request every 50 s for ten minutes, with the idle limit at one minute
    for (let s = 50; s <= 600; s += 50)
      expect(await resolveSession(sys.db, token, at(s), 1), `at ${s} s`).not.toBeNull();
    // a request a few seconds after a recorded one writes nothing
    const seen = async () =>
      (
        await sys.db.query<{ last_seen_at: Date }>(
          sql`SELECT last_seen_at FROM sessions WHERE id = ${sha256(token)}`,
        )
      )[0]!.last_seen_at.getTime();
    const recorded = await seen();
    expect(await resolveSession(sys.db, token, at(605), 1)).not.toBeNull();
    expect(await seen()).toBe(recorded);
    // idle: still in just before a minute after the last request, out after the limit and the write interval
    expect(await resolveSession(sys.db, token, at(605 + 59), 1)).not.toBeNull();
    expect(await resolveSession(sys.db, token, at(605 + 59 + 76), 1)).toBeNull();
  });

  it('with the 30-minute setting, a user active every 29 minutes stays in for hours', async () => {
    const c = await sys.login('hotline');
    const token = tokenOf(c);
    const t0 = Date.now();
    for (let m = 29; m <= 29 * 20; m += 29)
      expect(
        await resolveSession(sys.db, token, new Date(t0 + m * 60_000), 30),
        `at ${m} min`,
      ).not.toBeNull();
    expect(await resolveSession(sys.db, token, new Date(t0 + (29 * 20 + 32) * 60_000), 30)).toBeNull();
  });
});

describe('transfer races (item 17)', () => {
  it('one approval wins; the others, and a late rejection or cancel, get 409', async () => {
    const p = await county1.post('/api/persons', {
      name: '竞态转接',
      idNumber: newIdNumber(37),
      orgId: orgs.town1,
      membership: {},
    });
    const t = await county1.post('/api/transfers', {
      membershipId: p.body.memberships[0].id,
      toOrgId: orgs.town2,
    });
    expect(t.status).toBe(201);
    const approvals = await Promise.all(
      Array.from({ length: 6 }, () =>
        county2.post(`/api/transfers/${t.body.id}/approve`, { version: t.body.version }),
      ),
    );
    const codes = approvals.map((r) => r.status).sort();
    expect(codes).toEqual([200, 409, 409, 409, 409, 409]);
    for (const r of approvals.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('CONFLICT');
    const late = await Promise.all([
      county2.post(`/api/transfers/${t.body.id}/reject`, { version: t.body.version, note: '晚了' }),
      county1.post(`/api/transfers/${t.body.id}/cancel`, { version: t.body.version }),
    ]);
    expect(late.map((r) => r.status)).toEqual([409, 409]);
    const live = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM memberships WHERE person_id = ${p.body.id} AND status = 'active'`,
    );
    expect(live[0]!.n).toBe(1);
  });
});
