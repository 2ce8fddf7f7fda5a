/**
 * Decomposes all seed speeches after one warm-up and prints the time, next to a
 * baseline measured in the same run (one regular-expression scan for 。); then a
 * 500-row task table (tab-separated, as the extractors write it) against the same
 * kind of baseline (a scan for tabs).
 *   npx tsx bench/decompose.bench.ts
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decompose } from '../src/shared/decompose/index';

const GOAL_MS = 500;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedSeed = path.resolve(repoRoot, '../shared/seed');
// the shared development set when it sits beside the repo, else the copy kept for the tests
const seedDir =
  process.env.NIUDAI_SEED_DIR ??
  (existsSync(sharedSeed) ? sharedSeed : path.resolve(repoRoot, 'test/fixtures/seed'));
const speechDir = path.join(seedDir, 'speeches');
if (!existsSync(speechDir)) {
  console.error(`seed speeches not found: ${speechDir}`);
  process.exit(2);
}
const texts = readdirSync(speechDir)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => readFileSync(path.join(speechDir, f), 'utf8'));
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);

function baseline(): number {
  let n = 0;
  for (const t of texts) n += t.match(/。/g)?.length ?? 0;
  return n;
}

function run(): number {
  let n = 0;
  for (const t of texts) n += decompose(t, { date: '2016-01-01' }).tasks.length;
  return n;
}

function time(f: () => number): { ms: number; cpuMs: number; out: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = f();
  const c = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, out };
}

// warm-up (also builds the OpenCC dictionaries once)
run();
baseline();
const base = time(baseline);
const dec = time(run);
console.log(`speeches: ${texts.length}, ${(bytes / 1024).toFixed(0)} KB`);
console.log(`baseline (scan for 。): ${base.ms.toFixed(2)} ms (${base.out} sentences)`);
console.log(
  `decompose:             ${dec.ms.toFixed(1)} ms (${dec.out} tasks; CPU ${dec.cpuMs.toFixed(0)} ms) — goal ≤ ${GOAL_MS} ms`,
);
console.log(`ratio decompose/baseline: ${(dec.ms / Math.max(base.ms, 0.001)).toFixed(0)}×`);
console.log(dec.ms <= GOAL_MS ? 'goal met' : 'goal NOT met');

// a 500-row 任务分工表 with a two-row header, merged leads (empty cells) and prose around it
const TABLE_GOAL_MS = 1000;
const units = ['市发改委', '市财政局', '市住建局', '市交通运输局', '市教育局', '市卫健委', '市应急管理局'];
const dls = ['2026年6月底前', '持续推进', '每季度', '20个工作日内', '2026年第三季度', '年底前', '中秋节前'];
const rows = Array.from({ length: 500 }, (_, i) => {
  const lead = i % 3 === 2 ? '' : (units[i % units.length] as string);
  const co = `${units[(i + 1) % units.length]}、${units[(i + 2) % units.length]}`;
  return `${i + 1}\t推进第${i + 1}项重点工作，完成建设任务${(i % 50) + 1}个\t${lead}\t${co}\t${dls[i % dls.length]}`;
});
const table = [
  '某市2026年重点任务分工方案',
  '市政府办公室要每月10日前汇总各单位进展。',
  '序号\t重点任务\t责任单位\t责任单位\t完成时限',
  '序号\t重点任务\t牵头单位\t配合单位\t完成时限',
  ...rows,
  '某市人民政府办公室',
  '2026年3月10日',
].join('\n');
const tableRun = () => decompose(table, { date: '2026-03-10' }).tasks.length;
const tableBase = () => table.match(/\t/g)?.length ?? 0;
tableRun();
const tb = time(tableBase);
const td = time(tableRun);
console.log('');
console.log(`task table: ${rows.length} rows, ${(Buffer.byteLength(table) / 1024).toFixed(0)} KB`);
console.log(`baseline (scan for tabs): ${tb.ms.toFixed(2)} ms (${tb.out} tabs)`);
console.log(
  `decompose:                ${td.ms.toFixed(1)} ms (${td.out} tasks; CPU ${td.cpuMs.toFixed(0)} ms) — goal ≤ ${TABLE_GOAL_MS} ms`,
);
console.log(td.ms <= TABLE_GOAL_MS ? 'goal met' : 'goal NOT met');
