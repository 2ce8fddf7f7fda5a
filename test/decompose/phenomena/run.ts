/** Runs the phenomenon suite: every case in Simplified and in Traditional, scored per class. */
import * as OpenCC from 'opencc-js';
import type { DecomposeResult, DecomposeTask } from '../../../src/shared/decompose/index';
import { decompose } from '../../../src/shared/decompose/index';
import { headingKey, unitKey, unitsMatch } from '../../../src/shared/decompose/score';
import { CASES, type ExpectedDeadline, type ExpectedTask, type PhenomenonCase } from './cases';

export const SUITE_DATE = '2026-03-10';
export const SUITE_GOAL = 0.95;

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

export interface ClassScore {
  cls: number;
  total: number;
  passed: number;
  failures: { text: string; why: string }[];
}

function sameUnits(got: string[], want: string[]): boolean {
  if (got.length !== want.length) return false;
  return want.every((w) => got.some((g) => unitsMatch(g, w)));
}

function deadlineProblem(task: DecomposeTask, want: ExpectedDeadline): string | null {
  const d = task.deadline;
  const date = d?.date ?? null;
  const rec = d?.recurrence ?? null;
  if (want === null)
    return date === null && rec === null ? null : `deadline ${d?.text}→${date}/${rec}, want none`;
  if (typeof want === 'string' || Array.isArray(want)) {
    const [min, max] = typeof want === 'string' ? [want, want] : want;
    if (rec !== null) return `recurrence ${rec}, want date ${min}`;
    return date !== null && date >= min && date <= max
      ? null
      : `deadline ${d?.text}→${date}, want ${min}..${max}`;
  }
  if (rec !== want.rec) return `recurrence ${rec}, want ${want.rec}`;
  if (want.date && date !== want.date) return `next date ${date}, want ${want.date}`;
  return null;
}

function taskProblem(task: DecomposeTask, want: ExpectedTask): string | null {
  if (!sameUnits(task.lead, want.lead)) return `lead ${task.lead.join('、')}, want ${want.lead.join('、')}`;
  if (!sameUnits(task.co, want.co)) return `co ${task.co.join('、')}, want ${want.co.join('、')}`;
  if (want.startsWith && !unitKey(task.text).startsWith(want.startsWith))
    return `text ${task.text.slice(0, 20)}…, want ${want.startsWith}…`;
  return deadlineProblem(task, want.deadline);
}

/** Why the result fails the case, or null when it passes. */
export function caseProblem(c: PhenomenonCase, r: DecomposeResult): string | null {
  if (c.headings) {
    for (const level of [1, 2] as const) {
      const got = r.headings.filter((h) => h.level === level).map((h) => headingKey(unitKey(h.text)));
      const want = c.headings[level].map((h) => headingKey(h));
      const ok = got.length === want.length && want.every((w, i) => (got[i] ?? '').startsWith(w));
      if (!ok) return `level ${level} headings ${got.join(' | ')}, want ${want.join(' | ')}`;
    }
  }
  if (c.tasks) {
    const tasks = r.tasks.filter((x) => x.lead.length > 0);
    if (tasks.length !== c.tasks.length)
      return `${tasks.length} tasks (${tasks.map((x) => x.lead.join('、')).join(' / ')}), want ${c.tasks.length}`;
    for (let i = 0; i < tasks.length; i++) {
      const p = taskProblem(tasks[i] as DecomposeTask, c.tasks[i] as ExpectedTask);
      if (p) return `task ${i + 1}: ${p}`;
    }
  }
  return null;
}

/** Scores every class; `heldOut` selects the held-out batch (true), the first batch (false) or all. */
export function runSuite(heldOut?: boolean): ClassScore[] {
  const byClass = new Map<number, ClassScore>();
  for (const c of CASES) {
    if (heldOut !== undefined && Boolean(c.heldOut) !== heldOut) continue;
    const score = byClass.get(c.cls) ?? { cls: c.cls, total: 0, passed: 0, failures: [] };
    byClass.set(c.cls, score);
    for (const text of [c.text, toTraditional(c.text)]) {
      score.total++;
      const why = caseProblem(c, decompose(text, { date: c.date ?? SUITE_DATE }));
      if (why) score.failures.push({ text, why });
      else score.passed++;
    }
  }
  return [...byClass.values()].sort((a, b) => a.cls - b.cls);
}
