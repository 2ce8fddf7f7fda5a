/**
 * Public tracking codes (查询码) for appeals: 10 characters, 9 random + 1 check, from a
 * 31-symbol alphabet without ambiguous characters (no 0, O, 1, I, L). The check symbol
 * is Σ i·v_i mod 31 (i = 1..9); as 31 is prime this detects every single-character
 * error and every transposition of adjacent characters.
 */

export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const TRACKING_CODE_LENGTH = 10;
const PAYLOAD_LENGTH = TRACKING_CODE_LENGTH - 1;
const BASE = TRACKING_ALPHABET.length; // 31
// Largest multiple of BASE not above 256: bytes at or above it are rejected (no modulo bias).
const BYTE_LIMIT = Math.floor(256 / BASE) * BASE;

function checkSymbol(payload: string): string | null {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    const v = TRACKING_ALPHABET.indexOf(payload[i]!);
    if (v < 0) return null;
    sum += (i + 1) * v;
  }
  return TRACKING_ALPHABET[sum % BASE]!;
}

/** Creates a code from a source of random bytes (e.g. crypto.getRandomValues / randomBytes). */
export function newTrackingCode(randomBytes: (n: number) => Uint8Array): string {
  let payload = '';
  for (let rounds = 0; payload.length < PAYLOAD_LENGTH; rounds++) {
    if (rounds > 100) throw new Error('newTrackingCode: random source keeps returning unusable bytes');
    for (const b of randomBytes(PAYLOAD_LENGTH)) {
      if (b < BYTE_LIMIT && payload.length < PAYLOAD_LENGTH) payload += TRACKING_ALPHABET[b % BASE];
    }
  }
  return payload + checkSymbol(payload)!;
}

/** Uppercases and strips whitespace and hyphens; returns the code, or null if invalid. */
export function normalizeTrackingCode(s: string): string | null {
  const code = s.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== TRACKING_CODE_LENGTH) return null;
  const check = checkSymbol(code.slice(0, PAYLOAD_LENGTH));
  return check !== null && check === code[PAYLOAD_LENGTH] ? code : null;
}

/** Validates a code case-insensitively (whitespace and hyphens ignored). */
export function isTrackingCode(s: string): boolean {
  return normalizeTrackingCode(s) !== null;
}

/** Display form 'XXXXX-XXXXX' (input need not be normalized; invalid input is returned as is). */
export function formatTrackingCode(s: string): string {
  const code = normalizeTrackingCode(s);
  return code === null ? s : `${code.slice(0, 5)}-${code.slice(5)}`;
}
