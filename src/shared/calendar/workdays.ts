/**
 * Chinese working-day calendar: Monday–Friday are working days except statutory
 * holidays (法定节假日), and weekend days declared working days (调休上班) are working days.
 * Local overrides (e.g. a city's own adjustments) take precedence over the data.
 * Years outside the data fall back to plain Monday–Friday.
 * All civil dates are Asia/Shanghai (UTC+8, no DST), never the process timezone.
 */
import shipped from './holidays.json' with { type: 'json' };
import { daysToYmd, shanghaiInstant, shanghaiYmd, weekdayOfDays, ymdToDays } from './ymd.js';

export type DateInput = Date | string;
export interface CalendarData {
  holidays: readonly string[];
  workdays: readonly string[];
}
export interface CalendarOverride {
  date: string;
  kind: 'holiday' | 'workday';
}

/** Default end of a working day for deadlines: 17:30 Asia/Shanghai. */
export const DEFAULT_END_OF_DAY_HOUR = 17.5;

function toDays(d: DateInput): number {
  const days = ymdToDays(typeof d === 'string' ? d : shanghaiYmd(d));
  if (days === null) throw new RangeError(`invalid date: ${String(d)}`);
  return days;
}

function requireInteger(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

export class WorkCalendar {
  /** Years for which holiday data or overrides are present (outside them: Monday–Friday). */
  readonly coveredYears: readonly number[];
  private readonly special = new Map<number, boolean>();

  constructor(data: CalendarData = shipped, overrides: readonly CalendarOverride[] = []) {
    for (const d of data.holidays) this.special.set(toDays(d), false);
    for (const d of data.workdays) this.special.set(toDays(d), true);
    for (const o of overrides) this.special.set(toDays(o.date), o.kind === 'workday');
    // a year counts as covered when the data or an administrator's override names a holiday in it
    const holidayYears = [
      ...data.holidays,
      ...overrides.filter((o) => o.kind === 'holiday').map((o) => o.date),
    ];
    this.coveredYears = [...new Set(holidayYears.map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
  }

  /** Whether the calendar has holiday data for the date's year. */
  covers(date: DateInput): boolean {
    return this.coveredYears.includes(Number(daysToYmd(toDays(date)).slice(0, 4)));
  }

  isWorkday(date: DateInput): boolean {
    return this.isWorkdayDays(toDays(date));
  }

  /**
   * The n-th working day after `from` (n > 0), before it (n < 0), or for n = 0 `from`
   * itself if it is a working day, else the next working day. Returns 'YYYY-MM-DD'.
   */
  addWorkdays(from: DateInput, n: number): string {
    requireInteger(n, 'n');
    let day = toDays(from);
    if (n === 0) {
      while (!this.isWorkdayDays(day)) day++;
      return daysToYmd(day);
    }
    const step = n > 0 ? 1 : -1;
    for (let left = Math.abs(n); left > 0; ) {
      day += step;
      if (this.isWorkdayDays(day)) left--;
    }
    return daysToYmd(day);
  }

  /** The first working day strictly after `date`. */
  nextWorkday(date: DateInput): string {
    return this.addWorkdays(date, 1);
  }

  /**
   * Number of working days d with a < d ≤ b (negative when b < a), so that
   * workdaysBetween(a, addWorkdays(a, n)) === n for n ≥ 1.
   */
  workdaysBetween(a: DateInput, b: DateInput): number {
    const from = toDays(a);
    const to = toDays(b);
    if (to < from) return -this.workdaysBetween(b, a);
    let count = 0;
    for (let day = from + 1; day <= to; day++) if (this.isWorkdayDays(day)) count++;
    return count;
  }

  /**
   * End (default 17:30 Asia/Shanghai) of the n-th working day after the day of `start`;
   * the start day itself is not counted (期间开始的当日不计入). n = 0: end of the start day
   * if it is a working day, else of the next working day. `endOfDayHour` may be
   * fractional (17.5 = 17:30) and ranges 0..24.
   */
  deadline(start: Date, workdays: number, opts: { endOfDayHour?: number } = {}): Date {
    const hour = opts.endOfDayHour ?? DEFAULT_END_OF_DAY_HOUR;
    if (!(hour >= 0 && hour <= 24)) throw new RangeError(`endOfDayHour must be within 0..24, got ${hour}`);
    const day = toDays(this.addWorkdays(start, workdays));
    return shanghaiInstant(day, hour);
  }

  private isWorkdayDays(day: number): boolean {
    const special = this.special.get(day);
    if (special !== undefined) return special;
    const wd = weekdayOfDays(day);
    return wd !== 0 && wd !== 6;
  }
}

/** Calendar from the shipped data (see scripts/gen-holidays.ts). */
export const workCalendar = new WorkCalendar();
