import { sql } from '../../../src/server/platform/db/index.js';
import { addToMatrix, type MatrixFixture, type Target } from '../support/matrix.js';
import { application, JPG, newIdNumber, PDF } from './helpers.js';

/** Assistance endpoints in the authorization matrix (allow by scope and permission, 404 outside, 403 without). */

/** A household filed by the admin in the target organization. */
async function makeCase(fx: MatrixFixture, t: Target) {
  const r = await fx.admin.post(
    '/api/assistance/cases',
    application(fx.orgs[t], [newIdNumber(44), newIdNumber(42, true), newIdNumber(20)]),
  );
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: number; version: number };
}

async function adminUpload(fx: MatrixFixture, caseId: number, kind: string, name: string, bytes: Buffer) {
  const res = await fx.sys.app.inject({
    method: 'POST',
    url: `/api/assistance/cases/${caseId}/files?kind=${kind}&name=${encodeURIComponent(name)}`,
    headers: {
      cookie: fx.admin.cookie!,
      'x-csrf-token': fx.admin.csrf!,
      'content-type': 'application/octet-stream',
    },
    payload: bytes,
  });
  return JSON.parse(res.body).id as number;
}

/** An in-kind program and an open cycle run by the target organization (rows written directly). */
async function makeCycle(fx: MatrixFixture, t: Target) {
  const now = new Date();
  const admin = (
    await fx.sys.db.query<{ id: number }>(sql`SELECT id FROM users WHERE username = 'admin'`)
  )[0]!.id;
  const g = await fx.sys.db.query<{
    id: number;
  }>(sql`INSERT INTO assist_programs (org_id, name, kind, target, mode,
      eligibility, amounts, created_by, created_at, updated_at)
    VALUES (${fx.orgs[t]}, ${`矩阵项目${Math.random().toString(36).slice(2)}`}, 'left_behind', 'household', 'in_kind',
      'true', '[]'::jsonb, ${admin}, ${now}, ${now}) RETURNING id`);
  const y = await fx.sys.db.query<{
    id: number;
  }>(sql`INSERT INTO assist_cycles (program_id, org_id, name, kind,
      period_start, period_end, budget, created_by, created_at, updated_at)
    VALUES (${g[0]!.id}, ${fx.orgs[t]}, '矩阵批次', 'left_behind', '2026-06-01', '2026-06-30', 1000000, ${admin}, ${now}, ${now})
    RETURNING id`);
  return { programId: g[0]!.id, cycleId: y[0]!.id };
}

