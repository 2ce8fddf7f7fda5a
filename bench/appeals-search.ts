/**
 * Search over 1,000,000 appeals on PostgreSQL: p95 of a two-word Chinese query (Simplified
 * or Traditional) with a status filter, through the same code as GET /api/appeals
 * (CJK-bigram GIN index + substring recheck, newest first, page of 20, capped count).
 * Baseline in the same run: the same query answered by substring matching alone (LIKE,
 * no bigram index). Goal (issue 3): p95 ≤ 50 ms.
 * Run: npm run bench:appeals-search   (BENCH_ROWS=… for another size; DATABASE_URL to reuse a server)
 */
import { randomBytes } from 'node:crypto';
import { searchable } from '../src/server/modules/appeals/intake.js';
import { createQueryService } from '../src/server/modules/appeals/query.js';
import { SYSTEM_ACTOR } from '../src/server/platform/actor.js';
import { bulkInsert, type Db, openPostgres, sql } from '../src/server/platform/db/index.js';
import type { Deps } from '../src/server/platform/deps.js';
import { migrate } from '../src/server/platform/migrate.js';
import { Pii } from '../src/server/platform/pii.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { enterpriseName, pick, rng, shortPlace } from '../src/server/seed/names.js';
import { indexGrams, monthToken, statusToken } from '../src/shared/appeals/search.js';
import { ALL_PERMISSIONS } from '../src/shared/permissions.js';
import { TRACKING_ALPHABET } from '../src/shared/trackingCode.js';
import { f1, freshDatabase, pct, startPostgres } from './appeals-support.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const pgs = startPostgres('appeals-search', 55472);
// a database of its own, built fresh every run (BENCH_KEEP=1 keeps it and the server;
// BENCH_REUSE=1 queries a kept one again without rebuilding — for trying changes, not for figures)
const fresh = process.env.BENCH_REUSE
  ? {
      url: Object.assign(new URL(pgs.url), { pathname: '/niudai_bench_appeals_search' }).toString(),
      drop: async () => {},
    }
  : await freshDatabase(pgs.url, 'niudai_bench_appeals_search');
const db: Db = await openPostgres(fresh.url, 8);

/** Varied appeal texts: real place names, generated enterprise names, many kinds of matter. */
const ISSUES = [
  '拖欠了{n}个月工资共{m}元，老板一直推脱',
  '不签劳动合同，也不给缴纳社会保险',
  '在车间操作时手指受伤，单位不给申报工伤认定',
  '每天加班到晚上十点，从来没有发过加班费',
  '以经营困难为由无故辞退，不给经济补偿',
  '怀孕后被调到仓库岗位，工资降了一半',
  '实习期间被扣押身份证和毕业证书',
  '车间粉尘和噪声很大，没有发放任何劳动防护用品',
  '平台按超时扣罚，一个月被罚了{m}元，申诉没人理',
  '主管经常言语骚扰女职工，投诉后反被威胁',
  '退休后养老金核定有误，少发了好几年',
  '丈夫长期酗酒后实施家暴，希望妇联介入',
  '孩子在学校被高年级学生欺凌，学校处理不力',
  '残疾人就业补贴一直没有到账',
  '归侨家属的老宅被亲戚强占，协商无果',
  '高校毕业后想在家乡创业，不了解担保贷款政策',
  '农民工返乡后欠薪仲裁裁决一直执行不了',
  '公司强制要求签自愿放弃社保的声明',
  '夜班保安连续工作{n}天没有休息',
  '外卖骑手在送餐途中摔伤，平台和站点互相推诿',
  '工会会费被单位扣了却没有成立工会',
  '劳务派遣工和正式工同工不同酬',
  '单位拖延发放高温补贴和防暑用品',
  '想咨询离婚后孩子抚养费如何申请强制执行',
];
const DETAILS = [
  '有考勤记录和工资条作为证据',
  '同班组二十多名工友情况相同',
  '曾向劳动监察大队反映没有结果',
  '家里老人生病急需用钱',
  '对方威胁再闹就开除',
  '已经申请过劳动仲裁',
  '包工头电话已经打不通',
  '单位说要等项目结算后再付',
  '社区调解过一次但没有达成协议',
  '希望能安排律师提供法律援助',
];
const ASKS = [
  '请求帮助讨薪。',
  '希望尽快处理。',
  '请维护我们的合法权益。',
  '请给予法律援助。',
  '希望得到答复。',
];
let PLACES: string[] = [];
function longText(i: number, r: () => number): string {
  const place = shortPlace(pick(r, PLACES));
  const issue = pick(r, ISSUES)
    .replace('{n}', String(2 + Math.floor(r() * 10)))
    .replace('{m}', String(1000 + Math.floor(r() * 90000)));
  return `我在${place}的${enterpriseName(r, place)}工作，${issue}，${pick(r, DETAILS)}，${pick(r, ASKS)}（${i}）`;
}
const STATUSES = [
  'closed',
  'closed',
  'closed',
  'closed',
  'closed',
  'closed',
  'visited',
  'replied',
  'handling',
  'handling',
  'accepted',
  'dispatched',
  'dispatched',
  'pending_dispatch',
  'suspended',
];
const CATS = [
  'LABOR_WAGE',
  'LABOR_CONTRACT',
  'LABOR_INJURY',
  'LABOR_HOURS',
  'SAFETY',
  'WOMEN_MATERNITY',
  'NEW_EMPLOYMENT',
  'CONSULT',
];

