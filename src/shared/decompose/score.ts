/**
 * Scoring of decompose() against gold annotations, as defined in
 * seed/ANNOTATION.md ("Scoring used to judge the feature"):
 * - headings: F1 over level-1 headings, one-to-one, a match when either text
 *   contains the other after removing spaces and punctuation;
 * - assignments: a gold assignment is found when a predicted task's span overlaps
 *   the gold quote and one of its lead units equals a gold lead unit, or one contains
 *   the other with at least two characters (spaces removed, Simplified script);
 *   recall over gold, precision over predicted tasks naming a unit;
 * - deadlines: over found assignments with a gold deadline, the deadline of the
 *   matching task that overlaps the quote most must equal the gold expression
 *   (spaces removed, Simplified script).
 */
import { toSimplified } from './normalize';
import type { DecomposeResult, DecomposeTask } from './types';

export interface GoldHeading {
  level: number;
  text: string;
}

export interface GoldAssignment {
  quote: string;
  lead: string[];
  co: string[];
  deadline: string | null;
  task?: string;
}

export interface GoldDoc {
  speech?: string;
  headings: GoldHeading[];
  assignments: GoldAssignment[];
}

export interface SpeechScore {
  headings: {
    gold: number;
    predicted: number;
    matched: number;
    precision: number;
    recall: number;
    f1: number;
  };
  assignments: {
    gold: number;
    found: number;
    predicted: number;
    correct: number;
    recall: number;
    precision: number;
  };
  deadlines: { total: number; correct: number; accuracy: number };
  /** Gold quotes that could not be located in the text. */
  unlocated: string[];
  missed: GoldAssignment[];
  wrongDeadlines: { gold: GoldAssignment; predicted: string | null }[];
  falsePositives: DecomposeTask[];
}

const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** Heading text without spaces and punctuation. */
export function headingKey(text: string): string {
  return text.replace(/[\s\p{P}]/gu, '');
}

/** Unit name without spaces, in Simplified script. */
export function unitKey(name: string): string {
  return toSimplified(name.replace(/\s+/g, ''));
}

/** Equal, or one contains the other with at least two characters. */
export function unitsMatch(a: string, b: string): boolean {
  const x = unitKey(a);
  const y = unitKey(b);
  if (x === y) return x.length > 0;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.length >= 2 && long.includes(short);
}

/** Start/end of `quote` in `text`, ignoring whitespace when an exact search fails. */
export function locateQuote(text: string, quote: string): { start: number; end: number } | null {
  const exact = text.indexOf(quote);
  if (exact >= 0) return { start: exact, end: exact + quote.length };
  const idx: number[] = [];
  let compact = '';
  for (let i = 0; i < text.length; i++) {
    if (/\s/.test(text[i] as string)) continue;
    compact += text[i];
    idx.push(i);
  }
  const q = quote.replace(/\s+/g, '');
  if (!q) return null;
  let at = compact.indexOf(q);
  if (at < 0) at = toSimplified(compact).indexOf(toSimplified(q));
  if (at < 0) return null;
  return { start: idx[at] as number, end: (idx[at + q.length - 1] as number) + 1 };
}

function namesUnit(t: DecomposeTask): boolean {
  return t.lead.length + t.co.length > 0;
}

function taskMatches(t: DecomposeTask, span: { start: number; end: number }, gold: GoldAssignment): boolean {
  if (t.start >= span.end || t.end <= span.start) return false;
  return t.lead.some((p) => gold.lead.some((g) => unitsMatch(p, g)));
}

function deadlineKey(d: string): string {
  return toSimplified(d.replace(/\s+/g, ''));
}

