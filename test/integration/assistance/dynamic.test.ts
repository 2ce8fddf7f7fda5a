import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { application, archivedCase, newIdNumber, orgOf } from './helpers.js';

let sys: TestSystem;
let town: Client;
let county: Client;
let townOrg: number;

beforeAll(async () => {
  sys = await createTestSystem();
  town = await sys.login('town1.union');
  county = await sys.login('county1.union');
  townOrg = await orgOf(sys, 'town1.union');
});
afterAll(() => sys?.close());

/** The months before the current one, oldest first ('YYYY-MM'). */
function lastMonths(n: number): string[] {
  const now = new Date();
  const out: string[] = [];
  for (let i = n; i >= 1; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

describe('dynamic management', () => {
  it('proposes 解困 after N consecutive months above the line (the rule as data), never ends the record itself', async () => {
    const countyOrg = await orgOf(sys, 'county1.union');
    // the county's own rule: 3 months, line ¥600 per person
    const bad = await county.request('PUT', `/api/assistance/exit-rule?orgId=${countyOrg}`, {
      version: 0,
      expr: 'perCapitaIncome > ',
      months: 3,
      line: 600,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.position).toBeGreaterThanOrEqual(0);
    const unknown = await county.request('PUT', `/api/assistance/exit-rule?orgId=${countyOrg}`, {
      version: 0,
      expr: 'perCapitaIncom > line',
      months: 3,
      line: 600,
    });
    expect(unknown.status).toBe(400);
    const set = await county.request('PUT', `/api/assistance/exit-rule?orgId=${countyOrg}`, {
      version: 0,
      expr: 'perCapitaIncome > line',
      months: 3,
      line: 600,
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    // the township below inherits it
    expect((await town.get(`/api/assistance/exit-rule?orgId=${townOrg}`)).body).toMatchObject({
      months: 3,
      line: 600,
    });

    const ids = [newIdNumber(41), newIdNumber(40, true), newIdNumber(12)];
    let d = await archivedCase(sys, town, county, application(townOrg, ids));
    const [m1, m2, m3, m4] = lastMonths(4);
    const income = async (month: string, total: number) => {
      const r = await town.post(`/api/assistance/cases/${d.id}/incomes`, {
        version: d.version,
        month,
        total,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      d = r.body;
    };
    await income(m1!, 2400); // 800 per person: above
    await income(m2!, 1500); // 500: below
    await income(m3!, 2400);
    await income(m4!, 2400);
    expect(d.exitProposed).toBe(false); // two months in a row only
    await income(new Date().toISOString().slice(0, 7), 3000);
    expect(d.exitProposed).toBe(true);
    expect(d.status).toBe('archived');
    expect(d.exitNote).toContain('连续 3 个月');
    expect(
      (await county.get('/api/assistance/cases?flag=exit')).body.items.some(
        (x: { id: number }) => x.id === d.id,
      ),
    ).toBe(true);
    const todo = (await county.get('/api/me/todo')).body;
    expect(
      todo.items.some(
        (i: { kind: string; href: string }) => i.kind === 'assist.exit' && i.href.endsWith(`/${d.id}`),
      ),
    ).toBe(true);
    // a correction below the line withdraws the proposal
    await income(m4!, 1200);
    expect(d.exitProposed).toBe(false);
  });

  it('lists stale records and households never assisted; the inbox carries the desk', async () => {
    const ids = [newIdNumber(55), newIdNumber(53, true)];
    const d = await archivedCase(
      sys,
      town,
      county,
      application(townOrg, ids, { members: application(townOrg, ids).members.slice(0, 2) }),
    );
    expect(
      (await town.get('/api/assistance/cases?flag=never&pageSize=200')).body.items.some(
        (x: { id: number }) => x.id === d.id,
      ),
    ).toBe(true);
    await sys.db.query(
      sql`UPDATE assist_cases SET verified_at = now() - interval '13 months' WHERE id = ${d.id}`,
    );
    const stale = (await town.get('/api/assistance/cases?flag=stale&pageSize=200')).body.items;
    expect(stale.find((x: { id: number }) => x.id === d.id)?.stale).toBe(true);
    const todo = (await town.get('/api/me/todo')).body;
    expect(todo.counts['assist.visit']).toBeGreaterThan(0);
    expect(
      todo.items.some(
        (i: { kind: string; href: string }) => i.kind === 'assist.visit' && i.href.endsWith(`/${d.id}`),
      ),
    ).toBe(true);
    // the county sees what it must review; the town staff does not get review items for 审核
    const c = await county.get('/api/me/todo');
    expect(c.body.counts['assist.review']).toBeGreaterThan(0);
  });

  it('records 临时救助 that convert into an application or close with a reason', async () => {
    const ids = [newIdNumber(36), newIdNumber(34, true)];
    const t = await town.post('/api/assistance/cases', {
      ...application(townOrg, ids),
      members: application(townOrg, ids).members.slice(0, 2),
      temporary: true,
    });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    expect(t.body.status).toBe('temporary');
    const conv = await town.post(`/api/assistance/cases/${t.body.id}/actions/convert`, {
      version: t.body.version,
    });
    expect(conv.body.status).toBe('applied');
    const ids2 = [newIdNumber(37), newIdNumber(35, true)];
    const t2 = await town.post('/api/assistance/cases', {
      ...application(townOrg, ids2),
      members: application(townOrg, ids2).members.slice(0, 2),
      temporary: true,
    });
    expect(
      (
        await town.post(`/api/assistance/cases/${t2.body.id}/actions/close`, {
          version: 1,
          note: '已救助完毕',
        })
      ).status,
    ).toBe(403);
    const closed = await county.post(`/api/assistance/cases/${t2.body.id}/actions/close`, {
      version: 1,
      note: '已救助完毕',
    });
    expect(closed.body).toMatchObject({ status: 'closed', endReason: '已救助完毕' });
    // an ended record takes no more income
    const inc = await town.post(`/api/assistance/cases/${t2.body.id}/incomes`, {
      version: closed.body.version,
      month: lastMonths(1)[0],
      total: 10,
    });
    expect(inc.status).toBe(409);
    // the applicant may be filed again once the record has ended
    expect(
      (
        await town.post('/api/assistance/cases', {
          ...application(townOrg, ids2),
          members: application(townOrg, ids2).members.slice(0, 2),
        })
      ).status,
    ).toBe(201);
  });
});
