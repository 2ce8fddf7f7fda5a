/**
 * The volunteer hours ledger at scale: BENCH_ROWS entries (default 10,000,000) over
 * BENCH_PERSONS persons (default rows / 100) kept by the demo city's organizations, written
 * server-side with generate_series (the vol_org_person trigger aggregates each statement).
 * Measures, on PostgreSQL:
 *   - a person's totals and stars (ledger.hoursOf: one index-only scan of the person's
 *     entries, the rule in force, the 5★ award), goal ≤ 20 ms p95;
 *   - the organization tree's hours per volunteer for the whole city (stats.treeStats), goal ≤ 2 s;
 * against, in the same run, a plain primary-key lookup of one ledger entry (baseline) and a
 * naive aggregate of the whole ledger (what the tree would cost without vol_org_person).
 * DATABASE_URL to use an existing empty database, else a throw-away server (scripts/pg.sh)
 * on BENCH_PG_PORT (default 55470). 10M rows take several minutes to write on 2 cores.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import '../src/server/modules/index.js';
import { hoursOf } from '../src/server/modules/volunteers/ledger.js';
import { treeStats } from '../src/server/modules/volunteers/stats.js';
import { type Db, openPostgres, sql } from '../src/server/platform/db/index.js';
import { migrate } from '../src/server/platform/migrate.js';
import { Pii } from '../src/server/platform/pii.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { ms, timeMany } from './support.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000_000);
const PERSONS = Number(process.env.BENCH_PERSONS ?? Math.max(1000, Math.round(ROWS / 100)));
const CHUNK = 1_000_000;

async function open(): Promise<{ db: Db; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const db = await openPostgres(process.env.DATABASE_URL, 4);
    return { db, stop: () => db.close() };
  }
  const dir = join(process.cwd(), '.tmp', 'pg-bench-volunteers');
  const port = process.env.BENCH_PG_PORT ?? '55470';
  const url = execFileSync('bash', ['scripts/pg.sh', 'start', dir, port], { encoding: 'utf8' }).trim();
  const db = await openPostgres(url, 4);
  return {
    db,
    async stop() {
      await db.close();
      execFileSync('bash', ['scripts/pg.sh', 'stop', dir]);
    },
  };
}

async function main() {
  const { db, stop } = await open();
  try {
    await migrate(db);
    const now = new Date();
    const pii = new Pii([{ id: 'b', key: randomBytes(32) }], randomBytes(32));
    await seedDemo(db, pii, { cityCode: '1307', scale: 'demo', now });
    const orgIds = (
      await db.query<{ id: number }>(
        sql`SELECT id FROM orgs WHERE level IN ('township', 'village', 'county') ORDER BY id`,
      )
    ).map((o) => o.id);
    let t0 = performance.now();
    await db.query(sql`INSERT INTO persons (name, gender, birth_date, id_enc, id_hash, id_mask, org_id, created_at, updated_at)
      SELECT '志愿者' || g, CASE WHEN g % 2 = 0 THEN 'F' ELSE 'M' END, date '1980-01-01' + (g % 9000),
        'bench', 'bench-' || g, '130702********' || lpad((g % 10000)::text, 4, '0'),
        (${orgIds}::bigint[])[1 + g % ${orgIds.length}], ${now}, ${now}
      FROM generate_series(1, ${PERSONS}::int) g`);
    const range = (
      await db.query<{ lo: number; hi: number }>(
        sql`SELECT min(id)::int AS lo, max(id)::int AS hi FROM persons WHERE id_enc = 'bench'`,
      )
    )[0]!;
    console.log(`${PERSONS.toLocaleString()} persons in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    t0 = performance.now();
    for (let from = 1; from <= ROWS; from += CHUNK) {
      const to = Math.min(ROWS, from + CHUNK - 1);
      // a person's entries are recorded by the organization keeping them (谁记录谁证明)
      await db.query(sql`INSERT INTO vol_hours (person_id, org_id, kind, hours, served_on, created_at)
        SELECT p.id, p.org_id,
          CASE WHEN (g / 3) % 100 < 85 THEN 'credited' WHEN (g / 3) % 100 < 92 THEN 'backfilled' WHEN (g / 3) % 100 < 97 THEN 'imported' ELSE 'revoked' END,
          1 + (g % 7) * 0.5, date '2020-01-01' + (g % 2000), ${now}
        FROM generate_series(${from}::int, ${to}::int) g
        JOIN persons p ON p.id = ${range.lo}::bigint + (g::bigint * 7919) % ${range.hi - range.lo + 1}::bigint`);
      process.stdout.write(`\r${to.toLocaleString()} / ${ROWS.toLocaleString()} entries`);
    }
    console.log(
      `\n${ROWS.toLocaleString()} ledger entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    t0 = performance.now();
    await db.exec('VACUUM ANALYZE vol_hours');
    await db.exec('ANALYZE');
    console.log(`VACUUM ANALYZE in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const span = range.hi - range.lo + 1;
    const pid = (i: number) => range.lo + ((i * 104_729) % span);
    const maxEntry = (await db.query<{ n: number }>(sql`SELECT max(id)::int AS n FROM vol_hours`))[0]!.n;
    await timeMany(20, (i) => hoursOf(db, pid(i + 500), now)); // warm-up
    const base = await timeMany(300, (i) =>
      db.query(
        sql`SELECT id, person_id, kind, hours FROM vol_hours WHERE id = ${1 + ((i * 7919) % maxEntry)}`,
      ),
    );
    const person = await timeMany(300, (i) => hoursOf(db, pid(i), now));
    const sample = await hoursOf(db, pid(1), now);
    console.log(`baseline: one ledger entry by primary key      p50 ${ms(base.p50)}  p95 ${ms(base.p95)}`);
    console.log(
      `a person's totals and stars (~${Math.round(ROWS / PERSONS)} entries each) p50 ${ms(person.p50)}  p95 ${ms(person.p95)}  (goal p95 ≤ 20 ms)  e.g. ${JSON.stringify(sample)}`,
    );
    const root = (
      await db.query<{ id: number; path: string; depth: number }>(
        sql`SELECT id, path, depth FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1`,
      )
    )[0]!;
    const rows = await treeStats(db, root);
    const tree = await timeMany(5, () => treeStats(db, root));
    console.log(
      `city tree: hours per volunteer by subtree (${rows.length} rows, ${rows.reduce((n, r) => n + r.volunteers, 0).toLocaleString()} volunteers) p50 ${ms(tree.p50)}  p95 ${ms(tree.p95)}  (goal ≤ 2 s)`,
    );
    const naive = await timeMany(1, () =>
      db.query(sql`SELECT org_id, sum(hours) FROM vol_hours GROUP BY org_id`),
    );
    console.log(`naive: the whole ledger grouped by organization (no summary table)  ${ms(naive.p50)}`);
  } finally {
    await stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
