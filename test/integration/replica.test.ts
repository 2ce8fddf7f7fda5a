import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Running, startSystem } from '../../src/server/boot.js';
import { openPostgres, sql } from '../../src/server/platform/db/index.js';
import { LSN_COOKIE } from '../../src/server/platform/db/replica.js';
import { createTestSystem, type TestSystem } from './support/system.js';

// A real streaming standby (pg_basebackup -R) of the test PostgreSQL, next to the primary.
const primaryUrl = process.env.TEST_DATABASE_URL;
const standbyPort = primaryUrl ? Number(new URL(primaryUrl).port) + 100 : 0;
const standbyDir = join(process.cwd(), `.tmp/pg-standby-${standbyPort}`);
const pgsh = (...args: string[]) =>
  execFileSync('bash', ['scripts/pg.sh', ...args], { encoding: 'utf8' }).trim();

let sys: TestSystem;
let api: Running;
let standbyUrl: string;
const req = (cookies: Record<string, string> = {}) => ({ cookies }) as unknown as FastifyRequest;

describe.skipIf(!primaryUrl)('reads from a streaming standby', () => {
  beforeAll(async () => {
    sys = await createTestSystem({ env: { NIUDAI_JOBS: 'false' } });
    const base = pgsh('standby', standbyDir, String(standbyPort), new URL(primaryUrl!).port);
    const u = new URL(base);
    u.pathname = new URL(sys.databaseUrl!).pathname;
    standbyUrl = u.toString();
    api = await startSystem(
      { ...sys.deps.config, replicaUrl: standbyUrl },
      sys.db,
      createLogger(sys.deps.config),
    );
    await api.app.ready();
  }, 120_000);
  afterAll(async () => {
    await api?.stop();
    await sys?.close();
    if (primaryUrl) pgsh('stop', standbyDir);
  });

  it('a fresh standby serves reads; a caller whose write it has not replayed reads the primary', async () => {
    const reads = api.deps.reads;
    expect(await reads.readerFor(req())).toBe(reads.replica);

    const standby = await openPostgres(standbyUrl, 1);
    try {
      await standby.query(sql`SELECT pg_wal_replay_pause()`);
      // a write through the API (signing in writes a session): the answer carries its position
      const login = await api.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'county1.union', password: 'Demo@2026!' },
      });
      expect(login.statusCode).toBe(200);
      const lsn = login.cookies.find((c) => c.name === LSN_COOKIE)?.value;
      expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
      await sys.db.query(sql`SELECT pg_switch_wal()`); // the write is past what the standby replayed

      expect(await reads.readerFor(req({ [LSN_COOKIE]: lsn! }))).not.toBe(reads.replica);
      // someone who wrote nothing may read the (slightly older) standby
      expect(await reads.readerFor(req())).toBe(reads.replica);
      // the session's own dashboard answers from the primary, with its own session
      const sid = login.cookies.find((c) => c.name === 'niudai_sid')!.value;
      const stats = await api.app.inject({
        method: 'GET',
        url: '/api/coverage/stats',
        cookies: { niudai_sid: sid, [LSN_COOKIE]: lsn! },
      });
      expect(stats.statusCode).toBe(200);

      await standby.query(sql`SELECT pg_wal_replay_resume()`);
      let caughtUp = false;
      for (let i = 0; i < 100 && !caughtUp; i++) {
        caughtUp = (await reads.readerFor(req({ [LSN_COOKIE]: lsn! }))) === reads.replica;
        if (!caughtUp) await new Promise((r) => setTimeout(r, 100));
      }
      expect(caughtUp).toBe(true);
    } finally {
      await standby.query(sql`SELECT pg_wal_replay_resume()`).catch(() => undefined);
      await standby.close();
    }
  });

  it('a standby that is down sends reads to the primary and says so in the metrics', async () => {
    pgsh('stop', standbyDir);
    await new Promise((r) => setTimeout(r, 1100)); // past the probe period
    const reads = api.deps.reads;
    const before = reads.fallbacks;
    expect(await reads.readerFor(req())).not.toBe(reads.replica);
    expect(reads.fallbacks).toBeGreaterThan(before);
    const metrics = await api.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^niudai_replica_up 0$/m);
    const login = await api.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'county1.union', password: 'Demo@2026!' },
    });
    const sid = login.cookies.find((c) => c.name === 'niudai_sid')!.value;
    const stats = await api.app.inject({
      method: 'GET',
      url: '/api/coverage/stats',
      cookies: { niudai_sid: sid },
    });
    expect(stats.statusCode).toBe(200);
  });
});
