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

describe('failed logins (item 10)', () => {
  it('answer alike for an unknown user, a wrong password, a disabled and a locked account (never 423)', async () => {
    const disabled = await makeUser('staff', orgIds.town1, 'Right#Pass2026');
    expect(
      (await admin.patch(`/api/users/${disabled.id}`, { version: disabled.version, status: 'disabled' }))
        .status,
    ).toBe(200);
    const locked = await makeUser('staff', orgIds.town1, 'Right#Pass2026');
    for (let i = 0; i < 5; i++)
      await sys.anonymous().post('/api/auth/login', { username: locked.username, password: `Wrong#${i}x` });
    const wrong = await makeUser('staff', orgIds.town1, 'Right#Pass2026');
    const answers = [];
    for (const [username, password] of [
      ['nobody.at.all', 'Right#Pass2026'],
      [wrong.username, 'Wrong#Pass2026'],
      [disabled.username, 'Right#Pass2026'],
      [locked.username, 'Right#Pass2026'],
    ] as const) {
      const r = await sys.anonymous().post('/api/auth/login', { username, password });
      answers.push({
        status: r.status,
        code: r.body.error.code,
        message: r.body.error.message,
        details: r.body.error.details,
      });
    }
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(new Set(answers.map((a) => JSON.stringify({ ...a }))).size).toBe(1);
    // the log still tells the administrators what happened
    const log = await sys.db.query<{
      username: string;
      reason: string;
    }>(sql`SELECT DISTINCT ON (username) username, reason
      FROM login_log WHERE username IN (${'nobody.at.all'}, ${wrong.username}, ${disabled.username}, ${locked.username})
      ORDER BY username, id DESC`);
    expect(Object.fromEntries(log.map((l) => [l.username, l.reason]))).toEqual({
      'nobody.at.all': 'unknown_user',
      [wrong.username]: 'bad_password',
      [disabled.username]: 'disabled',
      [locked.username]: 'locked',
    });
  });
});

describe('password policy (item 11) and tokens on a password change (item 12)', () => {
  it('refuses common passwords, the demo password and passwords built on the username or name', async () => {
    const u = await admin.post('/api/users', {
      username: 'zhang.wei',
      displayName: '张伟',
      orgId: orgIds.town1,
      password: 'Solid#Start26',
      roleIds: [roleIds.staff],
    });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    const c = await sys.login('zhang.wei', 'Solid#Start26');
    const refused: [string, string][] = [
      ['Password1', 'common'],
      ['Passw0rd', 'common'],
      ['P@ssw0rd123', 'common'],
      ['Qwerty123', 'common'],
      ['Woaini1314', 'common'],
      ['woaini1314!', 'common'],
      ['Demo@2026!', 'common'],
      ['Admin@123', 'common'],
      ['Zhangwei@88', 'personal'],
      ['Zhang.Wei2026', 'personal'],
      ['WeiZhang#1', 'personal'],
      ['Zhang.wei#01', 'personal'],
      ['my-Zhang.Wei-2026', 'personal'],
    ];
    for (const [pw, rule] of refused) {
      const r = await c.post('/api/auth/password', { oldPassword: 'Solid#Start26', newPassword: pw });
      expect(r.status, pw).toBe(400);
      expect(r.body.error.details.rules, pw).toEqual([rule]);
    }
    // the same rules when an administrator sets a password
    const created = await admin.post('/api/users', {
      username: 'county9.union',
      displayName: '测试',
      orgId: orgIds.town1,
      password: 'County9.Union',
      roleIds: [roleIds.staff],
    });
    expect(created.status).toBe(400);
    expect(created.body.error.details.rules).toEqual(['personal']);
    const reset = await admin.patch(`/api/users/${u.body.id}`, {
      version: u.body.version,
      password: 'Qwerty123',
    });
    expect(reset.status).toBe(400);
    // an ordinary strong password passes
    expect(
      (await c.post('/api/auth/password', { oldPassword: 'Solid#Start26', newPassword: 'Ferry-Lantern-42' }))
        .status,
    ).toBe(204);
  });

  it('refuses the current password and the four before it, keeping only hashes', async () => {
    const u = await makeUser('staff', orgIds.town1, 'Version#Zero0');
    const c = await sys.login(u.username, 'Version#Zero0');
    const change = (from: string, to: string) =>
      c.post('/api/auth/password', { oldPassword: from, newPassword: to });
    expect((await change('Version#Zero0', 'Version#Zero0')).body.error?.details.rules).toEqual(['reused']);
    const seq = ['Version#Zero0', 'Version#One11', 'Version#Two22', 'Version#Three3', 'Version#Four44'];
    for (let i = 1; i < seq.length; i++)
      expect((await change(seq[i - 1]!, seq[i]!)).status, seq[i]).toBe(204);
    for (const old of seq) {
      const r = await change('Version#Four44', old);
      expect(r.status, old).toBe(400);
      expect(r.body.error.details.rules).toEqual(['reused']);
    }
    // an administrator's reset follows the same history
    const row = await sys.db.query<{ version: number }>(sql`SELECT version FROM users WHERE id = ${u.id}`);
    const reset = await admin.patch(`/api/users/${u.id}`, {
      version: row[0]!.version,
      password: 'Version#Two22',
    });
    expect(reset.status).toBe(400);
    expect((await change('Version#Four44', 'Version#Five55')).status).toBe(204);
    // the oldest has left the window of five
    expect((await change('Version#Five55', 'Version#Zero0')).status).toBe(204);
    const kept = await sys.db.query<{ password_hash: string }>(
      sql`SELECT password_hash FROM password_history WHERE user_id = ${u.id}`,
    );
    expect(kept).toHaveLength(4);
    for (const k of kept) expect(k.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('revokes the API tokens of an account whose password changes or is reset', async () => {
    const owner = await makeUser('org_admin', orgIds.town1, 'Token#Owner26');
    const c = await sys.login(owner.username, 'Token#Owner26');
    const bearerOf = async () => {
      const t = await c.post('/api/auth/tokens', { name: '对接', permissions: ['org:read'] });
      expect(t.status).toBe(201);
      return { authorization: `Bearer ${t.body.token}` };
    };
    const use = (h: Record<string, string>) =>
      sys.anonymous().request('GET', `/api/orgs/${orgIds.town1}`, undefined, h);
    const first = await bearerOf();
    expect((await use(first)).status).toBe(200);
    expect(
      (await c.post('/api/auth/password', { oldPassword: 'Token#Owner26', newPassword: 'Token#Owner27' }))
        .status,
    ).toBe(204);
    expect((await use(first)).status).toBe(401);
    const second = await bearerOf();
    const row = await sys.db.query<{ version: number }>(
      sql`SELECT version FROM users WHERE id = ${owner.id}`,
    );
    expect(
      (await county1.patch(`/api/users/${owner.id}`, { version: row[0]!.version, password: 'Token#Owner28' }))
        .status,
    ).toBe(200);
    expect((await use(second)).status).toBe(401);
  });
});
