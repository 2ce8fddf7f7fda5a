import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { application, JPG, newIdNumber, orgOf, PDF, upload } from './helpers.js';

let sys: TestSystem;
let town: Client;
let county: Client;
let county2: Client;
let townOrg: number;

beforeAll(async () => {
  sys = await createTestSystem();
  town = await sys.login('town1.union');
  county = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
  townOrg = await orgOf(sys, 'town1.union');
});
afterAll(() => sys?.close());

describe('household archives', () => {
  it('files, checks, visits, reviews, announces and archives, with every step on the timeline', async () => {
    const ids = [newIdNumber(45), newIdNumber(43, true), newIdNumber(19)];
    const c = await town.post('/api/assistance/cases', application(townOrg, ids));
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body.status).toBe('applied');
    expect(c.body.level).toBe('grassroots');
    expect(c.body.members).toHaveLength(3);
    expect(c.body.members[0].idNumber).toMatch(/^\d{6}\*+\d{3}[\dX]$/);
    expect(c.body.bankAccount).toBe('**** **** 9012');
    expect(c.body.monthlyIncome).toBe(1800.5);
    expect(JSON.stringify(c.body)).not.toContain(ids[0]);
    const id = c.body.id;

    // the list of the stable contract: masked applicant, within scope
    const list = await town.get('/api/assistance/cases?status=applied');
    const row = list.body.items.find((x: { id: number }) => x.id === id);
    expect(row).toMatchObject({ applicantName: '申***', category: 'illness', status: 'applied' });
    expect(row.orgName).toBeTruthy();
    expect((await county2.get(`/api/assistance/cases/${id}`)).status).toBe(404);
    expect(
      (await county2.get('/api/assistance/cases')).body.items.some((x: { id: number }) => x.id === id),
    ).toBe(false);

    let d = (await town.post(`/api/assistance/cases/${id}/actions/initial_review`, { version: 1 })).body;
    expect(d.status).toBe('visiting');
    // the visit needs a photo and the signed authorisation
    const photo = await upload(sys, town, id, 'photo', '现场照片.jpg', JPG);
    expect(photo.status).toBe(201);
    const noAuth = await town.post(`/api/assistance/cases/${id}/visit`, {
      version: d.version,
      visitedOn: '2026-01-05',
      visitors: '王五',
      findings: '属实',
      fileIds: [photo.body.id],
    });
    expect(noAuth.status).toBe(400);
    expect(noAuth.body.error.message).toContain('授权书');
    const fake = await upload(sys, town, id, 'authorization', '授权书.pdf', JPG);
    expect(fake.status).toBe(400);
    const auth = await upload(sys, town, id, 'authorization', '授权书.pdf', PDF);
    d = (await town.get(`/api/assistance/cases/${id}`)).body;
    const v = await town.post(`/api/assistance/cases/${id}/visit`, {
      version: d.version,
      visitedOn: '2026-01-05',
      visitors: '王五、赵六',
      findings: '家中确有困难，情况属实',
      fileIds: [photo.body.id, auth.body.id],
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(v.body.status).toBe('reviewing');
    expect(v.body.visits).toHaveLength(1);

    // the grassroots staff may not review; the county may
    expect(
      (await town.post(`/api/assistance/cases/${id}/actions/approve`, { version: v.body.version })).status,
    ).toBe(403);
    // two reviewers at once: one wins, the other gets 409
    const [a, b] = await Promise.all([
      county.post(`/api/assistance/cases/${id}/actions/approve`, { version: v.body.version }),
      county.post(`/api/assistance/cases/${id}/actions/send_back`, { version: v.body.version, note: '再核' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    d = (await county.get(`/api/assistance/cases/${id}`)).body;
    if (d.status === 'visiting') {
      const p2 = await upload(sys, town, id, 'photo', '复核.jpg', JPG);
      const a2 = await upload(sys, town, id, 'authorization', '授权书2.pdf', PDF);
      d = (
        await town.post(`/api/assistance/cases/${id}/visit`, {
          version: d.version,
          visitedOn: '2026-01-06',
          visitors: '王五',
          findings: '复核属实',
          fileIds: [p2.body.id, a2.body.id],
        })
      ).body;
      d = (await county.post(`/api/assistance/cases/${id}/actions/approve`, { version: d.version })).body;
    }
    expect(d.status).toBe('publicity');
    expect(d.publicityUntil > d.publicityStart).toBe(true);
    // too early to archive
    const early = await county.post(`/api/assistance/cases/${id}/actions/archive`, { version: d.version });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toContain('公示期未满');
    // an objection during 公示 takes it back to review, with the reason
    const noReason = await county.post(`/api/assistance/cases/${id}/actions/objection`, {
      version: d.version,
    });
    expect(noReason.status).toBe(400);
    d = (
      await county.post(`/api/assistance/cases/${id}/actions/objection`, {
        version: d.version,
        note: '群众反映收入不实',
      })
    ).body;
    expect(d.status).toBe('reviewing');
    d = (await county.post(`/api/assistance/cases/${id}/actions/approve`, { version: d.version })).body;
    // the 公示 period passes on the working-day calendar
    const until = d.publicityUntil as string;
    sys.deps.clock.set(new Date(`${until}T10:00:00+08:00`));
    const county3 = await sys.login('county1.union');
    expect(
      (await county3.post(`/api/assistance/cases/${id}/actions/archive`, { version: d.version })).status,
    ).toBe(409);
    sys.deps.clock.set(new Date(new Date(`${until}T10:00:00+08:00`).getTime() + 86_400_000));
    const county4 = await sys.login('county1.union');
    const arch = await county4.post(`/api/assistance/cases/${id}/actions/archive`, { version: d.version });
    sys.deps.clock.reset();
    expect(arch.status, JSON.stringify(arch.body)).toBe(200);
    expect(arch.body.status).toBe('archived');
    const actions = arch.body.timeline.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'create',
        'initial_review',
        'file',
        'visit',
        'approve',
        'objection',
        'archive',
      ]),
    );
    for (const e of arch.body.timeline) expect(e.actorName).toBeTruthy();
    expect(arch.body.timeline.find((e: { action: string }) => e.action === 'objection').note).toBe(
      '群众反映收入不实',
    );
    // unknown transitions are refused
    expect(
      (
        await county.post(`/api/assistance/cases/${id}/actions/initial_review`, {
          version: arch.body.version,
        })
      ).status,
    ).toBe(409);
    expect(
      (await county.post(`/api/assistance/cases/${id}/actions/fly`, { version: arch.body.version })).status,
    ).toBe(400);
    // 销档 needs a reason
    expect(
      (await county.post(`/api/assistance/cases/${id}/actions/close`, { version: arch.body.version })).status,
    ).toBe(400);
  });

  it('refuses bad input with clear messages and loses nothing', async () => {
    const ids = [newIdNumber(50), newIdNumber(48, true), newIdNumber(20)];
    const bad = ids[0]!.slice(0, 17) + (ids[0]!.endsWith('0') ? '1' : '0');
    const before = (await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM assist_cases`))[0]!
      .n;
    const r1 = await town.post('/api/assistance/cases', application(townOrg, [bad, ids[1]!, ids[2]!]));
    expect(r1.status).toBe(400);
    expect(r1.body.error.message).toContain('校验位');
    expect(JSON.stringify(r1.body)).not.toContain(bad);
    const neg = application(townOrg, ids);
    (neg.members as { monthlyIncome: number }[])[1]!.monthlyIncome = -5;
    const r2 = await town.post('/api/assistance/cases', neg);
    expect(r2.status).toBe(400);
    const badBank = await town.post(
      '/api/assistance/cases',
      application(townOrg, ids, { bank: { bankName: '农行', account: '12ab' } }),
    );
    expect(badBank.status).toBe(400);
    expect(JSON.stringify(badBank.body)).not.toContain('12ab');
    expect((await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM assist_cases`))[0]!.n).toBe(
      before,
    );

    const ok = await town.post('/api/assistance/cases', application(townOrg, ids));
    expect(ok.status).toBe(201);
    // the same applicant cannot be filed twice while a record is open, from any organization
    const again = await county.post(
      '/api/assistance/cases',
      application(await orgOf(sys, 'county1.union'), ids),
    );
    expect(again.status).toBe(409);
    // income: negative, a future month, a malformed month
    const inc = (body: object) =>
      town.post(`/api/assistance/cases/${ok.body.id}/incomes`, { version: ok.body.version, ...body });
    expect((await inc({ month: '2026-01', total: -1 })).status).toBe(400);
    expect((await inc({ month: '2999-01', total: 100 })).body.error.message).toContain('未来月份');
    expect((await inc({ month: '2026-13', total: 100 })).status).toBe(400);
    const good = await inc({ month: new Date().toISOString().slice(0, 7), total: 2000 });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(good.body.incomes[0].perCapita).toBeCloseTo(666.67, 2);
    // a stale version → 409
    expect((await inc({ month: new Date().toISOString().slice(0, 7), total: 2100 })).status).toBe(409);
  });
});
