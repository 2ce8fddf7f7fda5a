import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { orgOfUser, setClock } from '../tasks/helpers.js';

let sys: TestSystem;
let admin: Client;
let county1: Client;
let county2: Client;
let town1: Client;
let county1Org: number;
let county2Org: number;
let town1Org: number;
let town2Org: number;
let formId: number;

const put = (c: Client, url: string, body: unknown) => c.request('PUT', url, body);
const q = (period: string, orgId: number) => `period=${period}&orgId=${orgId}`;

const SMALL_FORM = {
  code: 'T-01',
  name: '测试小表',
  periodType: 'month',
  orgTypes: ['union'],
  orgLevels: ['township'],
  window: { openDays: -3, dueDays: 5, graceDays: 2, lockDays: 40 },
  definition: {
    disaggregations: [
      {
        key: 'gender',
        label: '性别',
        options: [
          { code: 'M', label: '男' },
          { code: 'F', label: '女' },
        ],
      },
    ],
    cells: [
      {
        code: 'A1',
        label: '会员',
        type: 'integer',
        required: true,
        section: '会员',
        disaggregation: 'gender',
      },
      {
        code: 'A2',
        label: '其中新入会',
        type: 'integer',
        required: true,
        section: '会员',
        disaggregation: 'gender',
      },
      { code: 'A3', label: '活动经费', type: 'decimal', unit: '万元' },
    ],
    rules: [
      { code: 'E1', label: '新入会不能多于会员', expr: 'A2 <= A1', severity: 'error' },
      { code: 'W1', label: '会员少于10人', expr: 'A1 >= 10', severity: 'warning' },
      { code: 'W2', label: '人均经费过高', expr: 'A3 / A2 <= 1', severity: 'warning' },
    ],
  },
};

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
  town1 = await sys.login('town1.union');
  county1Org = await orgOfUser(sys, 'county1.union');
  county2Org = await orgOfUser(sys, 'county2.union');
  town1Org = await orgOfUser(sys, 'town1.union');
  town2Org = (
    await sys.db.query<{ id: number }>(
      sql`SELECT id FROM orgs WHERE parent_id = ${county1Org} AND id <> ${town1Org} AND level = 'township' ORDER BY id LIMIT 1`,
    )
  )[0]!.id;
  await setClock(admin, '2026-12-03T09:00:00');
});
afterAll(() => sys?.close());

