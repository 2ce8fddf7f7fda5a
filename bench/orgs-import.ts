/**
 * The organization tree import of a whole city: 12,000 organizations in one CSV file, rows
 * shuffled (children before parents), parents by code and by name path. Measures the dry
 * run, the applied import and the same file again (all unchanged) through the service the
 * HTTP route calls, against a baseline measured in the same run: a plain multi-row INSERT of
 * the same 12,000 rows with their ids and paths computed beforehand (no parsing, checks,
 * resolution or audit). PGlite, and PostgreSQL when DATABASE_URL is set (a database that
 * may be emptied).
 *   npm run bench:orgs-import                      (PGlite)
 *   DATABASE_URL=postgres://… npm run bench:orgs-import
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger, startSystem } from '../src/server/boot.js';
import { loadConfig } from '../src/server/config.js';
import { initCity } from '../src/server/modules/onboarding/init.js';
import { createOnboardingService } from '../src/server/modules/onboarding/service.js';
import { csvLine } from '../src/server/platform/csv.js';
import { bulkInsert, type Db, openPglite, openPostgres, sql } from '../src/server/platform/db/index.js';
import { migrate } from '../src/server/platform/migrate.js';
import { loadActor } from '../src/server/platform/sessions.js';
import { initials } from '../src/server/platform/text.js';
import { rng } from '../src/server/seed/names.js';

const TARGET = 12_000;
const CITY = '1307';

interface Row {
  code: string;
  name: string;
  level: string;
  parent: string;
  region: string;
}

/** A city's union tree: county, township and village unions, then grassroots unions. */
async function cityTree(db: Db): Promise<Row[]> {
  const regions = await db.query<{ code: string; name: string; level: number; parent_code: string }>(
    sql`SELECT code, name, level, parent_code FROM regions WHERE level >= 3 ORDER BY code`,
  );
  const rows: Row[] = [];
  const byRegion = new Map<string, Row>();
  for (const r of regions) {
    if (rows.length >= TARGET) break;
    const level = r.level === 3 ? '县区' : r.level === 4 ? '乡镇街道' : '村社区';
    const parent =
      r.level === 3 ? '中共张家口市委群团工作部/张家口市总工会' : byRegion.get(r.parent_code)?.code;
    if (!parent) continue;
    const row = { code: `GH${r.code}`, name: `${r.name}工会`, level, parent, region: r.code };
    rows.push(row);
    byRegion.set(r.code, row);
  }
  const towns = rows.filter((r) => r.level === '乡镇街道');
  for (let i = 0; rows.length < TARGET; i++) {
    const t = towns[i % towns.length]!;
    rows.push({
      code: `GJ${i}`,
      name: `第${i}基层工会`,
      level: '基层单位',
      parent: t.code,
      region: t.region,
    });
  }
  return rows;
}

function shuffled<T>(xs: T[]): T[] {
  const r = rng(19);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function run(engine: string, open: () => Promise<Db>) {
  const dir = await mkdtemp(join(tmpdir(), 'niudai-bench-orgs-'));
  let db = await open();
  await migrate(db);
  await initCity(db, { cityCode: CITY, admin: 'bench.admin', now: new Date() });
  const rows = shuffled(await cityTree(db));
  const file = join(dir, 'orgs.csv');
  const head =
    '组织编码,*组织全称,简称,*组织类型,*层级,上级组织,*行政区划代码,统一社会信用代码,联系人,联系电话,受理诉求';
  await writeFile(
    file,
    `\uFEFF${head}\r\n${rows.map((r) => csvLine([r.code, r.name, '', '工会', r.level, r.parent, r.region, '', '', '', ''])).join('')}`,
  );
  const config = loadConfig({
    NODE_ENV: 'test',
    NIUDAI_DATA_DIR: dir,
    NIUDAI_JOBS: 'false',
    LOG_LEVEL: 'silent',
  });
  const sys = await startSystem(config, db, createLogger(config));
  const svc = createOnboardingService(sys.deps);
  const actor = (await loadActor(db, 1, 'session'))!;
  const ctx = () => ({ actor, requestId: 'bench', ip: null, now: new Date() });
  const timed = async (dryRun: boolean) => {
    const t0 = performance.now();
    const r = await svc.run(ctx(), 'orgs', { filename: 'orgs.csv', file: createReadStream(file) }, dryRun);
    return { ms: performance.now() - t0, r };
  };
  const dry = await timed(true);
  const applied = await timed(false);
  const again = await timed(false);
  if (applied.r.status !== 'applied' || applied.r.created !== TARGET)
    throw new Error(
      `import did not apply: ${applied.r.message} ${JSON.stringify(applied.r.errors.slice(0, 3))}`,
    );
  await sys.stop();

  // baseline: the same rows, ids and paths computed in memory, one multi-row INSERT
  await db.query(sql`DELETE FROM orgs WHERE id > 10`);
  const ids = new Map<string, { id: number; path: string; depth: number; parentId: number }>();
  let next = 1000;
  const place = (r: Row): { id: number; path: string; depth: number; parentId: number } => {
    const got = ids.get(r.code);
    if (got) return got;
    const parent = r.parent.includes('/') ? { id: 2, path: '/1/2/', depth: 1 } : place(byCode.get(r.parent)!);
    const id = next++;
    const out = { id, path: `${parent.path}${id}/`, depth: parent.depth + 1, parentId: parent.id };
    ids.set(r.code, out);
    return out;
  };
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const t0 = performance.now();
  const values = rows.map((r) => {
    const p = place(r);
    return [
      p.id,
      p.parentId,
      r.code,
      r.name,
      initials(r.name),
      'union',
      'county',
      r.region.padEnd(12, '0'),
      p.path,
      p.depth,
      new Date(),
      new Date(),
    ];
  });
  values.sort((a, b) => (a[9] as number) - (b[9] as number));
  await db.tx((tx) =>
    bulkInsert(
      tx,
      'orgs',
      [
        'id',
        'parent_id',
        'code',
        'name',
        'name_initials',
        'type',
        'level',
        'region_code',
        'path',
        'depth',
        'created_at',
        'updated_at',
      ],
      values,
    ),
  );
  const base = performance.now() - t0;
  const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
  console.log(
    `[${engine}] ${TARGET} organizations in one CSV file (rows shuffled, parents by code and name path)`,
  );
  console.log(`[${engine}]   dry run (read, check, plan, tree preview)   ${s(dry.ms)}`);
  console.log(
    `[${engine}]   import applied (one transaction)            ${s(applied.ms)}  created ${applied.r.created}`,
  );
  console.log(
    `[${engine}]   same file again                             ${s(again.ms)}  unchanged ${again.r.unchanged}`,
  );
  console.log(`[${engine}]   baseline: plain multi-row INSERT            ${s(base)}`);
  console.log(`[${engine}]   import / baseline: ${(applied.ms / base).toFixed(1)}×`);
  await db.close();
  await rm(dir, { recursive: true, force: true });
  db = undefined as never;
}

await run('pglite', () => openPglite('memory://'));
const url = process.env.DATABASE_URL;
if (url) {
  const name = `niudai_bench_orgs_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  try {
    await run('postgres', () => openPostgres(u.toString(), 5));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
