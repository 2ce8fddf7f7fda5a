/**
 * Decomposes all seed speeches after one warm-up and prints the time, next to a
 * baseline measured in the same run (one regular-expression scan for 。).
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