/** An entitlement proposed by the target organization in its own cycle. */
async function makeEntitlement(fx: MatrixFixture, t: Target, status = 'proposed') {
  const { cycleId } = await makeCycle(fx, t);
  const r = await fx.admin.post(`/api/assistance/cycles/${cycleId}/entitlements`, {
    name: '矩阵对象',
    idNumber: newIdNumber(70),
    amount: 100,
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  await fx.sys.db.query(
    sql`UPDATE assist_entitlements SET org_id = ${fx.orgs[t]}, status = ${status} WHERE id = ${r.body.id}`,
  );
  return { cycleId, id: r.body.id as number, version: r.body.version as number };
}

addToMatrix('assistance', [
  {
    name: 'GET /api/assistance/cases?orgId',
    permission: 'assist:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/assistance/cases?orgId=${fx.orgs[t]}` }),
  },
  {
    name: 'POST /api/assistance/cases',
    permission: 'assist:write',
    ok: 201,
    request: async (fx, t) => ({
      method: 'POST',
      url: '/api/assistance/cases',
      body: application(fx.orgs[t], [newIdNumber(46), newIdNumber(44, true), newIdNumber(21)]),
    }),
  },
  {
    name: 'GET /api/assistance/cases/:id',
    permission: 'assist:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/assistance/cases/${(await makeCase(fx, t)).id}` }),
  },
  {
    name: 'POST /api/assistance/cases/:id/actions/:action',
    permission: 'assist:write',
    ok: 200,
    request: async (fx, t) => {
      const c = await makeCase(fx, t);
      return {
        method: 'POST',
        url: `/api/assistance/cases/${c.id}/actions/initial_review`,
        body: { version: c.version },
      };
    },
  },
  {
    name: 'POST /api/assistance/cases/:id/visit',
    permission: 'assist:write',
    ok: 200,
    request: async (fx, t) => {
      const c = await makeCase(fx, t);
      const r = await fx.admin.post(`/api/assistance/cases/${c.id}/actions/initial_review`, {
        version: c.version,
      });
      const photo = await adminUpload(fx, c.id, 'photo', 'a.jpg', JPG);
      const auth = await adminUpload(fx, c.id, 'authorization', 'b.pdf', PDF);
      return {
        method: 'POST',
        url: `/api/assistance/cases/${c.id}/visit`,
        body: {
          version: r.body.version,
          visitedOn: '2026-01-05',
          visitors: '甲',
          findings: '属实',
          fileIds: [photo, auth],
        },
      };
    },
  },
  {
    name: 'POST /api/assistance/cases/:id/incomes',
    permission: 'assist:write',
    ok: 200,
    request: async (fx, t) => {
      const c = await makeCase(fx, t);
      return {
        method: 'POST',
        url: `/api/assistance/cases/${c.id}/incomes`,
        body: { version: c.version, month: new Date().toISOString().slice(0, 7), total: 1500 },
      };
    },
  },
  {
    name: 'GET /api/assistance/cases/:id/files/:fileId',
    permission: 'assist:read',
    ok: 200,
    request: async (fx, t) => {
      const c = await makeCase(fx, t);
      const f = await adminUpload(fx, c.id, 'photo', 'a.jpg', JPG);
      return { method: 'GET', url: `/api/assistance/cases/${c.id}/files/${f}` };
    },
  },
  {
    name: 'GET /api/assistance/exit-rule?orgId',
    permission: 'assist:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/assistance/exit-rule?orgId=${fx.orgs[t]}` }),
  },
  {
    name: 'GET /api/assistance/cycles/:id',
    permission: 'assist:read',
    ok: 200,
    request: async (fx, t) => ({
      method: 'GET',
      url: `/api/assistance/cycles/${(await makeCycle(fx, t)).cycleId}`,
    }),
  },
  {
    name: 'POST /api/assistance/programs/:id/cycles',
    permission: 'assist:program',
    ok: 201,
    request: async (fx, t) => ({
      method: 'POST',
      url: `/api/assistance/programs/${(await makeCycle(fx, t)).programId}/cycles`,
      body: { name: '矩阵新批次', periodStart: '2026-07-01', periodEnd: '2026-07-31', budget: 1000 },
    }),
  },
  {
    name: 'POST /api/assistance/cycles/:id/entitlements',
    permission: 'assist:program',
    ok: 201,
    request: async (fx, t) => ({
      method: 'POST',
      url: `/api/assistance/cycles/${(await makeCycle(fx, t)).cycleId}/entitlements`,
      body: { name: '矩阵提名', idNumber: newIdNumber(66), amount: 200 },
    }),
  },
  {
    name: 'POST /api/assistance/entitlements/:id/review',
    permission: 'assist:program',
    ok: 200,
    request: async (fx, t) => {
      const e = await makeEntitlement(fx, t);
      return {
        method: 'POST',
        url: `/api/assistance/entitlements/${e.id}/review`,
        body: { version: e.version },
      };
    },
  },
  {
    name: 'POST /api/assistance/entitlements/:id/disburse',
    permission: 'assist:disburse',
    ok: 200,
    request: async (fx, t) => {
      const e = await makeEntitlement(fx, t, 'approved');
      return {
        method: 'POST',
        url: `/api/assistance/entitlements/${e.id}/disburse`,
        body: { version: e.version },
      };
    },
  },
  {
    name: 'POST /api/assistance/cycles/:id/batches',
    permission: 'assist:disburse',
    ok: 201,
    request: async (fx, t) => {
      const e = await makeEntitlement(fx, t, 'approved');
      return { method: 'POST', url: `/api/assistance/cycles/${e.cycleId}/batches` };
    },
  },
  {
    name: 'POST /api/assistance/programs',
    permission: 'assist:program',
    ok: 201,
    request: async (fx, t) => ({
      method: 'POST',
      url: '/api/assistance/programs',
      body: {
        orgId: fx.orgs[t],
        name: `矩阵项目${Math.random().toString(36).slice(2)}`,
        kind: 'medical',
        target: 'household',
        mode: 'in_kind',
        eligibility: 'archived and perCapitaIncome < 800',
        amounts: [{ when: 'true', amount: 500, label: '一档' }],
      },
    }),
  },
  {
    name: 'PUT /api/assistance/exit-rule?orgId',
    permission: 'assist:review',
    ok: 200,
    request: async (fx, t) => {
      const cur = await fx.admin.get(`/api/assistance/exit-rule?orgId=${fx.orgs[t]}`);
      const own = await fx.sys.db.query<{ version: number }>(
        sql`SELECT version FROM assist_rules WHERE kind = 'exit' AND org_id = ${fx.orgs[t]}`,
      );
      return {
        method: 'PUT',
        url: `/api/assistance/exit-rule?orgId=${fx.orgs[t]}`,
        body: { version: own[0]?.version ?? 0, expr: cur.body.expr, months: 6, line: 900 },
      };
    },
  },
  {
    name: 'GET /api/assistance/stats?orgId',
    permission: 'assist:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/assistance/stats?orgId=${fx.orgs[t]}` }),
  },
]);