function code(i: number): string {
  // distinct by construction: base-31 digits of i plus a fixed tail (not a valid check digit: bench rows only)
  let s = '';
  for (let n = i; s.length < 7; n = Math.floor(n / 31)) s = TRACKING_ALPHABET[n % 31] + s;
  return `${s}ZZZ`;
}

async function fill(n: number) {
  const have = (await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM appeals`))[0]!.n;
  if (have >= n) return have;
  const orgs = await db.query<{ id: number; region_code: string }>(
    sql`SELECT id, region_code FROM orgs WHERE takes_appeals AND level IN ('county', 'township') ORDER BY id`,
  );
  const t0 = performance.now();
  await db.exec('DROP INDEX IF EXISTS appeals_grams_idx');
  const cols = [
    'tracking_code',
    'channel',
    'group_key',
    'category_code',
    'region_code',
    'title',
    'content',
    'search_text',
    'search_grams',
    'phone_enc',
    'phone_hash',
    'status',
    'org_id',
    'routing',
    'dedupe_hash',
    'created_at',
    'updated_at',
    'due_at',
    'warn_at',
  ];
  const start = Date.now() - 3 * 365 * 86_400_000;
  PLACES = (await db.query<{ name: string }>(sql`SELECT name FROM regions WHERE level >= 4`)).map(
    (x) => x.name,
  );
  const r = rng(1126 + have);
  const batch = 1500;
  const jobs: Promise<void>[] = [];
  for (let from = have; from < n; from += batch) {
    const rows: unknown[][] = [];
    for (let i = from; i < Math.min(n, from + batch); i++) {
      const content = longText(i, r);
      const text = searchable(content);
      const org = orgs[(i * 31) % orgs.length]!;
      const at = new Date(start + Math.floor((i / n) * 3 * 365 * 86_400_000));
      rows.push([
        code(i),
        i % 3 ? 'web' : 'hotline',
        i % 5 ? 'worker' : 'women',
        CATS[i % CATS.length],
        org.region_code,
        content.slice(0, 30),
        content,
        text,
        [...indexGrams(text), statusToken(STATUSES[i % STATUSES.length]!), monthToken(at)],
        'bench',
        `h${i}`,
        STATUSES[i % STATUSES.length],
        org.id,
        '{"auto":true,"reason":"bench","ruleId":null,"ruleName":null}',
        `d${i}`,
        at,
        at,
        new Date(at.getTime() + 13 * 86_400_000),
        new Date(at.getTime() + 10 * 86_400_000),
      ]);
    }
    jobs.push(bulkInsert(db, 'appeals', cols, rows));
    if (jobs.length >= 4) await Promise.all(jobs.splice(0));
    if ((from / batch) % 100 === 0) process.stdout.write(`\r  inserted ${from.toLocaleString()} rows`);
  }
  await Promise.all(jobs);
  console.log(`\r  inserted ${(n - have).toLocaleString()} rows in ${f1((performance.now() - t0) / 1000)} s`);
  const t1 = performance.now();
  await db.exec(
    `SET maintenance_work_mem = '512MB'; CREATE INDEX appeals_grams_idx ON appeals USING gin (search_grams); RESET maintenance_work_mem`,
  );
  console.log(`  built the bigram index in ${f1((performance.now() - t1) / 1000)} s`);
  await db.exec('VACUUM ANALYZE appeals');
  return n;
}

try {
  await migrate(db);
  const orgs = (await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM orgs`))[0]!.n;
  if (orgs === 0)
    await seedDemo(db, new Pii([{ id: 'b', key: randomBytes(32) }], randomBytes(32)), {
      cityCode: '1307',
      scale: 'demo',
      now: new Date(),
    });
  const total = await fill(ROWS);
  const size = await db.query<{ t: string; i: string }>(
    sql`SELECT pg_size_pretty(pg_total_relation_size('appeals')) AS t, pg_size_pretty(pg_relation_size('appeals_grams_idx')) AS i`,
  );
  console.log(
    `appeals: ${total.toLocaleString()} rows, ${size[0]!.t} with indexes (bigram index ${size[0]!.i})`,
  );

  const service = createQueryService({ db } as Deps);
  const ctx = {
    actor: { ...SYSTEM_ACTOR, permissions: new Set(ALL_PERMISSIONS) },
    requestId: 'bench',
    ip: null,
    now: new Date(),
  };
  const QUERIES = [
    '拖欠 工资',
    '工傷 認定',
    '劳动合同 社会保险',
    '加班费 晚上',
    '懷孕 仓库',
    '平台 扣罚',
    '粉尘 防护',
    '辞退 补偿',
    '身份证 扣押',
    '骚扰 女职工',
    '仲裁 执行',
    '考勤 工资条',
    '高温 补贴',
    '同工不同酬 派遣',
  ];
  const FILTERS = ['dispatched', 'handling', 'closed', 'accepted,handling'];
  const run = async (i: number) => {
    const q = QUERIES[i % QUERIES.length]!;
    const status = FILTERS[Math.floor(i / QUERIES.length) % FILTERS.length]!;
    const t0 = performance.now();
    const r = await service.list(ctx, { q, status: status.split(',') as never, page: 1, pageSize: 20 });
    return { ms: performance.now() - t0, total: r.total };
  };
  for (let i = 0; i < 20; i++) await run(i);
  const times: number[] = [];
  const totals: number[] = [];
  const byQuery = new Map<string, number[]>();
  for (let i = 0; i < 240; i++) {
    const r = await run(i);
    times.push(r.ms);
    totals.push(r.total);
    const key = `${QUERIES[i % QUERIES.length]} / ${FILTERS[Math.floor(i / QUERIES.length) % FILTERS.length]}`;
    byQuery.set(key, [...(byQuery.get(key) ?? []), r.ms]);
  }
  const slowest = [...byQuery].map(([k, v]) => [k, Math.max(...v)] as const).sort((a, b) => b[1] - a[1]);
  console.log(
    `  slowest: ${slowest
      .slice(0, 3)
      .map(([k, v]) => `${k} ${f1(v)} ms`)
      .join('; ')}`,
  );
  times.sort((a, b) => a - b);
  console.log(
    `two-word query + status filter (${QUERIES.length} queries × ${FILTERS.length} filters, 240 runs; matches per query ${Math.min(...totals)}–${Math.max(...totals)}, count capped at 200)`,
  );
  console.log(
    `  bigram index:   p50 ${f1(pct(times, 50))} ms  p95 ${f1(pct(times, 95))} ms  p99 ${f1(pct(times, 99))} ms  (goal p95 ≤ 50 ms: ${pct(times, 95) <= 50 ? 'met' : 'NOT met'})`,
  );

  // baseline: the same page answered by LIKE alone (no bigram index)
  const base: number[] = [];
  for (let i = 0; i < 12; i++) {
    const q = QUERIES[i % QUERIES.length]!;
    const terms = searchable(q).split(/\s+/);
    const status = FILTERS[i % FILTERS.length]!.split(',');
    const t0 = performance.now();
    await db.query(sql`SELECT a.id FROM appeals a WHERE a.status = ANY(${status}::text[])
      AND ${sql.and(terms.map((t) => sql`a.search_text LIKE ${`%${t}%`}`))} ORDER BY a.created_at DESC, a.id DESC LIMIT 20`);
    await db.query(sql`SELECT count(*) FROM (SELECT 1 FROM appeals a WHERE a.status = ANY(${status}::text[])
      AND ${sql.and(terms.map((t) => sql`a.search_text LIKE ${`%${t}%`}`))} LIMIT 10000) t`);
    base.push(performance.now() - t0);
  }
  base.sort((a, b) => a - b);
  console.log(
    `  baseline (LIKE scan, same page and count): p50 ${f1(pct(base, 50))} ms  p95 ${f1(pct(base, 95))} ms`,
  );
  console.log(`  ratio baseline/index (p50): ${f1(pct(base, 50) / pct(times, 50))}×`);
} finally {
  await db.close();
  if (!process.env.BENCH_KEEP) {
    await fresh.drop();
    pgs.stop();
  }
}
