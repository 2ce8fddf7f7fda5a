import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from './support/system.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys?.close());

describe('login and sessions', () => {
  it('logs in, sets an HttpOnly SameSite session cookie and a CSRF token, and /api/me describes the user', async () => {
    const res = await sys
      .anonymous()
      .request('POST', '/api/auth/login', { username: 'county1.union', password: 'Demo@2026!' });
    expect(res.status).toBe(200);
    const cookies = ([] as string[]).concat(res.headers['set-cookie'] as string[]);
    const sid = cookies.find((c) => c.startsWith('niudai_sid='))!;
    expect(sid).toMatch(/HttpOnly/i);
    expect(sid).toMatch(/SameSite=Lax/i);
    const me = await (await sys.login('county1.union')).get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.organization.name).toBe('桥东区总工会');
    expect(me.body.dataScope.kinds).toEqual(['ORG_AND_BELOW']);
    expect(me.body.permissions).toContain('org:write');
    expect(me.body.user.phone).toBe('138****0003');
  });

  it('answers wrong passwords and unknown users alike, and logs both', async () => {
    const a = await sys
      .anonymous()
      .request('POST', '/api/auth/login', { username: 'hotline', password: 'wrong' });
    const b = await sys
      .anonymous()
      .request('POST', '/api/auth/login', { username: 'nobody.here', password: 'wrong' });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    expect(a.body.error.message).toBe(b.body.error.message);
    const log = await sys.db.query<{ username: string; success: boolean }>(
      sql`SELECT username, success FROM login_log WHERE username IN ('hotline', 'nobody.here') ORDER BY id`,
    );
    expect(log).toEqual([
      { username: 'hotline', success: false },
      { username: 'nobody.here', success: false },
    ]);
  });

  it('locks an account for 15 minutes after 5 failures, even for the right password (answered like any failure)', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await sys
        .anonymous()
        .request('POST', '/api/auth/login', { username: 'town1.union', password: `bad${i}` });
      expect(r.status).toBe(401);
    }
    const locked = await sys
      .anonymous()
      .request('POST', '/api/auth/login', { username: 'town1.union', password: 'Demo@2026!' });
    expect(locked.status).toBe(401);
    expect(locked.body.error.code).toBe('UNAUTHENTICATED');
    sys.deps.clock.set(new Date(Date.now() + 16 * 60_000));
    try {
      const again = await sys
        .anonymous()
        .request('POST', '/api/auth/login', { username: 'town1.union', password: 'Demo@2026!' });
      expect(again.status).toBe(200);
    } finally {
      sys.deps.clock.reset();
    }
  });

  it('ends a session after 30 idle minutes', async () => {
    const c = await sys.login('supervisor');
    expect((await c.get('/api/me')).status).toBe(200);
    sys.deps.clock.set(new Date(Date.now() + 29 * 60_000));
    expect((await c.get('/api/me')).status).toBe(200); // activity resets the idle clock
    sys.deps.clock.set(new Date(Date.now() + 29 * 60_000 + 32 * 60_000));
    try {
      const r = await c.get('/api/me');
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHENTICATED');
    } finally {
      sys.deps.clock.reset();
    }
  });

  it('refuses cookie-authenticated mutations without the CSRF header', async () => {
    const c = await sys.login('admin');
    const res = await c.request(
      'PATCH',
      '/api/orgs/2',
      { version: 1, contactName: 'x' },
      { 'x-csrf-token': 'forged' },
    );
    c.csrf = null;
    const none = await c.patch('/api/orgs/2', { version: 1, contactName: 'x' });
    expect(res.status).toBe(403);
    expect(none.status).toBe(403);
    expect(none.body.error.details.reason).toBe('csrf');
  });

  it('logout ends the session', async () => {
    const c = await sys.login('hotline');
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    expect((await c.get('/api/me')).status).toBe(401);
  });

  it('enforces the password policy and changes the password', async () => {
    const c = await sys.login('member');
    const weak = await c.post('/api/auth/password', { oldPassword: 'Demo@2026!', newPassword: 'abcdefgh' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.details.rules).toContain('classes');
    const ok = await c.post('/api/auth/password', { oldPassword: 'Demo@2026!', newPassword: 'Better#2026' });
    expect(ok.status).toBe(204);
    await expect(sys.login('member', 'Demo@2026!')).rejects.toThrow(/401/);
    const stored = await sys.db.query<{ password_hash: string }>(
      sql`SELECT password_hash FROM users WHERE username = 'member'`,
    );
    expect(stored[0]!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('sends security headers and a request id', async () => {
    const r = await sys.anonymous().get('/api/health');
    expect(r.body).toMatchObject({ status: 'ok', engine: sys.engine });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBeDefined();
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['x-request-id']).toBeTruthy();
  });
});

describe('API tokens', () => {
  it('authenticates integrations with narrowed permissions, without CSRF, until revoked', async () => {
    const admin = await sys.login('admin');
    const created = await admin.post('/api/auth/tokens', { name: '对接系统', permissions: ['org:read'] });
    expect(created.status).toBe(201);
    const bearer = { authorization: `Bearer ${created.body.token}` };
    const anon = sys.anonymous();
    expect((await anon.request('GET', '/api/orgs/2', undefined, bearer)).status).toBe(200);
    const write = await anon.request('PATCH', '/api/orgs/2', { version: 1, contactName: 'x' }, bearer);
    expect(write.status).toBe(403);
    expect((await admin.delete(`/api/auth/tokens/${created.body.id}`)).status).toBe(204);
    expect((await anon.request('GET', '/api/orgs/2', undefined, bearer)).status).toBe(401);
  });

  it('cannot grant more than the creator holds', async () => {
    const c = await sys.login('county1.union');
    const r = await c.post('/api/auth/tokens', { name: 'x', permissions: ['role:write'] });
    expect(r.status).toBe(400);
  });
});

describe('rate limits', () => {
  it('limits login attempts per client', async () => {
    const limited = await createTestSystem({ seed: false, env: { NIUDAI_RATE_LIMIT: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        codes.push(
          (await limited.anonymous().request('POST', '/api/auth/login', { username: 'x.y', password: 'z' }))
            .status,
        );
      }
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes[4]).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
