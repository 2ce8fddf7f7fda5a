import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { newActivity, newVolunteer, orgOfUser, regionOfOrg, setClock, signUp } from './helpers.js';

let sys: TestSystem;
let admin: Client;
let county1: Client;
let county2: Client;
let org: number;
let region: string;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
  org = await orgOfUser(sys, 'county1.union');
  region = await regionOfOrg(sys, org);
  await setClock(admin, '2026-03-02T10:00:00');
});
afterAll(() => sys?.close());

const qrOf = async (shiftId: number) => (await county1.get(`/api/activity-shifts/${shiftId}/checkin`)).body;

describe('an activity from sign-up to certificate', () => {
  it('recruits on the public pages, approves, signs in and out by QR code, credits hours, certifies', async () => {
    const a = await newActivity(county1, org, region, '2026-03-10');
    const anon = sys.anonymous();
    const list = await anon.get(
      `/api/public/activities?regionCode=${region.slice(0, 4)}00000000&status=recruiting`,
    );
    expect(list.status).toBe(200);
    const item = list.body.items.find((x: { id: number }) => x.id === a.id);
    expect(item).toMatchObject({ capacity: 4, signedUp: 0, kind: '志愿服务' });
    expect(Object.keys(item).sort()).toEqual(
      ['capacity', 'endsAt', 'id', 'kind', 'orgName', 'regionCode', 'signedUp', 'startsAt', 'title'].sort(),
    );

    const v = newVolunteer();
    const wrong = await anon.post(`/api/public/activities/${a.id}/signups`, {
      shiftIds: [a.shifts[0]!.id],
      ...v,
      smsCode: '000000',
    });
    expect(wrong.status).toBe(400);
    const s = await signUp(sys, a.id, [a.shifts[0]!.id, a.shifts[1]!.id], v);
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect(s.body.signups.map((x: { status: string }) => x.status)).toEqual(['pending', 'pending']);
    const pass = s.body.pass as string;
    // the person is in the registry once, found by the keyed hash of the ID number
    await setClock(admin, '2026-03-02T10:02:00');
    const again = await signUp(sys, a.id, [a.shifts[0]!.id], v);
    expect(again.status).toBe(201);
    expect(again.body.signups[0].id).toBe(s.body.signups[0].id);
    const persons = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM persons WHERE name = ${v.name}`,
    );
    expect(persons[0]!.n).toBe(1);

    const roster = (await county1.get(`/api/activities/${a.id}/signups`)).body.items;
    expect(roster).toHaveLength(2);
    expect(roster[0].idMask).toMatch(/\*{8}/);
    const first = roster[0];
    expect((await county2.get(`/api/activities/${a.id}/signups`)).status).toBe(404);
    const ap = await county1.post(`/api/activity-signups/${first.id}/actions/approve`, {
      version: first.version,
    });
    expect(ap.status, JSON.stringify(ap.body)).toBe(200);
    const twice = await county1.post(`/api/activity-signups/${first.id}/actions/approve`, {
      version: first.version,
    });
    expect(twice.status).toBe(409);

    // sign in by the rotating QR code at the venue
    await setClock(admin, '2026-03-10T08:55:00');
    const early = await qrOf(a.shifts[0]!.id);
    await setClock(admin, '2026-03-10T08:58:30');
    const expired = await anon.post('/api/public/checkin', { pass, action: 'in', token: early.token });
    expect(expired.status).toBe(400);
    expect(expired.body.error.message).toContain('过期');
    const other = await qrOf(a.shifts[1]!.id);
    const wrongShift = await anon.post('/api/public/checkin', { pass, action: 'in', token: other.token });
    expect(wrongShift.status).toBe(409);
    expect(wrongShift.body.error.message).toContain('另一个班次');
    const outFirst = await anon.post('/api/public/checkin', {
      pass,
      action: 'out',
      token: (await qrOf(a.shifts[0]!.id)).token,
    });
    expect(outFirst.status).toBe(409);
    expect(outFirst.body.error.message).toContain('尚未签到');
    const qr = await qrOf(a.shifts[0]!.id);
    const inRes = await anon.post('/api/public/checkin', { pass, action: 'in', token: qr.token });
    expect(inRes.status, JSON.stringify(inRes.body)).toBe(200);
    const inTwice = await anon.post('/api/public/checkin', { pass, action: 'in', token: qr.token });
    expect(inTwice.status).toBe(409);
    expect(inTwice.body.error.message).toContain('重复签到');

    await setClock(admin, '2026-03-10T13:20:00');
    const out = await anon.post('/api/public/checkin', {
      pass,
      action: 'out',
      token: (await qrOf(a.shifts[0]!.id)).token,
    });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.body.hours).toBe(4); // 08:58 → 13:20 clipped to the shift: travel excluded

    const personId = first.personId as number;
    const hours = await county1.get(`/api/persons/${personId}/volunteer-hours`);
    expect(hours.body).toEqual({ total: 4, credited: 4, backfilled: 0, imported: 0, revoked: 0, stars: 0 });
    expect((await county2.get(`/api/persons/${personId}/volunteer-hours`)).status).toBe(404);

    const cert = await county1.post(`/api/persons/${personId}/volunteer-certificates`, {});
    expect(cert.status, JSON.stringify(cert.body)).toBe(201);
    const pdf = await county1.request('GET', cert.body.pdfUrl);
    expect(pdf.status).toBe(200);
    expect(String(pdf.headers['content-type'])).toContain('application/pdf');
    const bytes = String(pdf.body);
    expect(bytes.startsWith('%PDF-')).toBe(true);
    // the CJK font of the npm package is embedded (subset), so any reader shows the Chinese text
    expect(bytes).toContain('NotoSansSC');
    expect(bytes).toContain('/FontFile2');
    expect((await county2.request('GET', cert.body.pdfUrl)).status).toBe(404);
    const verify = await anon.get(`/api/public/volunteer-certificates/${cert.body.number}`);
    expect(verify.body).toMatchObject({ genuine: true, hours: 4 });
    expect(verify.body.name).not.toBe(v.name);
    const fake = await anon.get('/api/public/volunteer-certificates/ZYZM20260101FFFFFFFFFF');
    expect(fake.status).toBe(404);
    expect(fake.body.error.message).toContain('不存在');
  });

  it('keeps the ledger append-only: revocation and correction are new entries; totals follow', async () => {
    const persons = await sys.db.query<{ id: number }>(
      sql`SELECT id FROM persons ORDER BY id LIMIT 1 OFFSET 30`,
    );
    const pid = persons[0]!.id;
    const before = (await admin.get(`/api/persons/${pid}/volunteer-hours`)).body;
    const imp = await admin.post(`/api/persons/${pid}/volunteer-hours`, {
      orgId: org,
      hours: 50,
      servedOn: '2025-06-01',
      source: '某省志愿服务平台',
    });
    expect(imp.status, JSON.stringify(imp.body)).toBe(201);
    expect(imp.body.imported).toBe(before.imported + 50);
    const cor = await admin.post(`/api/volunteer-hours/${imp.body.id}/correct`, {
      hours: 40,
      reason: '原平台重复计算',
    });
    expect(cor.status, JSON.stringify(cor.body)).toBe(200);
    expect(cor.body.total).toBe(before.total + 40);
    expect(cor.body.revoked).toBe(before.revoked + 50);
    const again = await admin.post(`/api/volunteer-hours/${imp.body.id}/revoke`, { reason: '重复' });
    expect(again.status).toBe(409);
    const ledger = (await admin.get(`/api/persons/${pid}/volunteer-ledger`)).body.items;
    expect(ledger.filter((e: { kind: string }) => e.kind === 'revoked')).toHaveLength(1);
    await expect(
      sys.db.query(sql`UPDATE vol_hours SET hours = 1 WHERE id = ${imp.body.id}`),
    ).rejects.toThrow();
  });

  it('refuses bad input with clear errors and loses nothing', async () => {
    const a = await newActivity(county1, org, region, '2026-03-20', { minAge: 18 });
    const [s1] = a.shifts;
    // under the minimum age
    const kid = await signUp(sys, a.id, [s1!.id], newVolunteer('20150101'));
    expect(kid.status).toBe(400);
    expect(kid.body.error.message).toContain('18');
    // capacity 2, waiting list 2, then refused
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await signUp(sys, a.id, [s1!.id], newVolunteer()));
    expect(results.slice(0, 4).map((r) => r.body.signups?.[0]?.status)).toEqual([
      'pending',
      'pending',
      'waitlisted',
      'waitlisted',
    ]);
    expect(results[4]!.status).toBe(409);
    // a rejection moves the first on the waiting list up
    const roster = (await county1.get(`/api/activities/${a.id}/signups`)).body.items;
    const p0 = roster.find((g: { status: string }) => g.status === 'pending');
    await county1.post(`/api/activity-signups/${p0.id}/actions/reject`, {
      version: p0.version,
      reason: '人员已满',
    });
    const after = (await county1.get(`/api/activities/${a.id}/signups`)).body.items;
    expect(after.filter((g: { status: string }) => g.status === 'waitlisted')).toHaveLength(1);
    // back-fill longer than the shift
    const p1 = after.find((g: { status: string }) => g.status === 'pending');
    const ok = await county1.post(`/api/activity-signups/${p1.id}/actions/approve`, { version: p1.version });
    await setClock(admin, '2026-03-20T14:00:00');
    const long = await county1.post(`/api/activity-signups/${p1.id}/actions/backfill`, {
      version: ok.body.version,
      hours: 5,
      reason: '忘记签到',
    });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('班次时长');
    const fill = await county1.post(`/api/activity-signups/${p1.id}/actions/backfill`, {
      version: ok.body.version,
      hours: 3.5,
      reason: '忘记签到',
    });
    expect(fill.status, JSON.stringify(fill.body)).toBe(200);
    expect(fill.body.hours).toBe(3.5);
    // outside the window
    const late = await signUp(sys, a.id, [s1!.id], newVolunteer());
    expect(late.status).toBe(409);
    expect(late.body.error.message).toContain('截止');
    await setClock(admin, '2026-03-02T10:00:00');
  });

  it('the personal centre shows the member their own activities and hours; the member sees no one else', async () => {
    const member = await sys.login('member');
    const me = await member.get('/api/me/volunteer');
    expect(me.status, JSON.stringify(me.body)).toBe(200);
    expect(me.body.hours).toHaveProperty('stars');
    const others = await sys.db.query<{ id: number }>(
      sql`SELECT id FROM persons WHERE user_id IS NULL ORDER BY id LIMIT 1`,
    );
    expect((await member.get(`/api/persons/${others[0]!.id}/volunteer-hours`)).status).toBe(404);
    expect((await member.get(`/api/persons/${me.body.person.id}/volunteer-hours`)).status).toBe(200);
    const none = await member.post('/api/me/volunteer-certificates', { to: '2020-01-01' });
    expect(none.status).toBe(400);
    await admin.post(`/api/persons/${me.body.person.id}/volunteer-hours`, {
      orgId: org,
      hours: 6,
      servedOn: '2025-06-01',
      source: '原平台',
    });
    const cert = await member.post('/api/me/volunteer-certificates', {});
    expect(cert.status, JSON.stringify(cert.body)).toBe(201);
    const pdf = await member.request('GET', cert.body.pdfUrl);
    expect(pdf.status).toBe(200);
  });

  it('shows the organization tree figures and lists to-do items', async () => {
    const tree = await county1.get(`/api/volunteer-stats/tree?orgId=${org}`);
    expect(tree.status).toBe(200);
    expect(tree.body.items[0].orgId).toBe(org);
    expect(tree.body.items.reduce((n: number, r: { hours: number }) => n + r.hours, 0)).toBeGreaterThan(0);
    const todo = await county1.get('/api/me/todo');
    expect(todo.body.counts['activity.approve']).toBeGreaterThan(0);
  });

  it('signs in by the 6-digit code, flags a far position, gives no hours below the minimum share, closes with no-shows', async () => {
    const a = await newActivity(county1, org, region, '2026-04-01', {
      lat: 39.9,
      lng: 116.4,
      geofenceM: 200,
    });
    const v1 = newVolunteer();
    const v2 = newVolunteer();
    const s1 = await signUp(sys, a.id, [a.shifts[0]!.id], v1);
    const s2 = await signUp(sys, a.id, [a.shifts[0]!.id], v2);
    const roster = (await county1.get(`/api/activities/${a.id}/signups`)).body.items;
    for (const g of roster)
      await county1.post(`/api/activity-signups/${g.id}/actions/approve`, { version: g.version });
    const code6 = (await qrOf(a.shifts[0]!.id)).code6 as string;
    const anon = sys.anonymous();
    await setClock(admin, '2026-04-01T09:00:00');
    const bad = await anon.post('/api/public/checkin', {
      pass: s1.body.pass,
      action: 'in',
      code: code6 === '000000' ? '000001' : '000000',
    });
    expect(bad.status).toBe(409);
    const far = await anon.post('/api/public/checkin', {
      pass: s1.body.pass,
      action: 'in',
      code: code6,
      lat: 39.95,
      lng: 116.4,
    });
    expect(far.status, JSON.stringify(far.body)).toBe(200);
    expect(far.body.farFlag).toBe(true);
    await setClock(admin, '2026-04-01T10:00:00');
    const short = await anon.post('/api/public/checkin', {
      pass: s1.body.pass,
      action: 'out',
      code: code6,
      lat: 39.9,
      lng: 116.4,
    });
    expect(short.status).toBe(200);
    expect(short.body.hours).toBe(0);
    expect(short.body.message).toContain('60%');
    const flagged = (await county1.get(`/api/activities/${a.id}/signups`)).body.items.find(
      (g: { farFlag: boolean }) => g.farFlag,
    );
    expect(flagged.farMeters).toBeGreaterThan(5000);
    // closing: only after the end, with a summary; the one who never came is a no-show
    const detail = (await county1.get(`/api/activities/${a.id}`)).body;
    const early = await county1.post(`/api/activities/${a.id}/actions/close`, {
      version: detail.version,
      summary: '完成',
    });
    expect(early.status).toBe(409);
    await setClock(admin, '2026-04-03T10:00:00');
    const noSummary = await county1.post(`/api/activities/${a.id}/actions/close`, {
      version: detail.version,
    });
    expect(noSummary.status).toBe(400);
    const closed = await county1.post(`/api/activities/${a.id}/actions/close`, {
      version: detail.version,
      summary: '活动顺利完成',
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.phase).toBe('closed');
    const after = (await county1.get(`/api/activities/${a.id}/signups`)).body.items;
    expect(after.find((g: { personId: number }) => g.personId !== flagged.personId).noShow).toBe(true);
    expect(s2.status).toBe(201);
    await setClock(admin, '2026-03-02T10:00:00');
  });

  it('5★ needs the hours, a review and 5 working days of 公示', async () => {
    const member = await sys.login('member');
    const me = (await member.get('/api/me/volunteer')).body;
    const tooFew = await member.post('/api/me/volunteer-five-star', {});
    expect(tooFew.status).toBe(409);
    await admin.post(`/api/persons/${me.person.id}/volunteer-hours`, {
      orgId: org,
      hours: 1600,
      servedOn: '2025-01-01',
      source: '原平台',
    });
    expect((await member.get(`/api/persons/${me.person.id}/volunteer-hours`)).body.stars).toBe(4);
    const applied = await member.post('/api/me/volunteer-five-star', { statement: '长期参加助老服务' });
    expect(applied.status, JSON.stringify(applied.body)).toBe(201);
    const supervisor = await sys.login('supervisor');
    const list = (await supervisor.get('/api/volunteer-five-star')).body.items;
    const item = list.find((x: { personId: number }) => x.personId === me.person.id);
    const ok = await supervisor.post(`/api/volunteer-five-star/${item.id}/review`, {
      version: item.version,
      decision: 'approve',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await member.get(`/api/persons/${me.person.id}/volunteer-hours`)).body.stars).toBe(4);
    await setClock(admin, '2026-03-09T17:00:00');
    expect(
      (await (await sys.login('member')).get(`/api/persons/${me.person.id}/volunteer-hours`)).body.stars,
    ).toBe(4);
    await setClock(admin, '2026-03-09T18:00:00');
    expect(
      (await (await sys.login('member')).get(`/api/persons/${me.person.id}/volunteer-hours`)).body.stars,
    ).toBe(5);
    await setClock(admin, '2026-03-02T10:00:00');
  });

  it('never overbooks a shift when sign-ups arrive at once', async () => {
    const a = await newActivity(county1, org, region, '2026-05-10');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => signUp(sys, a.id, [a.shifts[0]!.id], newVolunteer())),
    );
    const statuses = results.map((r) => r.body.signups?.[0]?.status ?? r.status).sort();
    expect(statuses).toEqual([409, 'pending', 'pending', 'waitlisted', 'waitlisted'].sort());
    const shift = (await county1.get(`/api/activities/${a.id}`)).body.shifts[0];
    expect(shift).toMatchObject({ signedUp: 2, waitlisted: 2 });
    // the public list of another county does not show it
    const other = await orgOfUser(sys, 'county2.union');
    const list = await sys
      .anonymous()
      .get(`/api/public/activities?regionCode=${await regionOfOrg(sys, other)}`);
    expect(list.body.items.some((x: { id: number }) => x.id === a.id)).toBe(false);
  });

  it('applies a jurisdiction rule as data: a later, more local rule wins for its region and dates', async () => {
    const supervisor = await sys.login('supervisor');
    const bad = await supervisor.post('/api/volunteer-rules', {
      regionPrefix: region.slice(0, 6),
      validFrom: '2026-06-01',
      minShare: 0.9,
      maxDailyHours: 6,
      starThresholds: [100, 300, 200, 1000, 1500],
    });
    expect(bad.status).toBe(400);
    expect(
      (
        await county1.post('/api/volunteer-rules', {
          regionPrefix: '',
          validFrom: '2026-06-01',
          minShare: 0.5,
          maxDailyHours: 6,
          starThresholds: [1, 2, 3, 4, 5],
        })
      ).status,
    ).toBe(403);
    const rule = await supervisor.post('/api/volunteer-rules', {
      regionPrefix: region.slice(0, 6),
      validFrom: '2026-06-01',
      minShare: 0.9,
      maxDailyHours: 6,
      excludedKinds: ['culture'],
      starThresholds: [100, 300, 600, 1000, 1500],
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const run = async (day: string, kind = 'volunteer') => {
      const a = await newActivity(county1, org, region, day, { kind });
      const v = newVolunteer();
      await signUp(sys, a.id, [a.shifts[0]!.id], v);
      const g = (await county1.get(`/api/activities/${a.id}/signups`)).body.items[0];
      const ok = await county1.post(`/api/activity-signups/${g.id}/actions/approve`, { version: g.version });
      await setClock(admin, `${day}T09:00:00`);
      const inn = await county1.post(`/api/activity-signups/${g.id}/actions/sign-in`, {
        version: ok.body.version,
      });
      await setClock(admin, `${day}T12:20:00`);
      const out = await county1.post(`/api/activity-signups/${g.id}/actions/sign-out`, {
        version: inn.body.version,
      });
      await setClock(admin, '2026-03-02T10:00:00');
      return out.body.hours as number;
    };
    expect(await run('2026-05-20')).toBe(3.33); // 83 % of the shift: enough under the platform rule (60 %)
    expect(await run('2026-06-20')).toBe(0); // the regional rule from June asks 90 %
    expect(await run('2026-05-21', 'culture')).toBe(3.33);
    expect(await run('2026-06-21', 'culture')).toBe(0); // excluded kind there and then
  });

  it('lets the volunteer confirm and cancel by the pass; a cancellation moves the waiting list up', async () => {
    const a = await newActivity(county1, org, region, '2026-05-30', { needsApproval: false });
    const sid = a.shifts[0]!.id;
    const first = await signUp(sys, a.id, [sid], newVolunteer());
    await signUp(sys, a.id, [sid], newVolunteer());
    const third = await signUp(sys, a.id, [sid], newVolunteer());
    expect(first.body.signups[0].status).toBe('approved');
    expect(third.body.signups[0].status).toBe('waitlisted');
    const anon = sys.anonymous();
    const g = first.body.signups[0].id;
    expect((await anon.post(`/api/public/signups/${g}/confirm`, { pass: first.body.pass })).status).toBe(200);
    const stranger = await anon.post(`/api/public/signups/${g}/cancel`, { pass: third.body.pass });
    expect(stranger.status).toBe(404);
    const forged = await anon.post(`/api/public/signups/${g}/cancel`, { pass: 'x'.repeat(32) });
    expect(forged.status).toBe(400);
    expect((await anon.post(`/api/public/signups/${g}/cancel`, { pass: first.body.pass })).status).toBe(200);
    expect((await anon.post(`/api/public/signups/${g}/cancel`, { pass: first.body.pass })).status).toBe(409);
    const mine = await anon.post('/api/public/my-signups', { pass: third.body.pass });
    expect(mine.body.items[0].status).toBe('approved');
  });
});
