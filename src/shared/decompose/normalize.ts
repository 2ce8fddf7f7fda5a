import * as OpenCC from 'opencc-js';

/** Traditional (Taiwan) → Simplified, built lazily once. */
let converter: ((s: string) => string) | null = null;
function convert(s: string): string {
  if (!converter) converter = OpenCC.Converter({ from: 'tw', to: 'cn' });
  return converter(s);
}

const CHUNK = 4096;

/** Full-width ASCII-like punctuation and digits folded to ASCII (one code unit each). */
function foldWidth(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e && c !== 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000) out += ' ';
    else out += s[i];
  }
  return out;
}

/** Convert one chunk, falling back to code point by code point when the length changes. */
function convertChunk(chunk: string): string {
  const whole = convert(chunk);
  if (whole.length === chunk.length) return whole;
  let out = '';
  for (const cp of chunk) {
    const c = convert(cp);
    out += c.length === cp.length ? c : cp;
  }
  return out;
}

/**
 * Simplified copy of `text` with exactly the same length, so that every index
 * into the copy is also an index into the original. Full-width punctuation and
 * digits are folded to ASCII as well.
 */
export function toSimplified(text: string): string {
  if (text.length === 0) return '';
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    let j = Math.min(text.length, i + CHUNK);
    // cut after a newline when possible, never inside a surrogate pair
    if (j < text.length) {
      const nl = text.lastIndexOf('\n', j);
      if (nl > i) j = nl + 1;
      else if (/[\ud800-\udbff]/.test(text[j - 1] ?? '')) j -= 1;
    }
    parts.push(convertChunk(text.slice(i, j)));
    i = j;
  }
  const out = foldWidth(parts.join(''));
  return out.length === text.length ? out : foldWidth(text);
}

/** Simplified text with all whitespace removed (for comparisons). */
export function simplifyCompact(text: string): string {
  return toSimplified(text).replace(/\s+/g, '');
}
