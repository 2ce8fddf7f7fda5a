import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { orgOfUser, setClock } from '../tasks/helpers.js';

let sys: TestSystem;
let admin: Client;
let county1: Client;
let town1: Client;
let county1Org: number;
let town1Org: number;
let schemeId: number;
let runId: number;

const SCHEME = {
  name: '县总工会乡镇工会考核（测试）',
  periodType: 'quarter',
  orgTypes: ['union'],
  orgLevels: ['township'],
  definition: {
    groups: [
      { code: 'G1', name: '维权服务', weight: 70 },
      { code: 'G2', name: '组织建设', weight: 30 },
    ],
    items: [
      {
        code: 'S1',
        group: 'G1',
        name: '满意率',
        kind: 'computed',
        weight: 100,
        indicator: 'appeals.satisfaction_rate',
        curve: { zero: 60, full: 100 },
      },
      { code: 'M1', group: 'G2', name: '组织建设', kind: 'manual', weight: 100 },
    ],
    adjustments: [
      { code: 'D1', name: '逾期任务', kind: 'deduction', indicator: 'tasks.overdue', perUnit: 2, max: 6 },
    ],
    vetoes: [{ code: 'V1', name: '弄虚作假', indicator: null }],
  },
};

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  town1 = await sys.login('town1.union');
  county1Org = await orgOfUser(sys, 'county1.union');
  town1Org = await orgOfUser(sys, 'town1.union');
  await setClock(admin, '2026-12-03T09:00:00');
  county1 = await sys.login('county1.union');
  town1 = await sys.login('town1.union');
});
afterAll(() => sys?.close());

describe('the demo scheme', () => {
  it("is computed for last year; results answer the stable contract within the caller's scope", async () => {
    const s = await county1.get('/api/assessments/schemes');
    expect(s.status).toBe(200);
    expect(s.body.items.map((x: { name: string }) => x.name)).toContain('工会工作年度考核');
    const year = String(new Date().getFullYear() - 1);
    const all = await admin.get(`/api/assessments/results?period=${year}`);
    expect(all.status).toBe(200);
    expect(all.body.items.length).toBeGreaterThan(10);
    for (const r of all.body.items) {
      expect(Object.keys(r).sort()).toEqual(['grade', 'orgId', 'orgName', 'rank', 'score', 'vetoed']);
      if (r.vetoed) expect(r.grade).toBeNull();
    }
    const five = all.body.items.filter((r: { grade: string }) => r.grade === '5').length;
    expect(five).toBeLessThanOrEqual(
      Math.floor(all.body.items.filter((r: { vetoed: boolean }) => !r.vetoed).length * 0.2),
    );
    const mine = await county1.get(`/api/assessments/results?period=${year}`);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.length).toBeLessThan(all.body.items.length);
    const paths = await sys.db.query<{ id: number }>(
      sql`SELECT id FROM orgs WHERE path LIKE (SELECT path FROM orgs WHERE id = ${county1Org}) || '%'`,
    );
    const inside = new Set(paths.map((p) => p.id));
    for (const r of mine.body.items) expect(inside.has(r.orgId)).toBe(true);
  });
});

describe('a scheme defined as data', () => {
  it('refuses weights that do not add up to 100, an unknown indicator, a flat curve', async () => {
    const bad = structuredClone(SCHEME);
    bad.definition.groups[1]!.weight = 20;
    const r = await county1.post('/api/assessments/schemes', bad);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('100');
    const bad2 = structuredClone(SCHEME);
    bad2.definition.items[0]!.indicator = 'appeals.nonsense';
    expect((await county1.post('/api/assessments/schemes', bad2)).status).toBe(400);
    const bad3 = structuredClone(SCHEME);
    bad3.definition.items[0]!.curve = { zero: 80, full: 80 };
    expect((await county1.post('/api/assessments/schemes', bad3)).status).toBe(400);
  });

  it('is created, computed for a period of its type only', async () => {
    const r = await county1.post('/api/assessments/schemes', SCHEME);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    schemeId = r.body.id;
    expect((await county1.post(`/api/assessments/schemes/${schemeId}/runs`, { period: '2026' })).status).toBe(
      400,
    );
    const run = await county1.post(`/api/assessments/schemes/${schemeId}/runs`, { period: '2026-Q3' });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    runId = run.body.id;
    expect(run.body.units).toBeGreaterThan(1);
    expect(run.body.status).toBe('self_eval');
  });
});

