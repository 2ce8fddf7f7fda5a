/**
 * Calendar-date helpers on 'YYYY-MM-DD' strings. Civil dates are interpreted in
 * Asia/Shanghai (UTC+8, no DST) explicitly, never in the process timezone.
 */

export const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const YMD_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for valid y/m/d, or null when the date does not exist. */
export function civilToDays(year: number, month: number, day: number): number | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  // Date.UTC maps years 0..99 to 1900..1999; reject those and any rolled-over day.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

/** True for a strictly formatted, existing calendar date 'YYYY-MM-DD'. */
export function isYmd(s: string): boolean {
  return ymdToDays(s) !== null;
}

/** Days since 1970-01-01, or null when `s` is not a valid 'YYYY-MM-DD' date. */
export function ymdToDays(s: string): number | null {
  const m = YMD_RE.exec(s);
  if (!m) return null;
  return civilToDays(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** 'YYYY-MM-DD' for a day count since 1970-01-01. */
export function daysToYmd(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai calendar date of an instant, as 'YYYY-MM-DD'. */
export function shanghaiYmd(instant: Date): string {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid Date');
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai wall-clock time of an instant, as 'YYYY-MM-DD HH:mm:ss' (for exports). */
export function shanghaiDateTime(instant: Date): string {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid Date');
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The Asia/Shanghai calendar date of an instant as a day count since 1970-01-01 (= ymdToDays(shanghaiYmd(d))). */
export function shanghaiDays(instant: Date): number {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('Invalid Date');
  return Math.floor((t + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** Day of week (0 = Sunday … 6 = Saturday) for a day count since 1970-01-01. */
export function weekdayOfDays(days: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((days + 4) % 7) + 7) % 7;
}

/** The instant at `hours` (may be fractional, 0..24) after Shanghai midnight of the given day. */
export function shanghaiInstant(days: number, hours: number): Date {
  return new Date(days * DAY_MS + Math.round(hours * 3600_000) - SHANGHAI_OFFSET_MS);
}
