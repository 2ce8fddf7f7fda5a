import { sql } from '../../../src/server/platform/db/index.js';
import { makeIdNumber } from '../../../src/shared/rules/idNumber.js';
import { addToMatrix, type MatrixFixture, type Target } from '../support/matrix.js';

/** Activities and volunteers in the authorization matrix (deny/allow by scope and permission). */
let n = 0;

async function regionOf(fx: MatrixFixture, t: Target) {
  const r = await fx.sys.db.query<{ region_code: string }>(
    sql`SELECT region_code FROM orgs WHERE id = ${fx.orgs[t]}`,
  );
  return r[0]!.region_code;
}

async function activityBody(fx: MatrixFixture, t: Target) {
  return {
    orgId: fx.orgs[t],
    title: `矩阵活动${++n}`,
    kind: 'volunteer',
    regionCode: await regionOf(fx, t),
    recruitFrom: '2026-01-01T00:00:00+08:00',
    recruitUntil: '2030-01-01T00:00:00+08:00',
    shifts: [{ startsAt: '2030-01-02T09:00:00+08:00', endsAt: '2030-01-02T12:00:00+08:00', capacity: 5 }],
  };
}

async function makeActivity(fx: MatrixFixture, t: Target) {
  const r = await fx.admin.post('/api/activities', await activityBody(fx, t));
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: number; version: number; shifts: { id: number }[] };
}

/** A pending sign-up in an activity of the target (written directly: the public flow is tested elsewhere). */
async function makeSignup(fx: MatrixFixture, t: Target) {
  const a = await makeActivity(fx, t);
  const p = await fx.sys.db.query<{ id: number }>(
    sql`SELECT id FROM persons ORDER BY id DESC LIMIT 1 OFFSET ${n % 50}`,
  );
  const r = await fx.sys.db.query<{
    id: number;
  }>(sql`INSERT INTO activity_signups (activity_id, shift_id, person_id, status, created_at, updated_at)
    VALUES (${a.id}, ${a.shifts[0]!.id}, ${p[0]!.id}, 'pending', now(), now()) RETURNING id`);
  return r[0]!.id;
}

/** A person kept by the target organization. */
async function personOf(fx: MatrixFixture, t: Target) {
  const r = await fx.sys.db.query<{ id: number }>(
    sql`SELECT id FROM persons WHERE org_id = ${fx.orgs[t]} AND user_id IS NULL ORDER BY id LIMIT 1`,
  );
  if (r[0]) return r[0].id;
  const ins = await fx.admin.post('/api/persons', {
    orgId: fx.orgs[t],
    name: '矩阵人员',
    idNumber: makeIdNumber(
      '130702',
      t === 'own' ? '19900101' : t === 'child' ? '19900102' : '19900103',
      '777',
    ),
  });
  if (ins.status !== 201) throw new Error(JSON.stringify(ins.body));
  return ins.body.id as number;
}

async function importedEntry(fx: MatrixFixture, t: Target) {
  const pid = await personOf(fx, t);
  const r = await fx.admin.post(`/api/persons/${pid}/volunteer-hours`, {
    orgId: fx.orgs[t],
    hours: 2,
    servedOn: '2025-05-01',
    source: '矩阵导入',
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body.id as number;
}

addToMatrix('volunteers', [
  {
    name: 'POST /api/activities',
    permission: 'activity:write',
    ok: 201,
    request: async (fx, t) => ({ method: 'POST', url: '/api/activities', body: await activityBody(fx, t) }),
  },
  {
    name: 'GET /api/activities/:id',
    permission: 'activity:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/activities/${(await makeActivity(fx, t)).id}` }),
  },
  {
    name: 'GET /api/activities/:id/signups',
    permission: 'activity:read',
    ok: 200,
    request: async (fx, t) => ({
      method: 'GET',
      url: `/api/activities/${(await makeActivity(fx, t)).id}/signups`,
    }),
  },
  {
    name: 'GET /api/activities/:id/stats',
    permission: 'activity:read',
    ok: 200,
    request: async (fx, t) => ({
      method: 'GET',
      url: `/api/activities/${(await makeActivity(fx, t)).id}/stats`,
    }),
  },
  {
    name: 'POST /api/activities/:id/actions/cancel',
    permission: 'activity:write',
    ok: 200,
    request: async (fx, t) => {
      const a = await makeActivity(fx, t);
      return {
        method: 'POST',
        url: `/api/activities/${a.id}/actions/cancel`,
        body: { version: a.version, reason: '天气原因' },
      };
    },
  },
  {
    name: 'POST /api/activities/:id/message',
    permission: 'activity:write',
    ok: 200,
    request: async (fx, t) => ({
      method: 'POST',
      url: `/api/activities/${(await makeActivity(fx, t)).id}/message`,
      body: { body: '请提前十分钟到场' },
    }),
  },
  {
    name: 'GET /api/activity-shifts/:id/checkin',
    permission: 'activity:write',
    ok: 200,
    request: async (fx, t) => ({
      method: 'GET',
      url: `/api/activity-shifts/${(await makeActivity(fx, t)).shifts[0]!.id}/checkin`,
    }),
  },
  {
    name: 'POST /api/activity-signups/:id/actions/approve',
    permission: 'activity:write',
    ok: 200,
    request: async (fx, t) => ({
      method: 'POST',
      url: `/api/activity-signups/${await makeSignup(fx, t)}/actions/approve`,
      body: { version: 1 },
    }),
  },
  {
    name: 'GET /api/persons/:id/volunteer-hours',
    permission: 'activity:read',
    ok: 200,
    request: async (fx, t) => ({
      method: 'GET',
      url: `/api/persons/${await personOf(fx, t)}/volunteer-hours`,
    }),
  },
  {
    name: 'GET /api/persons/:id/volunteer-ledger',
    permission: 'activity:read',
    ok: 200,
    request: async (fx, t) => ({
      method: 'GET',
      url: `/api/persons/${await personOf(fx, t)}/volunteer-ledger`,
    }),
  },
  {
    name: 'POST /api/persons/:id/volunteer-hours',
    permission: 'volunteer:hours',
    ok: 201,
    request: async (fx, t) => ({
      method: 'POST',
      url: `/api/persons/${await personOf(fx, t)}/volunteer-hours`,
      body: { orgId: fx.orgs[t], hours: 1.5, servedOn: '2025-05-01', source: '矩阵导入' },
    }),
  },
  {
    name: 'POST /api/volunteer-hours/:id/revoke',
    permission: 'volunteer:hours',
    ok: 200,
    request: async (fx, t) => ({
      method: 'POST',
      url: `/api/volunteer-hours/${await importedEntry(fx, t)}/revoke`,
      body: { reason: '核实有误' },
    }),
  },
  {
    name: 'POST /api/persons/:id/volunteer-certificates',
    permission: 'volunteer:hours',
    ok: 201,
    request: async (fx, t) => {
      await importedEntry(fx, t);
      return {
        method: 'POST',
        url: `/api/persons/${await personOf(fx, t)}/volunteer-certificates`,
        body: { orgId: fx.orgs[t] },
      };
    },
  },
  {
    name: 'GET /api/volunteer-stats/tree',
    permission: 'activity:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/volunteer-stats/tree?orgId=${fx.orgs[t]}` }),
  },
]);
