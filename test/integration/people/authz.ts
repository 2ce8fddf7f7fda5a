import { sql } from '../../../src/server/platform/db/index.js';
import { addToMatrix, type MatrixFixture, type Target } from '../support/matrix.js';
import { newIdNumber } from './helpers.js';

/** Persons, memberships, transfers, statistics, coverage and imports in the authorization matrix. */
const orgOf = (fx: MatrixFixture, t: Target) => fx.orgs[t];

/** A person registered by the admin in the target organization, with an active member membership there. */
async function makeMember(fx: MatrixFixture, t: Target, age = 35) {
  const r = await fx.admin.post('/api/persons', {
    name: '矩阵会员',
    idNumber: newIdNumber(age),
    orgId: orgOf(fx, t),
    membership: {},
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: number; version: number; memberships: { id: number; version: number }[] };
}

/** Another union to move to: the county2 union for targets in county1, a township under county2 for county2. */
async function otherUnion(fx: MatrixFixture, t: Target) {
  if (t !== 'sibling') return fx.orgs.sibling;
  const rows = await fx.sys.db.query<{ id: number }>(
    sql`SELECT id FROM orgs WHERE parent_id = ${fx.orgs.sibling} AND type = 'union' ORDER BY id LIMIT 1`,
  );
  return rows[0]!.id;
}

addToMatrix('people', [
  {
    name: 'GET /api/persons/:id',
    permission: 'person:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/persons/${(await makeMember(fx, t)).id}` }),
  },
  {
    name: 'POST /api/persons (in target)',
    permission: 'person:write',
    ok: 201,
    request: async (fx, t) => ({
      method: 'POST',
      url: '/api/persons',
      body: { name: '矩阵新人', idNumber: newIdNumber(30), orgId: orgOf(fx, t) },
    }),
  },
  {
    name: 'PATCH /api/persons/:id',
    permission: 'person:write',
    ok: 200,
    request: async (fx, t) => {
      const p = await makeMember(fx, t);
      return {
        method: 'PATCH',
        url: `/api/persons/${p.id}`,
        body: { version: p.version, education: 'bachelor' },
      };
    },
  },
  {
    name: 'GET /api/persons?orgId=',
    permission: 'person:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/persons?orgId=${orgOf(fx, t)}` }),
  },
  {
    name: 'POST /api/memberships (application)',
    permission: 'membership:write',
    ok: 201,
    request: async (fx, t) => {
      const p = await makeMember(fx, t);
      return {
        method: 'POST',
        url: '/api/memberships',
        body: { personId: p.id, orgId: orgOf(fx, t), role: 'representative' },
      };
    },
  },
  {
    name: 'POST /api/memberships/:id/approve',
    permission: 'membership:approve',
    ok: 200,
    request: async (fx, t) => {
      const p = await makeMember(fx, t);
      const a = await fx.admin.post('/api/memberships', {
        personId: p.id,
        orgId: orgOf(fx, t),
        role: 'committee',
      });
      if (a.status !== 201) throw new Error(JSON.stringify(a.body));
      return {
        method: 'POST',
        url: `/api/memberships/${a.body.id}/approve`,
        body: { version: a.body.version },
      };
    },
  },
  {
    name: 'POST /api/memberships/:id/leave',
    permission: 'membership:write',
    ok: 200,
    request: async (fx, t) => {
      const m = (await makeMember(fx, t)).memberships[0]!;
      return {
        method: 'POST',
        url: `/api/memberships/${m.id}/leave`,
        body: { version: m.version, reason: '退会' },
      };
    },
  },
  {
    name: 'POST /api/transfers (sending side)',
    permission: 'membership:write',
    ok: 201,
    request: async (fx, t) => {
      const m = (await makeMember(fx, t)).memberships[0]!;
      return {
        method: 'POST',
        url: '/api/transfers',
        body: { membershipId: m.id, toOrgId: await otherUnion(fx, t) },
      };
    },
  },
  {
    name: 'POST /api/transfers/:id/approve (receiving side)',
    permission: 'membership:approve',
    ok: 200,
    request: async (fx, t) => {
      // from a union outside the target's county into the target
      const from = t === 'sibling' ? await otherUnion(fx, t) : fx.orgs.sibling;
      const p = await fx.admin.post('/api/persons', {
        name: '矩阵转出',
        idNumber: newIdNumber(33),
        orgId: from,
        membership: {},
      });
      const source = p.body.memberships[0].id;
      const to = orgOf(fx, t);
      const tr = await fx.admin.post('/api/transfers', { membershipId: source, toOrgId: to });
      if (tr.status !== 201) throw new Error(JSON.stringify(tr.body));
      return {
        method: 'POST',
        url: `/api/transfers/${tr.body.id}/approve`,
        body: { version: tr.body.version },
      };
    },
  },
  {
    name: 'GET /api/transfers/:id',
    permission: 'person:read',
    ok: 200,
    request: async (fx, t) => {
      const m = (await makeMember(fx, t)).memberships[0]!;
      const tr = await fx.admin.post('/api/transfers', {
        membershipId: m.id,
        toOrgId: await otherUnion(fx, t),
      });
      return { method: 'GET', url: `/api/transfers/${tr.body.id}` };
    },
  },
  {
    name: 'GET /api/people/stats?orgId=',
    permission: 'person:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/people/stats?orgId=${orgOf(fx, t)}&by=org` }),
  },
  {
    name: 'GET /api/people/composition?orgId=',
    permission: 'person:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/people/composition?orgId=${orgOf(fx, t)}` }),
  },
  {
    name: 'GET /api/coverage/uncovered?orgId=',
    permission: 'unit:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/coverage/uncovered?orgId=${orgOf(fx, t)}` }),
  },
  {
    name: 'GET /api/people/imports/:id',
    permission: 'person:import',
    ok: 200,
    request: async (fx, t) => {
      const admin = await fx.sys.db.query<{ id: number }>(sql`SELECT id FROM users WHERE username = 'admin'`);
      const job = await fx.sys.db.query<{
        id: number;
      }>(sql`INSERT INTO import_jobs (org_id, user_id, file_name, file_format,
          file_size, status, created_at, updated_at)
        VALUES (${orgOf(fx, t)}, ${admin[0]!.id}, '矩阵.csv', 'csv', 10, 'done', now(), now()) RETURNING id`);
      return { method: 'GET', url: `/api/people/imports/${job[0]!.id}` };
    },
  },
]);

/**
 * A 关联申请 about a person kept by the target organization: filed by an organization that
 * cannot see the person (county2 for targets in county1, county1 for the sibling target).
 */
async function makeClaim(fx: MatrixFixture, t: Target) {
  const idNumber = newIdNumber(36);
  const kept = await fx.admin.post('/api/persons', { name: '矩阵关联', idNumber, orgId: orgOf(fx, t) });
  if (kept.status !== 201) throw new Error(JSON.stringify(kept.body));
  const requester = await fx.sys.login(t === 'sibling' ? 'county1.union' : 'county2.union');
  const r = await requester.post('/api/persons', {
    name: '矩阵关联',
    idNumber,
    orgId: t === 'sibling' ? fx.orgs.own : fx.orgs.sibling,
  });
  if (r.status !== 202) throw new Error(JSON.stringify(r.body));
  return r.body as { claimId: number };
}

addToMatrix('people: registration requests (关联申请)', [
  {
    name: 'POST /api/person-claims/:id/approve (keeping side)',
    permission: 'membership:approve',
    ok: 200,
    request: async (fx, t) => ({
      method: 'POST',
      url: `/api/person-claims/${(await makeClaim(fx, t)).claimId}/approve`,
      body: { version: 1 },
    }),
  },
  {
    name: 'POST /api/person-claims/:id/reject (keeping side)',
    permission: 'membership:approve',
    ok: 200,
    request: async (fx, t) => ({
      method: 'POST',
      url: `/api/person-claims/${(await makeClaim(fx, t)).claimId}/reject`,
      body: { version: 1, note: '不是本组织人员' },
    }),
  },
]);
