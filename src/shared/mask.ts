/**
 * Display masking of personal data. Masking is for display only; it is not a
 * substitute for access control.
 */
import { parsePhone } from './rules/phone.js';

function stars(n: number): string {
  return '*'.repeat(Math.max(0, n));
}

/** '110105199001011234' → '110105********1234'; keeps the first 6 and last 4 characters. */
export function maskIdNumber(id: string): string {
  const s = id.trim();
  if (s.length <= 10) return stars(s.length);
  return s.slice(0, 6) + stars(s.length - 10) + s.slice(-4);
}

/**
 * Mobile '13812345678' → '138****5678'; landline '010-12345678' → '010-******78'
 * (area code and last 2 digits kept). Unrecognized input keeps only its last 2 characters.
 */
export function maskPhone(phone: string): string {
  const r = parsePhone(phone);
  if (r.ok && r.kind === 'mobile') return `${r.value.slice(0, 3)}****${r.value.slice(-4)}`;
  if (r.ok && r.areaCode) {
    const local = r.value.slice(r.areaCode.length + 1);
    return `${r.areaCode}-${stars(local.length - 2)}${local.slice(-2)}`;
  }
  const s = phone.trim();
  return stars(s.length - 2) + s.slice(-2);
}

/**
 * '张三丰' → '张**', '张三' → '张*'; keeps the first character, masks the rest
 * (separator dots of transliterated names are kept). A one-character name becomes '*'.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return stars(chars.length);
  return (
    chars[0] +
    chars
      .slice(1)
      .map((c) => (c === '·' || c === '•' ? c : '*'))
      .join('')
  );
}
