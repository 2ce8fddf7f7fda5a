/**
 * Membership, composition and coverage statistics over the whole tree of the large seed
 * (100,000 organizations, 5,000,000 memberships) on PostgreSQL, through the services the API
 * runs, for the city-wide administrator and for a county union. Baseline in the same run: a
 * bare `count(*)` over the memberships table. Goal: every statistic ≤ 1 s.
 *
 *   npm run bench:people-stats        (starts a PostgreSQL with scripts/pg.sh on port 55451, seeds it)
 *   DATABASE_URL=postgres://… npm run bench:people-stats   (seeds an empty database, or reuses a seeded one)
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import '../src/server/modules/index.js';
import { loadConfig } from '../src/server/config.js';
import { createCoverageService } from '../src/server/modules/coverage/service.js';
import { createStatsService } from '../src/server/modules/people/stats/service.js';
import type { Ctx } from '../src/server/platform/actor.js';
import { Clock } from '../src/server/platform/clock.js';
import { openPostgres, sql } from '../src/server/platform/db/index.js';
import { ReadRouter } from '../src/server/platform/db/replica.js';
import type { Deps } from '../src/server/platform/deps.js';
import { FileStore } from '../src/server/platform/files.js';
import type { Jobs } from '../src/server/platform/jobs.js';
import { migrate } from '../src/server/platform/migrate.js';
import { Pii } from '../src/server/platform/pii.js';
import { loadActor } from '../src/server/platform/sessions.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { ms, timeMany } from './support.js';

let stopPg: (() => void) | undefined;
let url = process.env.DATABASE_URL;
if (!url) {
  const dir = join(process.cwd(), '.tmp', 'pg-people-stats');
  url = execFileSync('bash', ['scripts/pg.sh', 'start', dir, '55451'], { encoding: 'utf8' }).trim();
  stopPg = () => execFileSync('bash', ['scripts/pg.sh', 'stop', dir]);
}
try {
  const db = await openPostgres(url, 4);
  await migrate(db);
  const pii = new Pii([{ id: 'b', key: randomBytes(32) }], randomBytes(32));
  if ((await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM orgs`))[0]!.n === 0) {
    const t0 = performance.now();
    console.log('seeding the large city (100,000 organizations, 1,000,000 persons, 5,000,000 memberships) …');
    await seedDemo(db, pii, { cityCode: '1307', scale: 'large', now: new Date() });
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  await db.exec('VACUUM ANALYZE');
  const size = (
    await db.query<{ orgs: number; persons: number; memberships: number; units: number }>(
      sql`SELECT (SELECT count(*)::int FROM orgs) AS orgs, (SELECT count(*)::int FROM persons) AS persons,
      (SELECT count(*)::int FROM memberships) AS memberships, (SELECT count(*)::int FROM units) AS units`,
    )
  )[0]!;
  console.log(
    `data: ${size.orgs.toLocaleString()} organizations, ${size.persons.toLocaleString()} persons, ${size.memberships.toLocaleString()} memberships, ${size.units.toLocaleString()} units`,
  );

  const deps: Deps = {
    config: loadConfig({ NODE_ENV: 'test' }),
    db,
    reads: new ReadRouter(db, null),
    clock: new Clock(),
    pii,
    jobs: null as unknown as Jobs,
    files: new FileStore('.tmp/bench-files'),
    log: pino({ level: 'error' }),
  };
  const stats = createStatsService(deps);
  const coverage = createCoverageService(deps);
  const ctxOf = async (username: string): Promise<Ctx> => {
    const u = (await db.query<{ id: number }>(sql`SELECT id FROM users WHERE username = ${username}`))[0]!;
    return { actor: (await loadActor(db, u.id, 'system'))!, requestId: 'bench', ip: null, now: new Date() };
  };
  const admin = await ctxOf('admin');
  const cityUnion = await ctxOf('city.union');
  const county = await ctxOf('county1.union');

  const runs = 5;
  const base = await timeMany(runs, () => db.query(sql`SELECT count(*) FROM memberships`));
  console.log(`\nbaseline: SELECT count(*) FROM memberships          p50 ${ms(base.p50)}`);
  const cases: [string, () => Promise<unknown>][] = [
    ['membership stats by org type, whole tree (admin)', () => stats.memberships(admin, { by: 'type' })],
    ['membership stats by level, whole tree (admin)', () => stats.memberships(admin, { by: 'level' })],
    ['membership stats by child org, city union subtree', () => stats.memberships(cityUnion, { by: 'org' })],
    ['membership stats by level, one county (scoped)', () => stats.memberships(county, { by: 'level' })],
    [
      'composition of committees/representatives, whole tree',
      () => stats.composition(admin, { by: 'level' }),
    ],
    ['composition by child org, city union subtree', () => stats.composition(cityUnion, { by: 'org' })],
    ['coverage rates by region, whole city', () => coverage.stats(admin, { by: 'region' })],
    ['coverage rates by organization type', () => coverage.stats(admin, { by: 'orgType' })],
    [
      'uncovered units, most people first (page 1)',
      () => coverage.uncovered(admin, { page: 1, pageSize: 20 }),
    ],
  ];
  let worst = 0;
  for (const [name, fn] of cases) {
    await fn();
    const t = await timeMany(runs, fn);
    worst = Math.max(worst, t.p50);
    console.log(
      `${name.padEnd(55)} p50 ${ms(t.p50).padStart(11)}  max ${ms(t.p99).padStart(11)}  ${(t.p50 / base.p50).toFixed(2)}× baseline  ${t.p50 <= 1000 ? 'OK' : 'OVER 1 s'}`,
    );
  }
  console.log(`\nslowest statistic p50 ${ms(worst)} (goal ≤ 1000 ms)`);
  await db.close();
} finally {
  stopPg?.();
}
