/**
 * Mainland China phone numbers.
 * - mobile: 1[3-9]\d{9}, normalized to 11 digits;
 * - landline: 0 + area code + 7–8 digit subscriber number, normalized to 'AREA-NUMBER'.
 *   Area codes are 3 digits for 010 and 02X, 4 digits otherwise (GB/T numbering plan).
 * Input may contain spaces, hyphens, parentheses, full-width digits and a +86 / 0086 prefix.
 */

export type PhoneKind = 'mobile' | 'landline';
export type PhoneResult =
  | { ok: true; kind: PhoneKind; value: string; areaCode?: string }
  | { ok: false; reason: 'empty' | 'format' };

const MOBILE_RE = /^1[3-9]\d{9}$/;
const LANDLINE_RE = /^(0(?:10|2\d|[3-9]\d{2}))([1-9]\d{6,7})$/;

function clean(s: string): string {
  return s
    .replace(/[\uFF10-\uFF19\uFF0B]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\-()\uFF08\uFF09\u2010-\u2015]/g, '');
}

export function parsePhone(s: string): PhoneResult {
  let d = clean(s);
  if (d === '') return { ok: false, reason: 'empty' };
  let international = false;
  if (d.startsWith('+86')) {
    d = d.slice(3);
    international = true;
  } else if (d.startsWith('0086')) {
    d = d.slice(4);
    international = true;
  } else if (/^861[3-9]\d{9}$/.test(d)) {
    d = d.slice(2);
  }
  if (!/^\d+$/.test(d)) return { ok: false, reason: 'format' };
  if (MOBILE_RE.test(d)) return { ok: true, kind: 'mobile', value: d };
  // In international form the trunk prefix 0 of a landline is dropped (+86 10 …).
  if (international && !d.startsWith('0')) d = `0${d}`;
  const m = LANDLINE_RE.exec(d);
  if (m) return { ok: true, kind: 'landline', value: `${m[1]}-${m[2]}`, areaCode: m[1]! };
  return { ok: false, reason: 'format' };
}

/** Same as {@link parsePhone}: `{ ok: true, kind, value }` or `{ ok: false, reason }`. */
export const validatePhone = parsePhone;

/** Normalized number ('13812345678' or '010-12345678'), or null when invalid. */
export function normalizePhone(s: string): string | null {
  const r = parsePhone(s);
  return r.ok ? r.value : null;
}

export function isMobile(s: string): boolean {
  const r = parsePhone(s);
  return r.ok && r.kind === 'mobile';
}

export function isLandline(s: string): boolean {
  const r = parsePhone(s);
  return r.ok && r.kind === 'landline';
}
