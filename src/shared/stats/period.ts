/**
 * Reporting periods: `2026` (year), `2026-H1` (half-year), `2026-Q3` (quarter), `2026-07`
 * (month). Pure. Dates are 'YYYY-MM-DD' civil dates (Asia/Shanghai), `end` inclusive.
 */

export const PERIOD_TYPES = { month: '月报', quarter: '季报', half_year: '半年报', year: '年报' } as const;
export type PeriodType = keyof typeof PERIOD_TYPES;

export interface Period {
  type: PeriodType;
  key: string;
  year: number;
  /** month, quarter or half index (1-based); 1 for a year */
  index: number;
  start: string;
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function build(type: PeriodType, year: number, index: number): Period {
  const months = type === 'month' ? 1 : type === 'quarter' ? 3 : type === 'half_year' ? 6 : 12;
  const m1 = (index - 1) * months + 1;
  const m2 = m1 + months - 1;
  const key =
    type === 'year'
      ? String(year)
      : type === 'half_year'
        ? `${year}-H${index}`
        : type === 'quarter'
          ? `${year}-Q${index}`
          : `${year}-${pad(index)}`;
  return {
    type,
    key,
    year,
    index,
    start: `${year}-${pad(m1)}-01`,
    end: `${year}-${pad(m2)}-${pad(lastDay(year, m2))}`,
  };
}

/** The type of a period string, or null when it is none of the four forms. */
export function periodTypeOf(key: string): PeriodType | null {
  if (/^\d{4}$/.test(key)) return 'year';
  if (/^\d{4}-H[12]$/.test(key)) return 'half_year';
  if (/^\d{4}-Q[1-4]$/.test(key)) return 'quarter';
  if (/^\d{4}-(0[1-9]|1[0-2])$/.test(key)) return 'month';
  return null;
}

/** Parses a period string; with `type`, it must be of that type. */
export function parsePeriod(
  key: string,
  type?: PeriodType,
): { ok: true; period: Period } | { ok: false; message: string } {
  const t = periodTypeOf(key);
  if (!t) return { ok: false, message: `报告期「${key}」格式不正确，应如 2026、2026-H1、2026-Q3 或 2026-07` };
  if (type && t !== type) {
    return { ok: false, message: `报告期「${key}」是${PERIOD_TYPES[t]}的期别，此表为${PERIOD_TYPES[type]}` };
  }
  const year = Number(key.slice(0, 4));
  if (year < 2000 || year > 2100) return { ok: false, message: `报告期「${key}」的年份超出范围` };
  const index = t === 'year' ? 1 : t === 'month' ? Number(key.slice(5)) : Number(key.slice(6));
  return { ok: true, period: build(t, year, index) };
}

export function periodOrThrow(key: string, type?: PeriodType): Period {
  const p = parsePeriod(key, type);
  if (!p.ok) throw new Error(p.message);
  return p.period;
}

const PER_YEAR: Record<PeriodType, number> = { month: 12, quarter: 4, half_year: 2, year: 1 };

/** The period `n` periods after (negative: before) this one. */
export function shiftPeriod(p: Period, n: number): Period {
  const per = PER_YEAR[p.type];
  const abs = p.year * per + (p.index - 1) + n;
  return build(p.type, Math.floor(abs / per), (abs % per) + 1);
}

/** The same period one year earlier (what `last_year(B1)` reads). */
export const lastYearOf = (p: Period): Period => build(p.type, p.year - 1, p.index);

/** The period of a type that contains a date. */
export function periodOfDate(type: PeriodType, ymd: string): Period {
  const y = Number(ymd.slice(0, 4));
  const m = Number(ymd.slice(5, 7));
  const index =
    type === 'month'
      ? m
      : type === 'quarter'
        ? Math.ceil(m / 3)
        : type === 'half_year'
          ? m <= 6
            ? 1
            : 2
          : 1;
  return build(type, y, index);
}

/** Adds days to a civil date. */
export function addDays(ymd: string, days: number): string {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The reporting window of a period: it opens `openDays` after the period's end (negative:
 * before), is due `dueDays` after the end, counts as on time until `graceDays` after the due
 * date and locks (no more submissions) `lockDays` after the end.
 */
export interface Window {
  openDays: number;
  dueDays: number;
  graceDays: number;
  lockDays: number;
}

export function windowOf(p: Period, w: Window) {
  const due = addDays(p.end, w.dueDays);
  return {
    opens: addDays(p.end, w.openDays),
    due,
    onTimeUntil: addDays(due, w.graceDays),
    locks: addDays(p.end, w.lockDays),
  };
}
