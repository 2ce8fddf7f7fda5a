/**
 * Scores decompose() against the gold annotations of the seed speeches.
 *   npx tsx scripts/eval-decompose.ts [--check] [--verbose] [--only speech-05]
 * Seed folder: $NIUDAI_SEED_DIR, else ../shared/seed beside the repo, else test/fixtures/seed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decompose } from '../src/shared/decompose/index';
import {
  GOALS,
  type GoldDoc,
  overallScore,
  type SpeechScore,
  scoreSpeech,
  unmetGoals,
} from '../src/shared/decompose/score';
import { CLASS_NAMES } from '../test/decompose/phenomena/cases';
import { runSuite, SUITE_GOAL } from '../test/decompose/phenomena/run';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const sharedSeed = path.resolve(repoRoot, '../shared/seed');
// the shared development set when it sits beside the repo, else the copy kept for the tests
const seedDir =
  process.env.NIUDAI_SEED_DIR ??
  (existsSync(sharedSeed) ? sharedSeed : path.resolve(repoRoot, 'test/fixtures/seed'));
const args = process.argv.slice(2);
const check = args.includes('--check');
const verbose = args.includes('--verbose');
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;
// Deadline scoring compares the expression text, so the date only affects resolved dates.
const DOC_DATE = '2016-01-01';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(7);
/** A ratio, or n/a when there is nothing to count. */
const rate = (x: number, n: number) => (n === 0 ? '    n/a' : pct(x));

function main(): number {
  const speechDir = path.join(seedDir, 'speeches');
  const goldDir = path.join(seedDir, 'gold');
  if (!existsSync(speechDir) || !existsSync(goldDir)) {
    console.error(`seed folder not found: ${seedDir}`);
    return 2;
  }
  const ids = readdirSync(speechDir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => f.slice(0, -4))
    .filter((id) => existsSync(path.join(goldDir, `${id}.json`)) && (!only || id === only))
    .sort();
  const scores: SpeechScore[] = [];
  console.log('speech       head P  head R head F1 | asg rec asg prec (found/gold, correct/pred) | deadline');
  for (const id of ids) {
    const text = readFileSync(path.join(speechDir, `${id}.txt`), 'utf8');
    const gold = JSON.parse(readFileSync(path.join(goldDir, `${id}.json`), 'utf8')) as GoldDoc;
    const result = decompose(text, { date: DOC_DATE });
    const sc = scoreSpeech(text, result, gold);
    scores.push(sc);
    const { headings: h, assignments: a, deadlines: d } = sc;
    console.log(
      `${id.padEnd(10)} ${pct(h.precision)} ${pct(h.recall)} ${pct(h.f1)} | ${rate(a.recall, a.gold)} ` +
        `${rate(a.precision, a.predicted)}` +
        ` (${a.found}/${a.gold}, ${a.correct}/${a.predicted})`.padEnd(22) +
        ` | ${rate(d.accuracy, d.total)} (${d.correct}/${d.total})`,
    );
    for (const q of sc.unlocated) console.log(`  ! gold quote not found in text: ${q.slice(0, 40)}…`);
    if (verbose) {
      const predH = result.headings.filter((x) => x.level === 1).map((x) => x.text.slice(0, 30));
      console.log(`  level-1 headings: ${predH.join(' | ')}`);
      for (const g of sc.missed) console.log(`  MISS ${g.lead.join('、')}: ${g.quote.slice(0, 60)}`);
      for (const t of sc.falsePositives)
        console.log(`  FP   ${t.lead.join('、')} [${t.co.join('、')}]: ${t.text.slice(0, 60)}`);
      for (const w of sc.wrongDeadlines)
        console.log(`  DL   gold ${w.gold.deadline} predicted ${w.predicted}: ${w.gold.quote.slice(0, 40)}`);
    }
  }
  const o = overallScore(scores);
  console.log('');
  console.log(
    `overall    heading P ${pct(o.headingPrecision)} R ${pct(o.headingRecall)} F1 ${pct(o.headingF1)} (goal ≥ ${GOALS.headingF1})`,
  );
  console.log(
    `           assignment recall    ${pct(o.assignmentRecall)} (goal ≥ ${GOALS.assignmentRecall})`,
  );
  console.log(
    `           assignment precision ${pct(o.assignmentPrecision)} (goal ≥ ${GOALS.assignmentPrecision})`,
  );
  console.log(
    `           deadline accuracy    ${pct(o.deadlineAccuracy)} (goal ≥ ${GOALS.deadlineAccuracy})`,
  );
  const unmet = unmetGoals(o);
  console.log(unmet.length === 0 ? 'all goals met' : `goals not met: ${unmet.join(', ')}`);
  const below = suiteReport();
  return check && (unmet.length > 0 || below > 0) ? 1 : 0;
}

/** The phenomenon suite per class (Simplified + Traditional), first batch and held-out batch. */
function suiteReport(): number {
  console.log('');
  console.log(`phenomenon suite (goal ≥ ${SUITE_GOAL} per class)   first batch | held out`);
  const first = runSuite(false);
  const held = new Map(runSuite(true).map((c) => [c.cls, c]));
  let below = 0;
  let pass = 0;
  let total = 0;
  let hPass = 0;
  let hTotal = 0;
  for (const c of first) {
    const h = held.get(c.cls);
    const r = c.passed / c.total;
    if (r < SUITE_GOAL) below++;
    pass += c.passed;
    total += c.total;
    hPass += h?.passed ?? 0;
    hTotal += h?.total ?? 0;
    const hs = h ? `${pct(h.passed / h.total)} (${h.passed}/${h.total})` : '     n/a';
    console.log(
      `  ${String(c.cls).padStart(2)} ${(CLASS_NAMES[c.cls] ?? '').padEnd(24, '　')} ${pct(r)} (${c.passed}/${c.total}) | ${hs}`,
    );
    if (verbose)
      for (const f of [...c.failures, ...(h?.failures ?? [])])
        console.log(`       ✗ ${f.text.replace(/\n/g, '⏎').slice(0, 50)} — ${f.why}`);
  }
  console.log(
    `  all  first batch ${pct(pass / total)} (${pass}/${total}), held out ${hTotal ? pct(hPass / hTotal) : 'n/a'} (${hPass}/${hTotal})`,
  );
  return below;
}

process.exitCode = main();
