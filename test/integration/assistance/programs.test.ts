import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { application, archivedCase, newIdNumber, orgOf } from './helpers.js';

let sys: TestSystem;
let admin: Client;
let town: Client;
let county: Client;
let county2: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  town = await sys.login('town1.union');
  county = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
});
afterAll(() => sys?.close());

describe('the demo city', () => {
  it('has archived households in two counties, a disbursed 送温暖 cycle and a 金秋助学 cycle with one duplicate warning', async () => {
    const c1 = await county.get('/api/assistance/cases?status=archived');
    const c2 = await county2.get('/api/assistance/cases?status=archived');
    expect(c1.body.total).toBeGreaterThan(0);
    expect(c2.body.total).toBeGreaterThan(0);
    expect(
      c1.body.items.some((x: { id: number }) => c2.body.items.some((y: { id: number }) => y.id === x.id)),
    ).toBe(false);
    const cycles = (await admin.get('/api/assistance/cycles')).body.items;
    const warmth = cycles.find((y: { kind: string }) => y.kind === 'warmth');
    const w = (await admin.get(`/api/assistance/cycles/${warmth.id}`)).body;
    expect(w.entitlements.length).toBeGreaterThan(0);
    expect(
      w.entitlements.every((e: { payment: { status: string } | null }) => e.payment?.status === 'paid'),
    ).toBe(true);
    const edu = cycles.find((y: { name: string }) => y.name.endsWith('金秋助学'));
    const e = (await admin.get(`/api/assistance/cycles/${edu.id}`)).body;
    expect(e.entitlements.every((x: { status: string }) => x.status === 'proposed')).toBe(true);
    expect(e.entitlements.filter((x: { duplicates: unknown[] }) => x.duplicates.length > 0)).toHaveLength(1);
  });
});

