/**
 * Dates of the supervision cycle on the working-day calendar: report periods and their due
 * dates (调度), reminders before a due date, the first working day of 催办 after a missed one.
 * Dates are 'YYYY-MM-DD' (Asia/Shanghai civil dates).
 */
import type { WorkCalendar } from '../calendar/workdays.js';
import { daysToYmd, ymdToDays } from '../calendar/ymd.js';
import type { Cadence } from './constants.js';

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function parts(ymd: string): [number, number, number] {
  if (ymdToDays(ymd) === null) throw new RangeError(`invalid date: ${ymd}`);
  return [Number(ymd.slice(0, 4)), Number(ymd.slice(5, 7)), Number(ymd.slice(8, 10))];
}

/** The report period of a cadence that contains `ymd`, or null for 不定期. */
export function periodOf(cadence: Cadence, ymd: string): { start: string; end: string } | null {
  const [y, m, d] = parts(ymd);
  switch (cadence) {
    case 'none':
      return null;
    case 'weekly': {
      const days = ymdToDays(ymd)!;
      const monday = days - ((new Date(days * 86_400_000).getUTCDay() + 6) % 7);
      return { start: daysToYmd(monday), end: daysToYmd(monday + 6) };
    }
    case 'semimonthly':
      return d <= 15
        ? { start: `${y}-${pad(m)}-01`, end: `${y}-${pad(m)}-15` }
        : { start: `${y}-${pad(m)}-16`, end: `${y}-${pad(m)}-${pad(lastDayOfMonth(y, m))}` };
    case 'monthly':
      return { start: `${y}-${pad(m)}-01`, end: `${y}-${pad(m)}-${pad(lastDayOfMonth(y, m))}` };
    case 'quarterly': {
      const q0 = Math.floor((m - 1) / 3) * 3 + 1;
      return { start: `${y}-${pad(q0)}-01`, end: `${y}-${pad(q0 + 2)}-${pad(lastDayOfMonth(y, q0 + 2))}` };
    }
  }
}

/** The working day on or before `ymd`. */
export function workdayOnOrBefore(cal: WorkCalendar, ymd: string): string {
  return cal.isWorkday(ymd) ? ymd : cal.addWorkdays(ymd, -1);
}

/** A period's report is due on its last working day. */
export const reportDueOf = (cal: WorkCalendar, period: { end: string }) => workdayOnOrBefore(cal, period.end);

/**
 * The next report due date: the current period's, unless a report was already made in it,
 * then the next period's. Never after the task's own due date (the last report is due then).
 */
export function nextReportDue(
  cal: WorkCalendar,
  cadence: Cadence,
  today: string,
  lastReport: string | null,
  taskDue: string | null,
): string | null {
  let p = periodOf(cadence, today);
  if (!p) return null;
  if (lastReport && lastReport >= p.start) p = periodOf(cadence, daysToYmd(ymdToDays(p.end)! + 1))!;
  const due = reportDueOf(cal, p);
  if (taskDue && due > taskDue) return taskDue >= today ? taskDue : null;
  return due;
}

/** The day to remind before a due date: `n` working days earlier. */
export const remindOn = (cal: WorkCalendar, due: string, n: number) => cal.addWorkdays(due, -n);

/** A task is overdue once its due date has passed (the whole due day counts). */
export const isPastDue = (due: string | null, today: string) => due !== null && today > due;

/** 催办 starts on the first working day after the missed due date. */
export const urgeOn = (cal: WorkCalendar, due: string) => cal.nextWorkday(due);

/** Maps a recurrence found by the decomposition engine to a report cadence. */
export function cadenceOfRecurrence(recurrence: string | null | undefined): Cadence {
  switch (recurrence) {
    case 'weekly':
      return 'weekly';
    case 'semimonthly':
    case 'biweekly':
      return 'semimonthly';
    case 'quarterly':
      return 'quarterly';
    default:
      return 'monthly';
  }
}