describe('a run through its flow', () => {
  it('takes a self-assessment from the unit and a review with a reason for the difference from above', async () => {
    const ex = (await town1.get(`/api/assessments/runs/${runId}/units/${town1Org}`)).body;
    const self = await town1.request('PUT', `/api/assessments/runs/${runId}/scores/${town1Org}`, {
      kind: 'self',
      scores: { M1: { score: 90, evidence: '台账' } },
      version: ex.version,
    });
    expect(self.status, JSON.stringify(self.body)).toBe(200);
    expect(
      (
        await town1.request('PUT', `/api/assessments/runs/${runId}/scores/${town1Org}`, {
          kind: 'review',
          scores: { M1: { score: 70 } },
          version: self.body.version,
        })
      ).status,
    ).toBe(403);
    const noReason = await county1.request('PUT', `/api/assessments/runs/${runId}/scores/${town1Org}`, {
      kind: 'review',
      scores: { M1: { score: 70 } },
      version: self.body.version,
    });
    expect(noReason.status).toBe(400);
    const rev = await county1.request('PUT', `/api/assessments/runs/${runId}/scores/${town1Org}`, {
      kind: 'review',
      scores: { M1: { score: 70, reason: '阵地建设不达标' }, V1: { score: 1, reason: '会员数据造假' } },
      version: self.body.version,
    });
    expect(rev.status, JSON.stringify(rev.body)).toBe(200);
    expect(rev.body.vetoed).toBe(true);
    expect(rev.body.grade).toBeNull();
    const stale = await county1.request('PUT', `/api/assessments/runs/${runId}/scores/${town1Org}`, {
      kind: 'review',
      scores: { M1: { score: 75, reason: 'x' } },
      version: self.body.version,
    });
    expect(stale.status).toBe(409);
  });

  it('explains a score: the formula, the curve, the inputs and the appeals behind the indicator', async () => {
    const ex = (await county1.get(`/api/assessments/runs/${runId}/units/${town1Org}`)).body;
    const s1 = ex.items.find((i: { code: string }) => i.code === 'S1');
    expect(s1.indicator.formula).toContain('满意');
    expect(s1.curve).toEqual({ zero: 60, full: 100 });
    expect(Object.keys(s1.inputs).sort()).toEqual(['rated', 'satisfied']);
    expect(
      s1.records.every(
        (r: { type: string; href: string }) => r.type === 'appeal' && r.href.startsWith('/appeals/'),
      ),
    ).toBe(true);
    const m1 = ex.items.find((i: { code: string }) => i.code === 'M1');
    expect(m1).toMatchObject({ source: 'review', score: 70, points: 21 });
    expect(ex.vetoes.find((v: { code: string }) => v.code === 'V1').hit).toBe(true);
  });

  it('closes, computes again to the same numbers, and records a later correction', async () => {
    const run = (await county1.get(`/api/assessments/runs/${runId}`)).body;
    const closed = await county1.post(`/api/assessments/runs/${runId}/actions/close`, {
      version: run.version,
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const before = (await county1.get(`/api/assessments/results?schemeId=${schemeId}&period=2026-Q3`)).body
      .items;
    // new data after the close does not move a closed run
    await sys.db.query(
      sql`UPDATE appeals SET satisfaction = 'very_unsatisfied' WHERE satisfaction IS NOT NULL`,
    );
    const again = await county1.post(`/api/assessments/schemes/${schemeId}/runs`, { period: '2026-Q3' });
    expect(again.body.id).toBe(runId);
    const after = (await county1.get(`/api/assessments/results?schemeId=${schemeId}&period=2026-Q3`)).body
      .items;
    expect(after).toEqual(before);
    const other = before.find((r: { orgId: number; vetoed: boolean }) => r.orgId !== town1Org && !r.vetoed);
    const fix = await county1.post(`/api/assessments/runs/${runId}/corrections`, {
      orgId: other.orgId,
      item: 'tasks.overdue',
      value: 3,
      reason: '补录逾期任务',
    });
    expect(fix.status, JSON.stringify(fix.body)).toBe(200);
    expect(fix.body.corrections).toEqual([
      expect.objectContaining({ item: 'tasks.overdue', after: 3, reason: '补录逾期任务' }),
    ]);
    expect(fix.body.deduction).toBe(6);
    expect(fix.body.score).toBeCloseTo(other.score - 6 + (fix.body.deduction - 6), 5);
  });

  it('publishes only after the publicity period of working days', async () => {
    let run = (await county1.get(`/api/assessments/runs/${runId}`)).body;
    const pub = await county1.post(`/api/assessments/runs/${runId}/actions/publicize`, {
      version: run.version,
    });
    expect(pub.status).toBe(200);
    expect(pub.body.publicityUntil).toBe('2026-12-10');
    expect(
      (await county1.post(`/api/assessments/runs/${runId}/actions/publish`, { version: pub.body.version }))
        .status,
    ).toBe(409);
    expect(
      (await county1.post(`/api/assessments/runs/${runId}/actions/close`, { version: pub.body.version }))
        .status,
    ).toBe(409);
    await setClock(admin, '2026-12-11T09:00:00');
    county1 = await sys.login('county1.union');
    run = (await county1.get(`/api/assessments/runs/${runId}`)).body;
    const done = await county1.post(`/api/assessments/runs/${runId}/actions/publish`, {
      version: run.version,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('published');
  });

  it('exports the ranking notice as .docx and .xlsx', async () => {
    for (const format of ['docx', 'xlsx']) {
      const x = await sys.app.inject({
        method: 'GET',
        url: `/api/assessments/runs/${runId}/export?format=${format}`,
        headers: { cookie: county1.cookie! },
      });
      expect(x.statusCode).toBe(200);
      expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    }
  });
});