/** Score one speech. */
export function scoreSpeech(text: string, result: DecomposeResult, gold: GoldDoc): SpeechScore {
  // headings: F1 over level 1, one-to-one, containment after removing spaces and punctuation
  const goldH = gold.headings.filter((h) => h.level === 1).map((h) => headingKey(h.text));
  const predH = result.headings.filter((h) => h.level === 1).map((h) => headingKey(h.text));
  const used = new Set<number>();
  let matched = 0;
  for (const g of goldH) {
    const i = predH.findIndex(
      (p, k) => !used.has(k) && p.length > 0 && g.length > 0 && (p.includes(g) || g.includes(p)),
    );
    if (i >= 0) {
      used.add(i);
      matched++;
    }
  }
  const hp = ratio(matched, predH.length);
  const hr = ratio(matched, goldH.length);

  // assignments
  const unlocated: string[] = [];
  const missed: GoldAssignment[] = [];
  const wrongDeadlines: SpeechScore['wrongDeadlines'] = [];
  const spans = gold.assignments.map((g) => {
    const span = locateQuote(text, g.quote);
    if (!span) unlocated.push(g.quote);
    return span;
  });
  let found = 0;
  let dlTotal = 0;
  let dlCorrect = 0;
  gold.assignments.forEach((g, gi) => {
    const span = spans[gi];
    const hits = span ? result.tasks.filter((t) => taskMatches(t, span, g)) : [];
    if (hits.length === 0 || !span) {
      missed.push(g);
      return;
    }
    found++;
    if (g.deadline === null) return;
    dlTotal++;
    // the matching task that overlaps the quote most
    const overlap = (t: DecomposeTask) => Math.min(t.end, span.end) - Math.max(t.start, span.start);
    const best = hits.reduce((a, b) => (overlap(b) > overlap(a) ? b : a));
    const predicted = best.deadline?.text ?? null;
    if (predicted !== null && deadlineKey(predicted) === deadlineKey(g.deadline)) dlCorrect++;
    else wrongDeadlines.push({ gold: g, predicted });
  });
  const named = result.tasks.filter(namesUnit);
  const falsePositives = named.filter(
    (t) =>
      !gold.assignments.some(
        (g, gi) => spans[gi] && taskMatches(t, spans[gi] as { start: number; end: number }, g),
      ),
  );
  const correct = named.length - falsePositives.length;
  return {
    headings: {
      gold: goldH.length,
      predicted: predH.length,
      matched,
      precision: hp,
      recall: hr,
      f1: f1(hp, hr),
    },
    assignments: {
      gold: gold.assignments.length,
      found,
      predicted: named.length,
      correct,
      recall: ratio(found, gold.assignments.length),
      precision: ratio(correct, named.length),
    },
    deadlines: { total: dlTotal, correct: dlCorrect, accuracy: ratio(dlCorrect, dlTotal) },
    unlocated,
    missed,
    wrongDeadlines,
    falsePositives,
  };
}

export interface OverallScore {
  headingF1: number;
  headingPrecision: number;
  headingRecall: number;
  assignmentRecall: number;
  assignmentPrecision: number;
  deadlineAccuracy: number;
}

/** Micro-averaged figures over several speeches. */
export function overallScore(scores: SpeechScore[]): OverallScore {
  const sum = (f: (s: SpeechScore) => number) => scores.reduce((a, s) => a + f(s), 0);
  const hp = ratio(
    sum((s) => s.headings.matched),
    sum((s) => s.headings.predicted),
  );
  const hr = ratio(
    sum((s) => s.headings.matched),
    sum((s) => s.headings.gold),
  );
  return {
    headingF1: f1(hp, hr),
    headingPrecision: hp,
    headingRecall: hr,
    assignmentRecall: ratio(
      sum((s) => s.assignments.found),
      sum((s) => s.assignments.gold),
    ),
    assignmentPrecision: ratio(
      sum((s) => s.assignments.correct),
      sum((s) => s.assignments.predicted),
    ),
    deadlineAccuracy: ratio(
      sum((s) => s.deadlines.correct),
      sum((s) => s.deadlines.total),
    ),
  };
}

export const GOALS = {
  headingF1: 0.95,
  assignmentRecall: 0.85,
  assignmentPrecision: 0.8,
  deadlineAccuracy: 0.9,
};

/** Names of the goals that are not met. */
export function unmetGoals(o: OverallScore): string[] {
  const out: string[] = [];
  if (o.headingF1 < GOALS.headingF1) out.push('headingF1');
  if (o.assignmentRecall < GOALS.assignmentRecall) out.push('assignmentRecall');
  if (o.assignmentPrecision < GOALS.assignmentPrecision) out.push('assignmentPrecision');
  if (o.deadlineAccuracy < GOALS.deadlineAccuracy) out.push('deadlineAccuracy');
  return out;
}