describe('the demo forms', () => {
  it('lists the three shipped forms (stable contract)', async () => {
    const r = await county1.get('/api/stats/forms');
    expect(r.status).toBe(200);
    const names = r.body.items.map((f: { name: string }) => f.name);
    expect(names).toEqual(
      expect.arrayContaining(['基层工会组织和会员情况', '团组织和团员情况', '维权服务月报']),
    );
    for (const f of r.body.items) expect(Object.keys(f).sort()).toEqual(['code', 'id', 'name', 'periodType']);
  });

  it("has last year's annual union form approved in the first county, one report returned once", async () => {
    const f = (await county1.get('/api/stats/forms')).body.items.find(
      (x: { code: string }) => x.code === 'GH-01',
    );
    const year = String(new Date().getFullYear() - 1);
    const s = await county1.get(`/api/stats/forms/${f.id}/summary?${q(year, county1Org)}`);
    expect(s.status).toBe(200);
    expect(s.body.approved).toBe(s.body.expected);
    expect(s.body.expected).toBeGreaterThan(1);
    const m = s.body.cells['B4.M'];
    const w = s.body.cells['B4.F'];
    expect(s.body.cells.B4).toBe(m + w);
    const ret = await sys.db.query<{ org_id: number }>(
      sql`SELECT org_id FROM stat_reports WHERE form_id = ${f.id} AND return_count = 1`,
    );
    expect(ret.length).toBe(1);
    const h = await county1.get(`/api/stats/forms/${f.id}/report/history?${q(year, ret[0]!.org_id)}`);
    expect(h.body.items.map((e: { action: string }) => e.action)).toEqual([
      'save',
      'submit',
      'return',
      'save',
      'submit',
      'approve',
    ]);
    expect(Object.keys(h.body.items[2].cellReasons)).toEqual(['B5.M']);
  });

  it('refuses a period that does not match the form, and an organization outside the scope', async () => {
    const f = (await county1.get('/api/stats/forms')).body.items.find(
      (x: { code: string }) => x.code === 'GH-01',
    );
    const bad = await county1.get(`/api/stats/forms/${f.id}/summary?${q('2026-07', county1Org)}`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('年报');
    const garbage = await county1.get(`/api/stats/forms/${f.id}/summary?${q('2026-13', county1Org)}`);
    expect(garbage.status).toBe(400);
    const out = await county1.get(`/api/stats/forms/${f.id}/summary?${q('2025', county2Org)}`);
    expect(out.status).toBe(404);
  });
});

describe('a form defined as data', () => {
  it('refuses a rule with an unknown cell, with the position', async () => {
    const bad = structuredClone(SMALL_FORM);
    bad.definition.rules[0]!.expr = 'A2 <= A9';
    const r = await admin.post('/api/stats/forms', bad);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('A9');
    expect(r.body.error.details.problems[0].position).toMatchObject({ start: 6, end: 8 });
  });

  it('refuses a rule that divides by a constant zero and a reference to an unknown disaggregation', async () => {
    const bad = structuredClone(SMALL_FORM);
    bad.definition.rules[0]!.expr = 'A2 / 0 <= A1';
    expect((await admin.post('/api/stats/forms', bad)).status).toBe(400);
    const bad2 = structuredClone(SMALL_FORM);
    (bad2.definition.cells[0] as { disaggregation: string }).disaggregation = 'age';
    expect((await admin.post('/api/stats/forms', bad2)).status).toBe(400);
  });

  it('is created by an administrator', async () => {
    const r = await admin.post('/api/stats/forms', SMALL_FORM);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    formId = r.body.id;
    expect(r.body.formVersion).toBe(1);
  });
});

describe('a report through its flow', () => {
  const url = (org: number) => `/api/stats/forms/${formId}/report?${q('2026-11', org)}`;
  const act = (what: string, org: number) => `/api/stats/forms/${formId}/report/${what}?${q('2026-11', org)}`;

  it('refuses text in a number cell, negative counts, decimals in integers and unknown cells', async () => {
    for (const values of [{ 'A1.M': '十二' }, { 'A1.M': -1 }, { 'A1.F': 2.5 }, { Z9: 1 }]) {
      const r = await put(town1, url(town1Org), { values, version: 0 });
      expect(r.status, JSON.stringify(values)).toBe(400);
      expect(r.body.error.details.problems.length).toBeGreaterThan(0);
    }
    expect((await town1.get(url(town1Org))).body.id).toBeNull();
  });

  it('blocks submission on an error rule for one disaggregation, and keeps the values', async () => {
    const saved = await put(town1, url(town1Org), {
      values: { 'A1.M': 20, 'A1.F': 15, 'A2.M': 3, 'A2.F': 16, A3: 5 },
      version: 0,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const sub = await town1.post(act('submit', town1Org), { version: saved.body.version });
    expect(sub.status).toBe(400);
    const issues = sub.body.error.details.issues;
    expect(issues).toEqual([expect.objectContaining({ rule: 'E1', option: 'F', severity: 'error' })]);
    const again = await town1.get(url(town1Org));
    expect(again.body.values['A2.F']).toBe(16);
    expect(again.body.status).toBe('draft');
  });

  it('needs an explanation for a warning, then submits', async () => {
    const cur = (await town1.get(url(town1Org))).body;
    const saved = await put(town1, url(town1Org), {
      values: { ...cur.values, 'A2.F': 2, 'A1.F': 5 },
      version: cur.version,
    });
    expect(saved.status).toBe(200);
    const w = saved.body.issues.filter((i: { severity: string }) => i.severity === 'warning');
    expect(w.map((i: { rule: string; option: string }) => `${i.rule}:${i.option}`)).toEqual(['W1:F']);
    const no = await town1.post(act('submit', town1Org), { version: saved.body.version });
    expect(no.status).toBe(400);
    expect(no.body.error.details.reason).toBe('explain');
    const ok = await town1.post(act('submit', town1Org), {
      version: saved.body.version,
      explanations: { 'W1:F': '本单位女职工少' },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('submitted');
    expect(ok.body.onTime).toBe(true);
    const locked = await put(town1, url(town1Org), { values: { 'A1.M': 1 }, version: ok.body.version });
    expect(locked.status).toBe(409);
  });

  it('reports a rule that divides by zero at run time without losing the submission', async () => {
    const saved = await put(admin, url(town2Org), {
      values: { 'A1.M': 30, 'A1.F': 20, 'A2.M': 0, 'A2.F': 0, A3: 4 },
      version: 0,
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const w2 = saved.body.issues.find((i: { rule: string }) => i.rule === 'W2');
    expect(w2.message).toContain('除数为 0');
    const bad = await admin.post(act('submit', town2Org), { version: saved.body.version });
    expect(bad.status).toBe(400);
    const ok = await admin.post(act('submit', town2Org), {
      version: saved.body.version,
      explanations: { W2: '本月无新入会' },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('is reviewed only by the level above', async () => {
    const cur = (await county1.get(url(town1Org))).body;
    expect(cur.canReview).toBe(true);
    expect(
      (await county2.post(act('review', town1Org), { decision: 'approve', version: cur.version })).status,
    ).toBe(404);
    expect(
      (await town1.post(act('review', town1Org), { decision: 'approve', version: cur.version })).status,
    ).toBe(403);
  });

  it('is returned with a reason on a cell, corrected and resubmitted', async () => {
    const cur = (await county1.get(url(town1Org))).body;
    const r = await county1.post(act('review', town1Org), {
      decision: 'return',
      comment: '请核实',
      cellReasons: { 'A1.F': '女会员数偏少' },
      version: cur.version,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.status).toBe('returned');
    expect(r.body.cellReasons).toEqual({ 'A1.F': '女会员数偏少' });
    const mine = (await town1.get(url(town1Org))).body;
    const saved = await put(town1, url(town1Org), {
      values: { ...mine.values, 'A1.F': 12 },
      version: mine.version,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.issues).toEqual([]);
    const sub = await town1.post(act('submit', town1Org), { version: saved.body.version });
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    expect(sub.body.returnCount).toBe(1);
  });

  it('survives two reviewers at once (one wins, the other gets 409)', async () => {
    const cur = (await county1.get(url(town1Org))).body;
    const [a, b] = await Promise.all([
      county1.post(act('review', town1Org), { decision: 'approve', version: cur.version }),
      admin.post(act('review', town1Org), { decision: 'approve', version: cur.version }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const t2 = (await county1.get(url(town2Org))).body;
    expect(
      (await county1.post(act('review', town2Org), { decision: 'approve', version: t2.version })).status,
    ).toBe(200);
  });

  it('refuses editing an approved report until the level above unlocks it with a reason', async () => {
    const cur = (await town1.get(url(town1Org))).body;
    expect(cur.status).toBe('approved');
    expect((await put(town1, url(town1Org), { values: cur.values, version: cur.version })).status).toBe(409);
    expect((await county1.post(act('unlock', town1Org), { reason: '', version: cur.version })).status).toBe(
      400,
    );
    const u = await county1.post(act('unlock', town1Org), { reason: '发现漏报', version: cur.version });
    expect(u.status).toBe(200);
    expect(u.body.status).toBe('returned');
    const again = await put(town1, url(town1Org), { values: cur.values, version: u.body.version });
    expect(again.status).toBe(200);
    const sub = await town1.post(act('submit', town1Org), { version: again.body.version });
    const ap = await county1.post(act('review', town1Org), {
      decision: 'approve',
      version: sub.body.version,
    });
    expect(ap.status).toBe(200);
    const h = await town1.get(`/api/stats/forms/${formId}/report/history?${q('2026-11', town1Org)}`);
    expect(h.body.items.map((e: { action: string }) => e.action)).toContain('unlock');
    expect(h.body.items.filter((e: { action: string }) => e.action === 'save').length).toBeGreaterThanOrEqual(
      4,
    );
  });

  it('adds up approved reports in the database, drills to each child and exports the same totals', async () => {
    const s = await county1.get(`/api/stats/forms/${formId}/summary?${q('2026-11', county1Org)}`);
    expect(s.status).toBe(200);
    expect(s.body.cells['A1.M']).toBe(50);
    expect(s.body.cells['A1.F']).toBe(32);
    expect(s.body.cells.A1).toBe(82);
    expect(s.body.cells.A3).toBe(9);
    expect(s.body.approved).toBe(2);
    expect(s.body.submitted).toBe(2);
    expect(s.body.expected).toBeGreaterThan(2);
    const city = await admin.get(`/api/stats/forms/${formId}/summary?${q('2026-11', 1)}`);
    expect(city.body.cells.A1).toBe(82);
    const d = await county1.get(`/api/stats/forms/${formId}/drill?${q('2026-11', county1Org)}`);
    const t1 = d.body.items.find((i: { orgId: number }) => i.orgId === town1Org);
    expect(t1.cells.A1).toBe(32);
    const c = await county1.get(`/api/stats/forms/${formId}/completion?${q('2026-11', county1Org)}`);
    const st = new Map(c.body.items.map((i: { orgId: number; status: string }) => [i.orgId, i.status]));
    expect(st.get(town1Org)).toBe('approved');
    expect([...st.values()]).toContain('none');
    const x = await sys.app.inject({
      method: 'GET',
      url: `/api/stats/forms/${formId}/export?${q('2026-11', county1Org)}`,
      headers: { cookie: county1.cookie! },
    });
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const last = ws.getRow(ws.rowCount);
    expect(last.getCell(1).value).toBe('合计');
    const header = ws.getRow(5).values as unknown[];
    expect(header).toContain('合计');
    const nums = (last.values as unknown[]).filter((v) => typeof v === 'number');
    expect(nums).toEqual([50, 32, 82, 3, 2, 5, 9]);
    expect(Object.keys((ws as unknown as { _merges: object })._merges).length).toBeGreaterThan(3);
  });

  it('urges the units that have not reported', async () => {
    await setClock(admin, '2026-12-09T09:00:00');
    county1 = await sys.login('county1.union');
    const c = await county1.get(`/api/stats/forms/${formId}/completion?${q('2026-11', county1Org)}`);
    expect(c.body.items.some((i: { status: string }) => i.status === 'overdue')).toBe(true);
    const r = await county1.post(`/api/stats/forms/${formId}/urge?${q('2026-11', county1Org)}`);
    expect(r.status).toBe(200);
    expect(r.body.orgs).toBeGreaterThan(0);
    await setClock(admin, '2026-12-03T09:00:00');
    admin = await sys.login('admin');
    county1 = await sys.login('county1.union');
    town1 = await sys.login('town1.union');
  });

  it('a new form version leaves filled reports on theirs', async () => {
    const f = (await admin.get(`/api/stats/forms/${formId}`)).body;
    const next = structuredClone(SMALL_FORM);
    next.definition.cells.push({
      code: 'A4',
      label: '新指标',
      type: 'integer',
      required: false,
      section: '',
      disaggregation: null,
    } as never);
    const r = await put(admin, `/api/stats/forms/${formId}`, { ...next, version: f.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.formVersion).toBe(2);
    expect((await put(admin, `/api/stats/forms/${formId}`, { ...next, version: f.version })).status).toBe(
      409,
    );
    const rep = (await town1.get(url(town1Org))).body;
    expect(rep.formVersion).toBe(1);
  });
});

describe('pre-filled cells', () => {
  it("pre-fill the monthly appeals report from the platform's appeals, with the records behind them", async () => {
    const f = (await county1.get('/api/stats/forms')).body.items.find(
      (x: { code: string }) => x.code === 'WQ-01',
    );
    const rows = await sys.db.query<{ period: string }>(
      sql`SELECT period FROM stat_reports WHERE form_id = ${f.id} AND org_id = ${county1Org} ORDER BY period DESC LIMIT 1`,
    );
    expect(rows.length).toBe(1);
    const rep = (await county1.get(`/api/stats/forms/${f.id}/report?${q(rows[0]!.period, county1Org)}`)).body;
    expect(typeof rep.computed.D1).toBe('number');
    const recs = await county1.get(
      `/api/stats/forms/${f.id}/report/records?${q(rows[0]!.period, county1Org)}&cell=D1`,
    );
    expect(recs.status).toBe(200);
    expect(recs.body.items.length).toBe(Math.min(rep.computed.D1, 200));
    const o = await put(county1, `/api/stats/forms/${f.id}/report?${q(rows[0]!.period, county1Org)}`, {
      values: { ...rep.values, D1: (rep.computed.D1 ?? 0) + 5 },
      version: rep.version,
    });
    expect(o.status).toBe(400);
    const ok = await put(county1, `/api/stats/forms/${f.id}/report?${q(rows[0]!.period, county1Org)}`, {
      values: { ...rep.values, D1: (rep.computed.D1 ?? 0) + 5 },
      overrides: { D1: '含来访登记未录入系统的5件' },
      version: rep.version,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.overrides).toEqual({ D1: '含来访登记未录入系统的5件' });
  });
});
