import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Running, startSystem } from '../../src/server/boot.js';
import { claimSlot } from '../../src/server/platform/periodic.js';
import { clientFor } from './support/client.js';
import { createTestSystem, type TestSystem } from './support/system.js';

// Two API processes on one database: here two complete apps (each with its own plugins,
// caches and rate-limit store) in one test process, sharing the test system's database.
let sys: TestSystem;
let second: Running | undefined;

beforeAll(async () => {
  sys = await createTestSystem({ seed: false, env: { NIUDAI_RATE_LIMIT: '4', NIUDAI_JOBS: 'false' } });
  if (sys.engine === 'postgres') {
    const config = sys.deps.config;
    second = await startSystem(config, sys.db, createLogger(config));
    await second.app.ready();
  }
});
afterAll(async () => {
  await second?.stop();
  await sys?.close();
});

describe('nothing per process that must be global', () => {
  it('a period is claimed by one process however many ask', async () => {
    const now = Date.UTC(2026, 11, 8, 9, 30, 10);
    const claims = await Promise.all(
      Array.from({ length: 6 }, () => claimSlot(sys.deps, 'probe sweep', 60_000, now)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimSlot(sys.deps, 'probe sweep', 60_000, now + 30_000)).toBe(false); // same minute
    expect(await claimSlot(sys.deps, 'probe sweep', 60_000, now + 60_000)).toBe(true); // the next
    expect(await claimSlot(sys.deps, 'other sweep', 60_000, now)).toBe(true); // its own slots
  });

  it.skipIf(process.env.TEST_DATABASE_URL === undefined)(
    'a rate limit holds across API processes (PostgreSQL: counters in the database)',
    async () => {
      const apps = [clientFor(sys.app), clientFor(second!.app)];
      const codes: number[] = [];
      for (let i = 0; i < 6; i++)
        codes.push((await apps[i % 2]!.get('/api/public/appeals/23456789AB?phone4=1234')).status);
      // four answers in the window across both processes, then 429 from either
      expect(codes).toEqual([404, 404, 404, 404, 429, 429]);
    },
  );
});
