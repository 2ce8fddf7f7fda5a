/**
 * GB 32100-2015 unified social credit code (统一社会信用代码), 18 characters:
 * registration authority (1), organization category (1), region code (6 digits),
 * organization code (9), check character (1). Charset: 0-9 and A-Y without I, O, S, V, Z.
 * Check: weights 3^i mod 31, C18 = 31 - (Σ Ci·Wi mod 31), 31 → '0'.
 */

export type CreditCodeResult =
  | { ok: true; value: string }
  | { ok: false; reason: 'length' | 'charset' | 'region' | 'checksum' };

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

function charValue(c: string): number {
  return CREDIT_CODE_CHARSET.indexOf(c);
}

/** The check character for the first 17 characters (uppercase, within the charset). */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('creditCodeCheckChar: expected 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = charValue(first17[i]!);
    if (v < 0) throw new RangeError(`creditCodeCheckChar: invalid character '${first17[i]}'`);
    sum += v * WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31]!;
}

/**
 * Validates a credit code. Surrounding whitespace is ignored and lowercase letters are
 * accepted; `value` is the normalized uppercase code. The region part (positions 3–8)
 * must be digits; the organization-code part is not checked separately.
 */
export function validateCreditCode(s: string): CreditCodeResult {
  const value = s.trim().toUpperCase();
  if (value.length !== 18) return { ok: false, reason: 'length' };
  for (const c of value) if (charValue(c) < 0) return { ok: false, reason: 'charset' };
  if (!/^\d{6}$/.test(value.slice(2, 8))) return { ok: false, reason: 'region' };
  if (creditCodeCheckChar(value.slice(0, 17)) !== value[17]) return { ok: false, reason: 'checksum' };
  return { ok: true, value };
}

/** Appends the check character to 17 charset characters (case-insensitive); throws otherwise. */
export function makeCreditCode(first17: string): string {
  const head = first17.toUpperCase();
  return head + creditCodeCheckChar(head);
}
