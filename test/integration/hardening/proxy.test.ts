import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../../../src/server/app.js';
import type { Config } from '../../../src/server/config.js';
import { loadConfig } from '../../../src/server/config.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from '../support/system.js';

/**
 * Issue 12, item 3: X-Forwarded-For is believed only from configured proxies. The app is
 * built as in production (where it used to trust any forwarded address) over the test
 * system's database, with a login limit of 5 a minute.
 */
let sys: TestSystem;
const apps: App[] = [];
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await sys?.close();
});

async function appWith(over: Partial<Config>): Promise<App> {
  const config: Config = {
    ...sys.deps.config,
    env: 'production',
    secureCookies: false,
    rateLimit: 5,
    ...over,
  };
  const app = await buildApp({ ...sys.deps, config });
  await app.ready();
  apps.push(app);
  return app;
}

const login = (app: App, from: string, forwarded: string, username: string) =>
  app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: from,
    headers: { 'x-forwarded-for': forwarded, 'user-agent': `proxy-test-${username}` },
    payload: { username, password: 'wrong-password' },
  });

describe('trusted proxies', () => {
  it('reads NIUDAI_TRUSTED_PROXIES as addresses and CIDRs, none by default, and refuses garbage', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ NIUDAI_TRUSTED_PROXIES: '10.0.0.2, 10.1.0.0/16,::1' }).trustedProxies).toEqual([
      '10.0.0.2',
      '10.1.0.0/16',
      '::1',
    ]);
    expect(() => loadConfig({ NIUDAI_TRUSTED_PROXIES: 'proxy.local' })).toThrow(/NIUDAI_TRUSTED_PROXIES/);
  });

  it('without configured proxies a rotating forged X-Forwarded-For does not dodge the login limit, and the log keeps the real address', async () => {
    const app = await appWith({ trustedProxies: [] });
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await login(app, '203.0.113.9', `8.8.${i}.8`, 'spoof.none');
      codes.push(r.statusCode);
    }
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5).every((c) => c === 429)).toBe(true);
    const ips = await sys.db.query<{ ip: string }>(
      sql`SELECT DISTINCT ip FROM login_log WHERE username = 'spoof.none'`,
    );
    expect(ips).toEqual([{ ip: '203.0.113.9' }]);
  });

  it('behind a configured proxy the forwarded client address counts (and is logged); from elsewhere it does not', async () => {
    const app = await appWith({ trustedProxies: ['10.9.0.0/16'] });
    // through the proxy: each client has its own limit
    for (let i = 0; i < 6; i++) {
      const r = await login(app, '10.9.1.1', `198.51.100.${i}`, 'via.proxy');
      expect(r.statusCode).toBe(401);
    }
    const ips = await sys.db.query<{ ip: string }>(
      sql`SELECT ip FROM login_log WHERE username = 'via.proxy' ORDER BY id`,
    );
    expect(ips.map((r) => r.ip)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `198.51.100.${i}`));
    // a client that is not the proxy forges the header in vain
    const direct = await login(app, '192.0.2.50', '10.9.1.1', 'not.proxy');
    expect(direct.statusCode).toBe(401);
    const logged = await sys.db.query<{ ip: string }>(
      sql`SELECT ip FROM login_log WHERE username = 'not.proxy'`,
    );
    expect(logged).toEqual([{ ip: '192.0.2.50' }]);
  });
});
