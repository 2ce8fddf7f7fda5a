/**
 * Time limits of appeals in working days on the Chinese calendar. Rules are configuration:
 * the most specific rule wins: a rule for the exact priority before one for any priority,
 * then the category itself before its ancestors before the default.
 */

import type { WorkCalendar } from '../calendar/workdays.js';
import { shanghaiYmd } from '../calendar/ymd.js';
import type { AppealLight, AppealPriority } from './constants.js';

export interface SlaRule {
  id?: number;
  /** null: every category */
  categoryCode: string | null;
  /** null: every priority */
  priority: AppealPriority | null;
  /** sign for it within (0 = the same working day) */
  signDays: number;
  /** return a misrouted appeal within */
  returnDays: number;
  /** reply within */
  replyDays: number;
  /** return visit within, after the reply */
  visitDays: number;
  /** one extension of at most */
  maxExtensionDays: number;
}

/** Picks the rule for a category (given with its ancestors, itself first) and a priority. */
export function pickSla(
  rules: readonly SlaRule[],
  categoryChain: readonly string[],
  priority: AppealPriority,
) {
  let best: SlaRule | undefined;
  let bestScore = -1;
  for (const r of rules) {
    const depth = r.categoryCode === null ? categoryChain.length : categoryChain.indexOf(r.categoryCode);
    if (depth < 0) continue;
    if (r.priority !== null && r.priority !== priority) continue;
    // an exact priority first (urgent is urgent in every category), then the nearer category
    const score = (r.priority === null ? 0 : 100) + (categoryChain.length - depth);
    if (score > bestScore) {
      best = r;
      bestScore = score;
    }
  }
  if (!best) throw new Error('no time-limit rule applies (a default rule is required)');
  return best;
}

/**
 * End of the n-th working day after `start`; for n = 0 the end of the same working day,
 * or of the next one when that end has already passed.
 */
export function dueAfter(cal: WorkCalendar, start: Date, n: number): Date {
  const d = cal.deadline(start, n);
  return d.getTime() > start.getTime() ? d : cal.deadline(start, n + 1);
}

export interface Deadlines {
  signDueAt: Date;
  returnDueAt: Date;
  dueAt: Date;
  warnAt: Date;
}

/** Yellow from 80 % of the limit: the end of working day ⌊0.8·n⌋, or 80 % of the wall time. */
export function warnAt(cal: WorkCalendar, start: Date, replyDays: number, due: Date): Date {
  const k = Math.floor(replyDays * 0.8);
  if (k >= 1 && k < replyDays) return cal.deadline(start, k);
  return new Date(start.getTime() + 0.8 * (due.getTime() - start.getTime()));
}

/** Deadlines of an appeal dispatched at `start`. */
export function computeDeadlines(cal: WorkCalendar, start: Date, sla: SlaRule): Deadlines {
  const dueAt = dueAfter(cal, start, sla.replyDays);
  return {
    signDueAt: dueAfter(cal, start, sla.signDays),
    returnDueAt: dueAfter(cal, start, sla.returnDays),
    dueAt,
    warnAt: warnAt(cal, start, sla.replyDays, dueAt),
  };
}

/** Moves a deadline by n working days (extensions, paused clock), keeping its time of day. */
export function shiftByWorkdays(cal: WorkCalendar, at: Date, n: number): Date {
  if (n === 0) return at;
  const fromDay = shanghaiYmd(at);
  const toDay = cal.addWorkdays(fromDay, n);
  const days = (Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86_400_000;
  return new Date(at.getTime() + days * 86_400_000);
}

/** Working days the clock stood still: working days after the pause day up to the resume day. */
export function pausedWorkdays(cal: WorkCalendar, pausedAt: Date, resumedAt: Date): number {
  return Math.max(0, cal.workdaysBetween(pausedAt, resumedAt));
}

/** The day a 催办 is due: the first working day after the deadline's day. */
export function urgeDay(cal: WorkCalendar, dueAt: Date): string {
  return cal.nextWorkday(shanghaiYmd(dueAt));
}

/** Whether the automatic 催办 is due at `now` for an appeal with deadline `dueAt`. */
export function urgeDue(cal: WorkCalendar, dueAt: Date, now: Date): boolean {
  return shanghaiYmd(now) >= urgeDay(cal, dueAt);
}

/** The light of an unanswered appeal: red when overdue, yellow from the warning time. */
export function lightOf(
  a: { dueAt: Date | null; warnAt: Date | null; answered: boolean; suspended: boolean },
  now: Date,
): AppealLight {
  if (a.answered || a.suspended || !a.dueAt) return 'none';
  if (now > a.dueAt) return 'red';
  if (a.warnAt && now >= a.warnAt) return 'yellow';
  return 'green';
}
