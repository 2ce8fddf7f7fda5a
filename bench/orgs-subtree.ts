/**
 * Subtree queries on 100,000 organizations (the `--scale large` seed).
 * Measures the materialized-path queries the app runs (scoped listing and subtree count of a
 * county union) against a recursive CTE over parent_id — the query a plain adjacency list
 * would need — on the same data in the same run. Engines: PostgreSQL (always) and PGlite
 * (with --pglite).
 */
import { randomBytes } from 'node:crypto';
import { type Db, sql } from '../src/server/platform/db/index.js';
import { migrate } from '../src/server/platform/migrate.js';
import { Pii } from '../src/server/platform/pii.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { benchPglite, benchPostgres, ms, timeMany } from './support.js';

async function run(engine: string, db: Db) {
  await migrate(db);
  const t0 = performance.now();
  const pii = new Pii([{ id: 'b', key: randomBytes(32) }], randomBytes(32));
  const seeded = await seedDemo(db, pii, { cityCode: '1307', scale: 'large', now: new Date() });
  console.log(
    `[${engine}] seeded ${seeded.orgs} organizations in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await db.exec('ANALYZE');
  const unions = await db.query<{ id: number; path: string }>(
    sql`SELECT id, path FROM orgs WHERE type = 'union' AND level IN ('city', 'county') ORDER BY id`,
  );
  const n = 200;
  const path = await timeMany(n, (i) => {
    const u = unions[i % unions.length]!;
    return db.query(sql`SELECT count(*) FROM orgs WHERE path LIKE ${`${u.path}%`}`);
  });
  const page = await timeMany(n, (i) => {
    const u = unions[i % unions.length]!;
    return db.query(
      sql`SELECT o.id, o.name FROM orgs o WHERE o.path LIKE ${`${u.path}%`} AND o.name LIKE ${'%工会%'} ORDER BY o.depth, o.id LIMIT 20`,
    );
  });
  const cte = await timeMany(n, (i) => {
    const u = unions[i % unions.length]!;
    return db.query(sql`WITH RECURSIVE sub AS (SELECT id FROM orgs WHERE id = ${u.id}
      UNION ALL SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id) SELECT count(*) FROM sub`);
  });
  const total = await db.query<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM orgs WHERE path LIKE ${`${unions[0]!.path}%`}`,
  );
  console.log(`[${engine}] city union subtree: ${total[0]!.n} organizations`);
  console.log(`[${engine}] subtree count, materialized path   p50 ${ms(path.p50)}  p95 ${ms(path.p95)}`);
  console.log(`[${engine}] scoped page of 20 (path + name)    p50 ${ms(page.p50)}  p95 ${ms(page.p95)}`);
  console.log(`[${engine}] baseline: recursive CTE on parent  p50 ${ms(cte.p50)}  p95 ${ms(cte.p95)}`);
  console.log(`[${engine}] ratio baseline/path (p50): ${(cte.p50 / path.p50).toFixed(1)}×`);
}

const pg = await benchPostgres('orgs');
try {
  await run('postgres', pg.db);
} finally {
  await pg.stop();
}
if (process.argv.includes('--pglite')) {
  const lite = await benchPglite();
  try {
    await run('pglite', lite.db);
  } finally {
    await lite.stop();
  }
}
