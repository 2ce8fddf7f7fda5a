/**
 * Tasks at city scale: 20,000 tasks over the township and village organizations of the demo
 * city, each with a lead, a co unit and an owner. Measures the scoped task list of a county
 * union (the multi-organization visibility predicate of modules/tasks/access.ts) against the
 * same page for ALL scope, and the supervision sweep over 1,000 tasks that just fell due.
 * Engine: PGlite by default, PostgreSQL with --pg (DATABASE_URL or a throw-away server).
 */
import { randomBytes } from 'node:crypto';
import '../src/server/modules/index.js';
import { findTasks } from '../src/server/modules/tasks/repo.js';
import { sweepTasks } from '../src/server/modules/tasks/supervision.js';
import { Clock } from '../src/server/platform/clock.js';
import { bulkInsert, type Db, sql } from '../src/server/platform/db/index.js';
import type { Deps } from '../src/server/platform/deps.js';
import { migrate } from '../src/server/platform/migrate.js';
import { Pii } from '../src/server/platform/pii.js';
import { loadActor } from '../src/server/platform/sessions.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { benchPglite, benchPostgres, ms, timeMany } from './support.js';

const N = 20_000;

async function run(engine: string, db: Db) {
  await migrate(db);
  const now = new Date('2026-03-02T01:00:00Z');
  const pii = new Pii([{ id: 'b', key: randomBytes(32) }], randomBytes(32));
  await seedDemo(db, pii, { cityCode: '1307', scale: 'demo', now });
  const orgs = await db.query<{ id: number }>(
    sql`SELECT id FROM orgs WHERE level IN ('township', 'village') ORDER BY id`,
  );
  const admin = (
    await db.query<{ id: number; org_id: number }>(sql`SELECT id, org_id FROM users WHERE username = 'admin'`)
  )[0]!;
  const t0 = performance.now();
  const base = (await db.query<{ n: number }>(sql`SELECT coalesce(max(id), 0)::int AS n FROM tasks`))[0]!.n;
  const rows: unknown[][] = [];
  const links: unknown[][] = [];
  for (let i = 1; i <= N; i++) {
    const id = base + i;
    // the first 1,000 fell due yesterday; the rest are due later in the year
    const due = i <= 1000 ? '2026-03-01' : `2026-${String(4 + (i % 8)).padStart(2, '0')}-15`;
    rows.push([id, `/${id}/`, admin.org_id, admin.id, `任务${i}`, due, 'in_progress', now, now]);
    const lead = orgs[i % orgs.length]!.id;
    const co = orgs[(i * 7 + 3) % orgs.length]!.id;
    links.push([id, admin.org_id, 'owner'], [id, lead, 'lead']);
    if (co !== lead) links.push([id, co, 'co']);
  }
  await db.tx(async (tx) => {
    await bulkInsert(
      tx,
      'tasks',
      ['id', 'path', 'owner_org_id', 'created_by', 'title', 'due_date', 'status', 'created_at', 'updated_at'],
      rows,
    );
    await bulkInsert(tx, 'task_orgs', ['task_id', 'org_id', 'role'], links);
    await tx.query(sql`SELECT setval(pg_get_serial_sequence('tasks', 'id'), ${base + N})`);
  });
  await db.exec('ANALYZE');
  console.log(`[${engine}] ${N} tasks inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const userId = (
    await db.query<{ id: number }>(sql`SELECT id FROM users WHERE username = 'county1.union'`)
  )[0]!.id;
  const county = (await loadActor(db, userId, 'session'))!;
  const all = (await loadActor(db, admin.id, 'session'))!;
  const f = { page: 1, pageSize: 20 } as const;
  const scoped = await timeMany(50, () => findTasks(db, county, f));
  const everything = await timeMany(50, () => findTasks(db, all, f));
  const seen = (await findTasks(db, county, f)).total;
  console.log(
    `[${engine}] task list page, county union scope (${seen} visible): p50 ${ms(scoped.p50)}  p95 ${ms(scoped.p95)}`,
  );
  console.log(
    `[${engine}] task list page, ALL scope (baseline, same run):     p50 ${ms(everything.p50)}  p95 ${ms(everything.p95)}`,
  );

  const deps = { db, clock: new Clock(false), log: console } as unknown as Deps;
  const s0 = performance.now();
  const r = await sweepTasks(deps, new Date('2026-03-03T01:00:00Z'));
  const sec = (performance.now() - s0) / 1000;
  console.log(
    `[${engine}] sweep: ${r.overdue} overdue, ${r.urged} urged in ${sec.toFixed(1)} s (${(r.overdue / sec).toFixed(0)} tasks/s)`,
  );
}

const usePg = process.argv.includes('--pg');
if (usePg) {
  const pg = await benchPostgres('tasks');
  try {
    await run('postgres', pg.db);
  } finally {
    await pg.stop();
  }
} else {
  const lite = await benchPglite();
  try {
    await run('pglite', lite.db);
  } finally {
    await lite.stop();
  }
}
