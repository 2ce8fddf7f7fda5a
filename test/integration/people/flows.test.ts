import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { demoOrgs, newIdNumber } from './helpers.js';

let sys: TestSystem;
let admin: Client;
let county1: Client;
let county2: Client;
let town1: Client;
let orgs: Awaited<ReturnType<typeof demoOrgs>>;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
  town1 = await sys.login('town1.union');
  orgs = await demoOrgs(sys);
});
afterAll(() => sys?.close());

async function member(c: Client, orgId: number, age = 35, name = '周会员') {
  const r = await c.post('/api/persons', { name, idNumber: newIdNumber(age), orgId, membership: {} });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: number; memberships: { id: number; version: number; orgId: number }[] };
}

describe('join applications and leaving', () => {
  it('a staff member applies, the organization approves; a second application for the same role is refused', async () => {
    const p = await county1.post('/api/persons', {
      name: '吴申请',
      idNumber: newIdNumber(30),
      orgId: orgs.town1,
    });
    // staff (ORG scope, no approval right) files the application
    const app = await town1.post('/api/memberships', { personId: p.body.id, orgId: orgs.town1 });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    expect(app.body).toMatchObject({ status: 'pending', role: 'member', statusLabel: '待审批' });
    expect(
      (await town1.post(`/api/memberships/${app.body.id}/approve`, { version: app.body.version })).status,
    ).toBe(403);
    const dup = await town1.post('/api/memberships', { personId: p.body.id, orgId: orgs.town1 });
    expect(dup.status).toBe(409);
    const ok = await county1.post(`/api/memberships/${app.body.id}/approve`, { version: app.body.version });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('active');
    expect(ok.body.joinedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const again = await county1.post(`/api/memberships/${app.body.id}/approve`, { version: ok.body.version });
    expect(again.status).toBe(400);
    expect(
      (await county2.post(`/api/memberships/${app.body.id}/approve`, { version: ok.body.version })).status,
    ).toBe(404);
  });

  it('applies the rules of the organization type: the Youth League ends at 28 unless the person holds a post', async () => {
    const old = await county1.post('/api/persons', {
      name: '郑超龄',
      idNumber: newIdNumber(30),
      orgId: orgs.town1,
    });
    const refused = await admin.post('/api/memberships', { personId: old.body.id, orgId: orgs.youth1 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain('28');
    const post = await admin.post('/api/memberships', {
      personId: old.body.id,
      orgId: orgs.youth1,
      role: 'committee',
    });
    expect(post.status).toBe(201);
    const women = await sys.db.query<{ id: number }>(
      sql`SELECT id FROM orgs WHERE type = 'women' AND level = 'county' LIMIT 1`,
    );
    const noMembers = await admin.post('/api/memberships', { personId: old.body.id, orgId: women[0]!.id });
    expect(noMembers.status).toBe(400);
    expect(noMembers.body.error.message).toContain('没有个人会员');
    const young = await county1.post('/api/persons', {
      name: '冯青年',
      idNumber: newIdNumber(20),
      orgId: orgs.town1,
    });
    expect(
      (await admin.post('/api/memberships', { personId: young.body.id, orgId: orgs.youth1 })).status,
    ).toBe(201);
  });

  it('ends League memberships by age in one sweep, keeping those who hold a post', async () => {
    const a = await county1.post('/api/persons', {
      name: '团员甲',
      idNumber: newIdNumber(27),
      orgId: orgs.town1,
    });
    const b = await county1.post('/api/persons', {
      name: '团员乙',
      idNumber: newIdNumber(27),
      orgId: orgs.town1,
    });
    for (const p of [a, b]) {
      const m = await admin.post('/api/memberships', { personId: p.body.id, orgId: orgs.youth1 });
      expect(
        (await admin.post(`/api/memberships/${m.body.id}/approve`, { version: m.body.version })).status,
      ).toBe(200);
    }
    const post = await admin.post('/api/memberships', {
      personId: b.body.id,
      orgId: orgs.youth1,
      role: 'committee',
    });
    await admin.post(`/api/memberships/${post.body.id}/approve`, { version: post.body.version });
    // the union admin cannot sweep the League's tree
    expect((await county1.post('/api/memberships/age-out', { orgId: orgs.youth1 })).status).toBe(404);
    // two years later both are 29 (sessions of then are new ones: the clock jump idles out the others)
    await admin.post('/api/test/clock', { to: new Date(Date.now() + 2 * 366 * 86_400_000).toISOString() });
    const later = await sys.login('admin');
    try {
      const county1Youth = await sys.db.query<{ id: number }>(
        sql`SELECT parent_id AS id FROM orgs WHERE id = ${orgs.youth1}`,
      );
      const r2 = await later.post('/api/memberships/age-out', { orgId: county1Youth[0]!.id });
      expect(r2.status, JSON.stringify(r2.body)).toBe(200);
      expect(r2.body.ended).toBeGreaterThanOrEqual(1);
      const rows = await sys.db.query<{ person_id: number; status: string; end_reason: string | null }>(
        sql`SELECT person_id, status, end_reason FROM memberships WHERE org_id = ${orgs.youth1} AND role = 'league_member'
          AND person_id = ANY(${[a.body.id, b.body.id]}::bigint[]) ORDER BY person_id`,
      );
      expect(rows.map((x) => x.status)).toEqual(['left', 'active']);
      expect(rows[0]!.end_reason).toContain('超龄');
    } finally {
      await later.post('/api/test/clock', { to: null });
    }
  });

  it('leaves a membership with a reason; a left membership cannot leave again', async () => {
    const p = await member(county1, orgs.town1);
    const m = p.memberships[0]!;
    const left = await county1.post(`/api/memberships/${m.id}/leave`, { version: m.version, reason: '退休' });
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({ status: 'left', endReason: '退休' });
    expect(
      (await county1.post(`/api/memberships/${m.id}/leave`, { version: left.body.version, reason: 'x' }))
        .status,
    ).toBe(400);
    const stale = await county1.post(`/api/memberships/${m.id}/leave`, { version: m.version, reason: 'x' });
    expect(stale.status).toBe(409);
  });
});

describe('transfers (组织关系转接)', () => {
  it('moves a member from one union to another: started by the sender, approved by the receiver, history on both sides', async () => {
    const p = await member(county1, orgs.town1, 35, '陈转接');
    const m = p.memberships[0]!;
    const t = await county1.post('/api/transfers', {
      membershipId: m.id,
      toOrgId: orgs.town2,
      reason: '工作调动',
    });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    expect(t.body).toMatchObject({
      status: 'pending',
      initiatedBy: 'sender',
      abilities: { approve: false, cancel: true },
    });
    // the sender cannot approve; the receiver sees it in its incoming list and may
    expect(
      (await county1.post(`/api/transfers/${t.body.id}/approve`, { version: t.body.version })).status,
    ).toBe(403);
    const incoming = await county2.get('/api/transfers?direction=in&status=pending');
    const mine = incoming.body.items.find((x: { id: number }) => x.id === t.body.id);
    expect(mine.abilities).toMatchObject({ approve: true, reject: true, cancel: false });
    expect(mine.person.idNumber).toMatch(/\*{8}/);
    // leaving is blocked while the transfer is pending
    expect(
      (await county1.post(`/api/memberships/${m.id}/leave`, { version: m.version, reason: '退会' })).status,
    ).toBe(400);
    const done = await county2.post(`/api/transfers/${t.body.id}/approve`, {
      version: mine.version,
      note: '同意',
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe('completed');
    expect(done.body.history.map((h: { action: string }) => h.action)).toEqual(['start', 'approve']);
    const ms = await sys.db.query<{ org_id: number; status: string; end_reason: string | null }>(
      sql`SELECT org_id, status, end_reason FROM memberships WHERE person_id = ${p.id} ORDER BY id`,
    );
    expect(ms).toEqual([
      { org_id: orgs.town1, status: 'left', end_reason: expect.stringContaining('转出至') },
      { org_id: orgs.town2, status: 'active', end_reason: null },
    ]);
    for (const c of [county1, county2]) {
      const h = await c.get(`/api/transfers?personId=${p.id}`);
      expect(h.body.items).toHaveLength(1);
      expect(h.body.items[0].history).toHaveLength(2);
    }
    // the record moved with the person; the sender still sees the history, no longer the person
    expect((await county2.get(`/api/persons/${p.id}`)).status).toBe(200);
    expect((await county1.get(`/api/persons/${p.id}`)).status).toBe(404);
    expect((await county1.get(`/api/transfers/${t.body.id}`)).status).toBe(200);
    const again = await county2.post(`/api/transfers/${t.body.id}/reject`, {
      version: done.body.version,
      note: 'x',
    });
    expect(again.status).toBe(400);
  });

  it('refuses a transfer to an organization of another type, to the same organization, and a second pending one', async () => {
    const p = await member(county1, orgs.town1);
    const m = p.memberships[0]!;
    const wrongType = await county1.post('/api/transfers', { membershipId: m.id, toOrgId: orgs.youth1 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.details.reason).toBe('type');
    expect((await county1.post('/api/transfers', { membershipId: m.id, toOrgId: orgs.town1 })).status).toBe(
      400,
    );
    expect((await county1.post('/api/transfers', { membershipId: m.id, toOrgId: orgs.town2 })).status).toBe(
      201,
    );
    const second = await county1.post('/api/transfers', { membershipId: m.id, toOrgId: orgs.county2 });
    expect(second.status).toBe(409);
    expect((await county2.post('/api/transfers', { membershipId: m.id, toOrgId: orgs.town2 })).status).toBe(
      404,
    );
  });

  it('the receiver starts one by the ID number; rejecting needs a reason; the sender may cancel its own', async () => {
    const idNumber = newIdNumber(41);
    const p = await county1.post('/api/persons', {
      name: '蒋接收',
      idNumber,
      orgId: orgs.town1,
      membership: {},
    });
    const t = await county2.post('/api/transfers', { idNumber, toOrgId: orgs.town2, reason: '户籍迁入' });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    expect(t.body.initiatedBy).toBe('receiver');
    expect(t.body.fromOrg.id).toBe(orgs.town1);
    const noReason = await county2.post(`/api/transfers/${t.body.id}/reject`, { version: t.body.version });
    expect(noReason.status).toBe(400);
    const rejected = await county2.post(`/api/transfers/${t.body.id}/reject`, {
      version: t.body.version,
      note: '材料不全',
    });
    expect(rejected.body.status).toBe('rejected');
    const ms = await sys.db.query<{ status: string }>(
      sql`SELECT status FROM memberships WHERE person_id = ${p.body.id}`,
    );
    expect(ms.map((x) => x.status)).toEqual(['active']);
    const t2 = await county1.post('/api/transfers', {
      membershipId: p.body.memberships[0].id,
      toOrgId: orgs.town2,
    });
    expect(
      (await county2.post(`/api/transfers/${t2.body.id}/cancel`, { version: t2.body.version })).status,
    ).toBe(403);
    const cancelled = await county1.post(`/api/transfers/${t2.body.id}/cancel`, { version: t2.body.version });
    expect(cancelled.body.status).toBe('cancelled');
    const unknown = await county2.post('/api/transfers', { idNumber: newIdNumber(50), toOrgId: orgs.town2 });
    expect(unknown.status).toBe(404);
  });

  it('the person starts one from their own account; they see it, they cannot approve it', async () => {
    const me = await sys.login('member');
    const mine = await sys.db.query<{
      id: number;
      person_id: number;
    }>(sql`SELECT m.id, m.person_id FROM memberships m
      JOIN persons p ON p.id = m.person_id JOIN users u ON u.id = p.user_id
      WHERE u.username = 'member' AND m.status = 'active' AND m.role = 'member' LIMIT 1`);
    // their own record, masked, with the membership, though the role has no person:read
    const own = await me.get('/api/me/person');
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body.id).toBe(mine[0]!.person_id);
    expect(own.body.idNumber).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(own.body.abilities).toMatchObject({ apply: true, reveal: false, update: false });
    expect(own.body.memberships.map((m: { id: number }) => m.id)).toContain(mine[0]!.id);
    expect((await me.get(`/api/persons/${mine[0]!.person_id}`)).status).toBe(403);
    // an account without a linked person gets a plain answer
    const none = await (await sys.login('county2.union')).get('/api/me/person');
    expect(none.status).toBe(404);
    expect(none.body.error.message).toContain('尚未关联人员档案');
    const t = await me.post('/api/transfers', {
      membershipId: mine[0]!.id,
      toOrgId: orgs.town2,
      reason: '搬家',
    });
    expect(t.status, JSON.stringify(t.body)).toBe(201);
    expect(t.body.initiatedBy).toBe('person');
    expect(t.body.abilities).toMatchObject({ approve: false, cancel: true });
    expect((await me.get('/api/transfers')).body.items.map((x: { id: number }) => x.id)).toContain(t.body.id);
    expect((await me.post(`/api/transfers/${t.body.id}/approve`, { version: t.body.version })).status).toBe(
      403,
    );
    const other = await sys.db.query<{
      id: number;
    }>(sql`SELECT m.id FROM memberships m JOIN persons p ON p.id = m.person_id
      WHERE p.user_id IS NULL AND m.status = 'active' LIMIT 1`);
    expect(
      (await me.post('/api/transfers', { membershipId: other[0]!.id, toOrgId: orgs.town2 })).status,
    ).toBe(404);
  });
});

describe('membership statistics summary', () => {
  it('equals a recount from the memberships after applications, approvals, leaving, age-out and transfers', async () => {
    const recount = await sys.db.query<{
      k: string;
    }>(sql`SELECT org_id || '/' || role || '/' || status || '/' || count(*)
        || '/' || count(*) FILTER (WHERE gender = 'F') || '/' || count(*) FILTER (WHERE frontline)
        || '/' || count(*) FILTER (WHERE birth_date > m.cut28) || '/' || count(*) FILTER (WHERE birth_date > m.cut35) AS k
      FROM memberships, member_stats_meta m WHERE status IN ('active', 'pending')
      GROUP BY org_id, role, status, m.cut28, m.cut35 ORDER BY 1`);
    const summary = await sys.db.query<{
      k: string;
    }>(sql`SELECT org_id || '/' || role || '/' || status || '/' || n
        || '/' || women || '/' || frontline || '/' || under28 || '/' || under35 AS k
      FROM member_stats WHERE n <> 0 ORDER BY 1`);
    expect(summary.map((r) => r.k)).toEqual(recount.map((r) => r.k));
  });
});
