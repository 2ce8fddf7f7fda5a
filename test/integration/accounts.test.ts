import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/server/platform/db/index.js';
import type { Client } from './support/client.js';
import { createTestSystem, type TestSystem } from './support/system.js';

/**
 * Account hardening (issue 12): one account acts on another only when it reaches at least as
 * far (item 2).
 */
let sys: TestSystem;
let admin: Client;
let county1: Client;
let roleIds: Record<string, number>;
let orgIds: { county1: number; town1: number; county2: number };

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  const roles = await sys.db.query<{ id: number; key: string }>(sql`SELECT id, key FROM roles`);
  roleIds = Object.fromEntries(roles.map((r) => [r.key, Number(r.id)]));
  const users = await sys.db.query<{ username: string; org_id: number }>(
    sql`SELECT username, org_id FROM users WHERE username IN ('county1.union', 'town1.union', 'county2.union')`,
  );
  const of = (u: string) => Number(users.find((x) => x.username === u)!.org_id);
  orgIds = { county1: of('county1.union'), town1: of('town1.union'), county2: of('county2.union') };
});
afterAll(() => sys?.close());

let seq = 0;
async function makeUser(role: string, orgId: number, password = 'Initial#Pass77') {
  const r = await admin.post('/api/users', {
    username: `acct.u${++seq}`,
    displayName: `账号测试${seq}`,
    orgId,
    password,
    roleIds: [roleIds[role]],
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: number; version: number; username: string };
}

describe('acting on a wider account', () => {
  it('an organization administrator cannot reset, change, disable or unlock an ALL-scope account in its subtree', async () => {
    const wide = await makeUser('admin', orgIds.town1, 'Wide#Scope2026x');
    const hashBefore = await sys.db.query<{ password_hash: string }>(
      sql`SELECT password_hash FROM users WHERE id = ${wide.id}`,
    );
    const attempts = [
      county1.patch(`/api/users/${wide.id}`, { version: wide.version, password: 'Taken#Over2026x' }),
      county1.patch(`/api/users/${wide.id}`, { version: wide.version, status: 'disabled' }),
      county1.patch(`/api/users/${wide.id}`, { version: wide.version, displayName: '被改名' }),
      county1.patch(`/api/users/${wide.id}`, { version: wide.version, roleIds: [roleIds.staff] }),
      county1.post(`/api/users/${wide.id}/unlock`),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(r.status, JSON.stringify(r.body)).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
    }
    const hashAfter = await sys.db.query<{ password_hash: string; status: string; display_name: string }>(
      sql`SELECT password_hash, status, display_name FROM users WHERE id = ${wide.id}`,
    );
    expect(hashAfter[0]).toMatchObject({ password_hash: hashBefore[0]!.password_hash, status: 'active' });
    await expect(sys.login(wide.username, 'Taken#Over2026x')).rejects.toThrow(/401/);
    // its API tokens are out of reach too
    const tokenRow = await sys.db.query<{ id: number }>(sql`INSERT INTO api_tokens (name, token_hash, user_id,
        permissions, created_at) VALUES ('wide', 'acct-wide-token', ${wide.id}, '{org:read}', now()) RETURNING id`);
    const revoke = await county1.delete(`/api/users/${wide.id}/tokens/${tokenRow[0]!.id}`);
    expect(revoke.status).toBe(403);
    const listed = await county1.get(`/api/users/${wide.id}/tokens`);
    expect(listed.status).toBe(200);
    expect(listed.body.items[0]).toMatchObject({ name: 'wide', revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain('acct-wide-token');
    // the platform administrator may
    const byAdmin = await admin.delete(`/api/users/${wide.id}/tokens/${tokenRow[0]!.id}`);
    expect(byAdmin.status).toBe(204);
  });

  it('holds for a permission the actor lacks (pii:reveal) inside an equal scope', async () => {
    const role = await admin.post('/api/roles', {
      key: 'acct_revealer',
      name: '核验员（测试）',
      permissions: ['person:read', 'pii:reveal'],
      dataScope: 'ORG',
    });
    expect(role.status).toBe(201);
    roleIds.acct_revealer = role.body.id;
    const u = await makeUser('acct_revealer', orgIds.town1);
    const r = await county1.patch(`/api/users/${u.id}`, { version: u.version, password: 'Taken#Over2026x' });
    expect(r.status).toBe(403);
  });

  it('still lets an administrator manage the accounts it covers (narrower and equal ones)', async () => {
    const staff = await makeUser('staff', orgIds.town1);
    const r = await county1.patch(`/api/users/${staff.id}`, {
      version: staff.version,
      password: 'Reset#Pass2026x',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await sys.login(staff.username, 'Reset#Pass2026x');
    const peer = await makeUser('org_admin', orgIds.county1);
    const p = await county1.patch(`/api/users/${peer.id}`, { version: peer.version, status: 'disabled' });
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    const lower = await makeUser('org_admin', orgIds.town1);
    expect((await county1.post(`/api/users/${lower.id}/unlock`)).status).toBe(204);
    // another county's accounts stay out of scope: 404
    const far = await makeUser('staff', orgIds.county2);
    expect(
      (await county1.patch(`/api/users/${far.id}`, { version: far.version, displayName: 'x' })).status,
    ).toBe(404);
  });

  it('an API token acts with its own narrowed permissions: it cannot reset an account holding more', async () => {
    const staff = await makeUser('staff', orgIds.town1);
    const created = await admin.post('/api/auth/tokens', {
      name: '用户同步',
      permissions: ['user:read', 'user:write'],
    });
    expect(created.status).toBe(201);
    const bearer = { authorization: `Bearer ${created.body.token}` };
    const r = await sys
      .anonymous()
      .request(
        'PATCH',
        `/api/users/${staff.id}`,
        { version: staff.version, password: 'Token#Reset2026' },
        bearer,
      );
    expect(r.status).toBe(403);
    // nor its own owner's account (a leaked token must not become the whole account)
    const me = await sys.db.query<{ id: number; version: number }>(
      sql`SELECT id, version FROM users WHERE username = 'admin'`,
    );
    const own = await sys
      .anonymous()
      .request(
        'PATCH',
        `/api/users/${me[0]!.id}`,
        { version: me[0]!.version, password: 'Token#Reset2026' },
        bearer,
      );
    expect(own.status).toBe(403);
  });
});
