/**
 * GB 11643-1999 citizen identity number (18 characters):
 * 6-digit region code, 8-digit birth date, 3-digit sequence (odd = male), check char
 * (ISO 7064 MOD 11-2, 'X' stands for 10).
 */
import { civilToDays, daysToYmd, shanghaiDays } from '../calendar/ymd.js';

export type IdNumberResult =
  | { ok: true; value: string; birthDate: string; gender: 'M' | 'F'; regionCode: string }
  | { ok: false; reason: 'format' | 'checksum' | 'birthDate' };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const FORMAT_RE = /^[1-9]\d{16}[\dX]$/;
const MIN_BIRTH_YEAR = 1900;

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idNumberCheckChar: expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/**
 * Validates and decomposes an 18-character ID number. Surrounding whitespace is ignored
 * and a lowercase 'x' is accepted. `today` (default: now) bounds the birth date, taken
 * as the Asia/Shanghai calendar date.
 */
export function parseIdNumber(s: string, opts: { today?: Date } = {}): IdNumberResult {
  const value = s.trim().toUpperCase();
  if (!FORMAT_RE.test(value)) return { ok: false, reason: 'format' };
  if (idNumberCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, reason: 'checksum' };

  const year = Number(value.slice(6, 10));
  const days = civilToDays(year, Number(value.slice(10, 12)), Number(value.slice(12, 14)));
  // arithmetic, not date formatting: an import checks a million of these
  const todayDays = shanghaiDays(opts.today ?? new Date());
  if (days === null || year < MIN_BIRTH_YEAR || days > todayDays) return { ok: false, reason: 'birthDate' };

  return {
    ok: true,
    value,
    birthDate: daysToYmd(days),
    gender: Number(value[16]) % 2 === 1 ? 'M' : 'F',
    regionCode: value.slice(0, 6),
  };
}

/** Convenience boolean form of {@link parseIdNumber}. */
export function isIdNumber(s: string, opts: { today?: Date } = {}): boolean {
  return parseIdNumber(s, opts).ok;
}

/**
 * Builds a valid ID number from a 6-digit region code, a 'YYYYMMDD' birth date and a
 * 3-digit sequence (odd = male, even = female) by appending the check character.
 * Intended for seeds and tests; throws on malformed input.
 */
export function makeIdNumber(region6: string, birth: string, seq3: string): string {
  if (!/^[1-9]\d{5}$/.test(region6)) throw new RangeError('makeIdNumber: region must be 6 digits');
  if (!/^\d{8}$/.test(birth)) throw new RangeError('makeIdNumber: birth must be YYYYMMDD');
  if (civilToDays(Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8))) === null) {
    throw new RangeError('makeIdNumber: birth is not a calendar date');
  }
  if (!/^\d{3}$/.test(seq3)) throw new RangeError('makeIdNumber: sequence must be 3 digits');
  const first17 = region6 + birth + seq3;
  return first17 + idNumberCheckChar(first17);
}