describe('programs, entitlements and disbursement', () => {
  it('refuses a program whose rule cannot be evaluated, naming the position', async () => {
    const cityUnion = (
      await sys.db.query<{ id: number }>(sql`SELECT id FROM orgs WHERE type = 'union' AND level = 'city'`)
    )[0]!.id;
    const bad = await admin.post('/api/assistance/programs', {
      orgId: cityUnion,
      name: '坏规则',
      kind: 'medical',
      target: 'household',
      mode: 'cash',
      eligibility: 'status == "archived" && incomme < 3',
      amounts: [{ when: 'true', amount: 100, label: '一档' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.position).toBeGreaterThanOrEqual(0);
    const bad2 = await admin.post('/api/assistance/programs', {
      orgId: cityUnion,
      name: '坏规则2',
      kind: 'medical',
      target: 'household',
      mode: 'cash',
      eligibility: 'status == ',
      amounts: [{ when: 'true', amount: 100, label: '一档' }],
    });
    expect(bad2.status).toBe(400);
    expect((await sys.db.query(sql`SELECT 1 FROM assist_programs WHERE name LIKE '坏规则%'`)).length).toBe(0);
  });

  it('computes, warns of duplicate relief across organizations, approves within budget, disburses once', async () => {
    const townOrg = await orgOf(sys, 'town1.union');
    const countyOrg = await orgOf(sys, 'county1.union');
    const ids = [newIdNumber(47), newIdNumber(45, true), newIdNumber(19, true)];
    const h = await archivedCase(sys, town, county, application(townOrg, ids));
    const prog = await county.post('/api/assistance/programs', {
      orgId: countyOrg,
      name: '县总工会金秋助学',
      kind: 'education',
      target: 'student',
      mode: 'cash',
      eligibility: 'schooling == "higher" && archived',
      amounts: [
        { when: 'level == "county"', amount: 5000, label: '县级建档' },
        { when: 'true', amount: 3000, label: '基层建档' },
      ],
    });
    expect(prog.status, JSON.stringify(prog.body)).toBe(201);
    const cyc = await county.post(`/api/assistance/programs/${prog.body.id}/cycles`, {
      name: '县金秋助学测试批次',
      periodStart: '2026-08-01',
      periodEnd: '2026-09-30',
      budget: 3000,
    });
    expect(cyc.status).toBe(201);
    let y = (await county.get(`/api/assistance/cycles/${cyc.body.id}`)).body;
    const comp = await county.post(`/api/assistance/cycles/${y.id}/compute`, { version: y.version });
    expect(comp.status, JSON.stringify(comp.body)).toBe(200);
    y = (await county.get(`/api/assistance/cycles/${y.id}`)).body;
    const mine = y.entitlements.find((e: { caseId: number }) => e.caseId === h.id);
    expect(mine).toMatchObject({ beneficiaryName: '子女丙', amount: 3000, status: 'proposed' });
    expect(mine.duplicates).toHaveLength(0);

    // a second organization (county2, another county) proposes the same child for its own 助学
    const c2org = await orgOf(sys, 'county2.union');
    const p2 = await county2.post('/api/assistance/programs', {
      orgId: c2org,
      name: '外县助学',
      kind: 'education',
      target: 'student',
      mode: 'cash',
      eligibility: 'schooling == "higher"',
      amounts: [{ when: 'true', amount: 2000, label: '一档' }],
    });
    const y2 = await county2.post(`/api/assistance/programs/${p2.body.id}/cycles`, {
      name: '外县助学批次',
      periodStart: '2026-09-01',
      periodEnd: '2026-10-31',
      budget: 10000,
    });
    const bad = await county2.post(`/api/assistance/cycles/${y2.body.id}/entitlements`, {
      name: '子女丙',
      idNumber: `${ids[2]!.slice(0, 17)}0`.replace(/0$/, ids[2]!.endsWith('0') ? '1' : '0'),
      amount: 2000,
    });
    expect(bad.status).toBe(400);
    const prop = await county2.post(`/api/assistance/cycles/${y2.body.id}/entitlements`, {
      name: '子女丙',
      idNumber: ids[2],
      amount: 2000,
    });
    expect(prop.status, JSON.stringify(prop.body)).toBe(201);
    // county2's reviewer sees the warning, without the other (out-of-scope) organization's name
    expect(prop.body.duplicates).toHaveLength(1);
    expect(prop.body.duplicates[0]).toMatchObject({ orgName: '其他组织', samePerson: true, amount: null });
    // county1's reviewer sees it too, and the other organization is out of its scope as well
    y = (await county.get(`/api/assistance/cycles/${y.id}`)).body;
    const again = y.entitlements.find((e: { caseId: number }) => e.caseId === h.id);
    expect(again.duplicates).toHaveLength(1);
    expect(again.duplicates[0].orgName).toBe('其他组织');
    // the platform administrator (all data) sees the name
    const asAdmin = (await admin.get(`/api/assistance/cycles/${y.id}`)).body.entitlements.find(
      (e: { caseId: number }) => e.caseId === h.id,
    );
    expect(asAdmin.duplicates[0].orgName).not.toBe('其他组织');

    // disbursing an unapproved entitlement is refused; review → approve within budget
    expect(
      (await county.post(`/api/assistance/entitlements/${again.id}/disburse`, { version: again.version }))
        .status,
    ).toBe(409);
    const batch0 = await county.post(`/api/assistance/cycles/${y.id}/batches`, {});
    expect(batch0.status).toBe(409);
    let e = (await county.post(`/api/assistance/entitlements/${again.id}/review`, { version: again.version }))
      .body;
    // two reviewers approving at once: one succeeds, the other is told the record changed
    const [a1, a2] = await Promise.all([
      county.post(`/api/assistance/entitlements/${again.id}/approve`, { version: e.version }),
      county.post(`/api/assistance/entitlements/${again.id}/approve`, { version: e.version }),
    ]);
    expect([a1.status, a2.status].sort()).toEqual([200, 409]);
    e = a1.status === 200 ? a1.body : a2.body;
    expect(e.status).toBe('approved');
    // the budget (3000) is used up: another approval is refused
    const others = y.entitlements.filter(
      (x: { id: number; status: string }) => x.id !== again.id && x.status === 'proposed',
    );
    if (others.length > 0) {
      const o = (
        await county.post(`/api/assistance/entitlements/${others[0].id}/review`, {
          version: others[0].version,
        })
      ).body;
      const over = await county.post(`/api/assistance/entitlements/${o.id}/approve`, { version: o.version });
      expect(over.status).toBe(409);
      expect(over.body.error.message).toContain('预算');
    }
    const batch = await county.post(`/api/assistance/cycles/${y.id}/batches`, {});
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    // the bank file needs pii:reveal (the county admin lacks it), then goes out once
    expect((await county.post(`/api/assistance/batches/${batch.body.id}/export`, {})).status).toBe(403);
    const file = await admin.post(`/api/assistance/batches/${batch.body.id}/export`, {});
    expect(file.status).toBe(200);
    expect(String(file.body)).toContain('6228480123456789012');
    const twice = await admin.post(`/api/assistance/batches/${batch.body.id}/export`, {});
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toContain('已导出');
    const d = (await county.get(`/api/assistance/cycles/${y.id}`)).body.entitlements.find(
      (x: { id: number }) => x.id === again.id,
    );
    const paid = await county.post(`/api/assistance/payments/${d.payment.id}`, {
      version: d.payment.version,
      status: 'paid',
      paidOn: '2026-09-10',
    });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(
      (
        await county.post(`/api/assistance/payments/${d.payment.id}`, {
          version: paid.body.version,
          status: 'returned',
        })
      ).status,
    ).toBe(409);
    const rv = await county.post(`/api/assistance/payments/${d.payment.id}/return-visit`, {
      visitedOn: '2026-09-20',
      satisfaction: 'satisfied',
    });
    expect(rv.status).toBe(200);
    const rec = (await county.get(`/api/assistance/batches/${batch.body.id}`)).body;
    expect(rec.balanced).toBe(true);
    expect(rec.byStatus.find((s: { status: string }) => s.status === 'paid').amount).toBe(3000);
    // the household's timeline shows it all
    const tl = (await county.get(`/api/assistance/cases/${h.id}`)).body.timeline.map(
      (x: { action: string }) => x.action,
    );
    expect(tl).toEqual(
      expect.arrayContaining([
        'create',
        'visit',
        'archive',
        'entitlement',
        'entitlement_approved',
        'payment',
        'return_visit',
      ]),
    );
    // statistics and their export
    const st = (await county.get('/api/assistance/stats')).body;
    expect(st.byCategory.length).toBeGreaterThan(0);
    expect(
      st.money.some(
        (m: { cycle: string; paid: number }) => m.cycle === '县金秋助学测试批次' && m.paid === 3000,
      ),
    ).toBe(true);
    const xl = await county.get('/api/assistance/stats/export');
    expect(xl.status).toBe(200);
    expect(String(xl.headers['content-type'])).toContain('spreadsheetml');
  });

  it('keeps bank accounts and ID numbers out of the database in plaintext, and out of the audit trail', async () => {
    const rows = await sys.db.query<{ t: string }>(sql`SELECT row_to_json(c)::text AS t FROM assist_cases c
      UNION ALL SELECT row_to_json(m)::text FROM assist_members m
      UNION ALL SELECT row_to_json(e)::text FROM assist_entitlements e
      UNION ALL SELECT row_to_json(a)::text FROM audit_events a WHERE a.action LIKE 'assist.%'`);
    const text = rows.map((r) => r.t).join('\n');
    expect(text).not.toContain('6228480123456789012');
    expect(text).not.toMatch(/\b\d{17}[\dX]\b/);
  });
});
