/**
 * 汇总 at city scale: one form of 20 cells (8 of them split by gender: 28 cell keys) reported
 * and approved by every one of the demo city's ~12,000 organizations (some 340,000 cell rows).
 * Measures the city's summary (its own report plus every approved report below, as the
 * service computes it) against a plain `SUM … GROUP BY` over the same cell rows, in the same
 * run. Engine: PostgreSQL by default (DATABASE_URL or a throw-away server), PGlite with --lite.
 */
import { randomBytes } from 'node:crypto';
import '../src/server/modules/index.js';
import { insertForm } from '../src/server/modules/stats/forms.js';
import { summarySql } from '../src/server/modules/stats/summary.js';
import { SYSTEM_ACTOR } from '../src/server/platform/actor.js';
import { bulkInsert, type Db, sql } from '../src/server/platform/db/index.js';
import { migrate } from '../src/server/platform/migrate.js';
import { Pii } from '../src/server/platform/pii.js';
import { seedDemo } from '../src/server/seed/demo.js';
import type { FormInput } from '../src/shared/contracts/stats.js';
import { cellKeys } from '../src/shared/stats/form.js';
import { benchPglite, benchPostgres, ms, timeMany } from './support.js';

const FORM: FormInput = {
  code: 'BENCH-01',
  name: '汇总基准表',
  periodType: 'year',
  orgTypes: ['union'],
  orgLevels: ['city', 'county', 'township', 'village', 'grassroots'],
  window: { openDays: -10, dueDays: 45, graceDays: 5, lockDays: 120 },
  definition: {
    disaggregations: [
      {
        key: 'gender',
        label: '性别',
        options: [
          { code: 'M', label: '男' },
          { code: 'F', label: '女' },
        ],
      },
    ],
    cells: Array.from({ length: 20 }, (_, i) => ({
      code: `C${i + 1}`,
      label: `指标${i + 1}`,
      unit: '',
      type: 'integer' as const,
      required: false,
      section: '',
      disaggregation: i < 8 ? 'gender' : null,
      prefill: null,
    })),
    rules: [],
  },
};

async function run(engine: string, db: Db) {
  await migrate(db);
  const now = new Date('2026-03-02T01:00:00Z');
  const pii = new Pii([{ id: 'b', key: randomBytes(32) }], randomBytes(32));
  await seedDemo(db, pii, { cityCode: '1307', scale: 'demo', now });
  const ctx = { actor: SYSTEM_ACTOR, requestId: 'bench', ip: null, now };
  const formId = await db.tx((tx) => insertForm(tx, ctx, FORM, 1));
  const orgs = await db.query<{ id: number; path: string }>(sql`SELECT id, path FROM orgs ORDER BY id`);
  const keys = cellKeys(FORM.definition).map((k) => k.key);
  const t0 = performance.now();
  const reports: unknown[][] = [];
  const values: unknown[][] = [];
  orgs.forEach((o, i) => {
    const id = i + 1_000_000;
    reports.push([id, formId, 1, o.id, o.path, '2025', 'approved', '{}', now, now, now]);
    keys.forEach((k, j) => {
      values.push([id, formId, '2025', k, (i * 31 + j * 7) % 500]);
    });
  });
  await db.tx(async (tx) => {
    await bulkInsert(
      tx,
      'stat_reports',
      [
        'id',
        'form_id',
        'form_version',
        'org_id',
        'org_path',
        'period',
        'status',
        '"values"',
        'approved_at',
        'created_at',
        'updated_at',
      ],
      reports,
    );
    await bulkInsert(tx, 'stat_values', ['report_id', 'form_id', 'period', 'key', 'num'], values);
  });
  await db.exec('ANALYZE');
  console.log(
    `[${engine}] ${orgs.length} organizations, ${reports.length} reports, ${values.length} cell rows inserted in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const root = orgs[0]!;
  const county = (
    await db.query<{ id: number; path: string }>(
      sql`SELECT id, path FROM orgs WHERE level = 'county' AND type = 'union' ORDER BY id LIMIT 1`,
    )
  )[0]!;
  const plain = sql`SELECT key, sum(num)::float8 AS total FROM stat_values WHERE form_id = ${formId} AND period = '2025' GROUP BY key`;
  // both answers agree (the city's summary is every approved report)
  const a = await db.query<{ key: string; total: number }>(summarySql(formId, '2025', root));
  const b = await db.query<{ key: string; total: number }>(plain);
  const same = a.length === b.length && a.every((r) => b.find((x) => x.key === r.key)?.total === r.total);
  console.log(`[${engine}] the summary equals the plain SUM: ${same}`);
  for (let i = 0; i < 3; i++) {
    await db.query(plain);
    await db.query(summarySql(formId, '2025', root));
  }
  const n = 15;
  const base = await timeMany(n, () => db.query(plain));
  const city = await timeMany(n, () => db.query(summarySql(formId, '2025', root)));
  const cty = await timeMany(n, () => db.query(summarySql(formId, '2025', county)));
  console.log(
    `[${engine}] plain SUM … GROUP BY over all ${values.length} cell rows: p50 ${ms(base.p50)}, p95 ${ms(base.p95)}`,
  );
  console.log(
    `[${engine}] city summary (whole tree, approved only):      p50 ${ms(city.p50)}, p95 ${ms(city.p95)}  → ${(city.p50 / base.p50).toFixed(2)}× the plain SUM (target ≤ 3×, ≤ 1 s)`,
  );
  console.log(
    `[${engine}] county summary (one subtree):                  p50 ${ms(cty.p50)}, p95 ${ms(cty.p95)}`,
  );
}

const lite = process.argv.includes('--lite');
if (lite) {
  const { db, stop } = await benchPglite();
  try {
    await run('pglite', db);
  } finally {
    await stop();
  }
} else {
  const { db, stop } = await benchPostgres('stats');
  try {
    await run('postgres', db);
  } finally {
    await stop();
  }
}
