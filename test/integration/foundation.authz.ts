import { sql } from '../../src/server/platform/db/index.js';
import { addToMatrix, type MatrixFixture, type Target } from './support/matrix.js';

/** Organization, unit and user endpoints in the authorization matrix. */
const orgOf = (fx: MatrixFixture, t: Target) => fx.orgs[t];
let n = 0;
const uniq = () => `${Date.now().toString(36)}${++n}`;

async function makeUnit(fx: MatrixFixture, t: Target) {
  const org = await fx.admin.get(`/api/orgs/${orgOf(fx, t)}`);
  const r = await fx.admin.post('/api/units', {
    name: `矩阵测试社会组织${uniq()}`,
    kind: 'social_org',
    ownership: 'social',
    regionCode: org.body.regionCode,
    orgId: orgOf(fx, t),
    headcount: 3,
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: number; version: number };
}

async function makeUser(fx: MatrixFixture, t: Target) {
  const roles = await fx.admin.get('/api/roles');
  const staff = roles.body.items.find((r: { key: string }) => r.key === 'staff');
  const r = await fx.admin.post('/api/users', {
    username: `mx.${uniq()}`,
    displayName: '矩阵用户',
    orgId: orgOf(fx, t),
    password: 'Matrix@2026',
    roleIds: [staff.id],
  });
  if (r.status !== 201) throw new Error(JSON.stringify(r.body));
  return r.body as { id: number; version: number };
}

addToMatrix('orgs', [
  {
    name: 'GET /api/orgs/:id',
    permission: 'org:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/orgs/${orgOf(fx, t)}` }),
  },
  {
    name: 'POST /api/orgs (under target)',
    permission: 'org:write',
    ok: 201,
    request: async (fx, t) => {
      const parent = await fx.admin.get(`/api/orgs/${orgOf(fx, t)}`);
      return {
        method: 'POST',
        url: '/api/orgs',
        body: {
          parentId: orgOf(fx, t),
          name: `矩阵测试工会${uniq()}`,
          type: 'union',
          level: 'grassroots',
          regionCode: parent.body.regionCode,
        },
      };
    },
  },
  {
    name: 'PATCH /api/orgs/:id',
    permission: 'org:write',
    ok: 200,
    request: async (fx, t) => {
      const org = await fx.admin.get(`/api/orgs/${orgOf(fx, t)}`);
      return {
        method: 'PATCH',
        url: `/api/orgs/${orgOf(fx, t)}`,
        body: { version: org.body.version, contactName: `联系人${uniq()}` },
      };
    },
  },
  {
    name: 'POST /api/orgs/:id/move',
    permission: 'org:write',
    ok: 200,
    request: async (fx, t) => {
      // move a fresh grassroots union (created under the target) to the target's other child
      const parent = await fx.admin.get(`/api/orgs/${orgOf(fx, t)}`);
      const a = await fx.admin.post('/api/orgs', {
        parentId: orgOf(fx, t),
        name: `移动源${uniq()}`,
        type: 'union',
        level: 'grassroots',
        regionCode: parent.body.regionCode,
      });
      const b = await fx.admin.post('/api/orgs', {
        parentId: orgOf(fx, t),
        name: `移动目标${uniq()}`,
        type: 'union',
        level: 'grassroots',
        regionCode: parent.body.regionCode,
      });
      return {
        method: 'POST',
        url: `/api/orgs/${a.body.id}/move`,
        body: { version: a.body.version, parentId: b.body.id },
      };
    },
  },
]);

addToMatrix('units', [
  {
    name: 'GET /api/units?orgId=',
    permission: 'unit:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/units?orgId=${fx.orgs[t]}` }),
  },
  {
    name: 'GET /api/units/export?orgId=',
    permission: 'unit:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/units/export?orgId=${fx.orgs[t]}` }),
  },
  {
    name: 'GET /api/units/:id',
    permission: 'unit:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/units/${(await makeUnit(fx, t)).id}` }),
  },
  {
    name: 'PATCH /api/units/:id',
    permission: 'unit:write',
    ok: 200,
    request: async (fx, t) => {
      const u = await makeUnit(fx, t);
      return { method: 'PATCH', url: `/api/units/${u.id}`, body: { version: u.version, headcount: 9 } };
    },
  },
]);

addToMatrix('users', [
  {
    name: 'GET /api/users?orgId=',
    permission: 'user:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/users?orgId=${fx.orgs[t]}` }),
  },
  {
    name: 'GET /api/users/export?orgId=',
    permission: 'user:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/users/export?orgId=${fx.orgs[t]}` }),
  },
  {
    name: 'GET /api/users/:id',
    permission: 'user:read',
    ok: 200,
    request: async (fx, t) => ({ method: 'GET', url: `/api/users/${(await makeUser(fx, t)).id}` }),
  },
  {
    name: 'PATCH /api/users/:id',
    permission: 'user:write',
    ok: 200,
    request: async (fx, t) => {
      const u = await makeUser(fx, t);
      return {
        method: 'PATCH',
        url: `/api/users/${u.id}`,
        body: { version: u.version, displayName: '改名' },
      };
    },
  },
  {
    name: 'POST /api/users/:id/unlock',
    permission: 'user:write',
    ok: 204,
    request: async (fx, t) => ({ method: 'POST', url: `/api/users/${(await makeUser(fx, t)).id}/unlock` }),
  },
]);

/** A user of the target organization with one API token (written directly: staff may not create tokens). */
async function makeUserToken(fx: MatrixFixture, t: Target) {
  const u = await makeUser(fx, t);
  const rows = await fx.sys.db.query<{ id: number }>(sql`INSERT INTO api_tokens (name, token_hash, user_id,
      permissions, created_at) VALUES ('矩阵令牌', ${`matrix-${uniq()}`}, ${u.id}, '{org:read}', now()) RETURNING id`);
  return { userId: u.id, tokenId: rows[0]!.id };
}

addToMatrix('users: API tokens of another account', [
  {
    name: 'GET /api/users/:id/tokens',
    permission: 'user:read',
    ok: 200,
    request: async (fx, t) => ({
      method: 'GET',
      url: `/api/users/${(await makeUserToken(fx, t)).userId}/tokens`,
    }),
  },
  {
    name: 'DELETE /api/users/:id/tokens/:tokenId',
    permission: 'user:write',
    ok: 204,
    request: async (fx, t) => {
      const k = await makeUserToken(fx, t);
      return { method: 'DELETE', url: `/api/users/${k.userId}/tokens/${k.tokenId}` };
    },
  },
]);
