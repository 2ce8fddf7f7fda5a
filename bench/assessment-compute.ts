/**
 * Computing an assessment scheme with six computed indicators (appeals' three rates, task
 * timeliness, report timeliness, coverage) plus a computed deduction and veto, for every
 * organization of the demo city (~12,000), each over its own subtree. Baseline in the same
 * run: the same indicators for the same organizations read once through the registry
 * (computeIndicators alone), i.e. the part of the run that is not scoring and writing.
 * Engine: PGlite by default, PostgreSQL with --pg (DATABASE_URL or a throw-away server).
 */
import { randomBytes } from 'node:crypto';
import '../src/server/modules/index.js';
import * as repo from '../src/server/modules/assessment/repo.js';
import { UNION_SCHEME } from '../src/server/modules/assessment/seed.js';
import { computeRun, insertScheme } from '../src/server/modules/assessment/service.js';
import { computeIndicators } from '../src/server/modules/stats/indicators.js';
import { SYSTEM_ACTOR } from '../src/server/platform/actor.js';
import { type Db, sql } from '../src/server/platform/db/index.js';
import { migrate } from '../src/server/platform/migrate.js';
import { Pii } from '../src/server/platform/pii.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { indicatorsOf } from '../src/shared/assessment/scheme.js';
import { periodOrThrow } from '../src/shared/stats/period.js';
import { benchPglite, benchPostgres } from './support.js';

async function run(engine: string, db: Db) {
  await migrate(db);
  const now = new Date('2026-03-02T01:00:00Z');
  const pii = new Pii([{ id: 'b', key: randomBytes(32) }], randomBytes(32));
  await seedDemo(db, pii, { cityCode: '1307', scale: 'demo', now });
  await db.exec('ANALYZE');
  const ctx = { actor: SYSTEM_ACTOR, requestId: 'bench', ip: null, now };
  const all = {
    ...UNION_SCHEME,
    name: '全市各组织考核（基准）',
    orgTypes: [
      'party_mass_office',
      'union',
      'youth_league',
      'women',
      'science',
      'overseas',
      'disabled',
      'literary',
      'commerce',
      'red_cross',
    ],
    orgLevels: ['city', 'county', 'township', 'village', 'grassroots'],
  };
  const schemeId = await db.tx((tx) => insertScheme(tx, ctx, all, 1));
  const scheme = await repo.findScheme(db, schemeId);
  const orgs = await db.query<{ id: number; path: string }>(
    sql`SELECT id, path FROM orgs WHERE status = 'active'`,
  );
  const keys = indicatorsOf(scheme.definition);
  const computed = scheme.definition.items.filter((i) => i.kind === 'computed').length;

  const b0 = performance.now();
  await computeIndicators(db, keys, orgs, periodOrThrow('2025'));
  const base = performance.now() - b0;

  const t0 = performance.now();
  const runId = await db.tx((tx) => computeRun(tx, ctx, scheme, '2025'));
  const first = performance.now() - t0;
  const t1 = performance.now();
  await db.tx((tx) => computeRun(tx, ctx, scheme, '2025'));
  const again = performance.now() - t1;
  const n = (
    await db.query<{ n: number; graded: number }>(
      sql`SELECT count(*)::int AS n, count(grade)::int AS graded FROM assess_results WHERE run_id = ${runId}`,
    )
  )[0]!;
  console.log(
    `[${engine}] ${n.n} organizations (${n.graded} graded), ${computed} computed indicators + ${keys.length - computed} more inputs (${keys.length} registry figures)`,
  );
  console.log(`[${engine}] baseline: the registry figures alone:   ${(base / 1000).toFixed(2)} s`);
  console.log(
    `[${engine}] compute the run (read, score, grade, write): ${(first / 1000).toFixed(2)} s; again: ${(again / 1000).toFixed(2)} s (target ≤ ${engine === 'postgres' ? 10 : 30} s)`,
  );
}

if (process.argv.includes('--pg')) {
  const { db, stop } = await benchPostgres('assessment');
  try {
    await run('postgres', db);
  } finally {
    await stop();
  }
} else {
  const { db, stop } = await benchPglite();
  try {
    await run('pglite', db);
  } finally {
    await stop();
  }
}
