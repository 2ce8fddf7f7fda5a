import * as OpenCC from 'opencc-js';

/** Traditional (Taiwan) → Simplified, built lazily once. */
let converter: ((s: string) => string) | null = null;
function convert(s: string): string {
  if (!converter) converter = OpenCC.Converter({ from: 'tw', to: 'cn' });
  return converter(s);
}

/**
 * Code unit → Simplified code unit, filled lazily from OpenCC one character at a
 * time (0 = not looked up yet). Full-width ASCII forms fold to ASCII.
 */
const TABLE = new Uint16Array(0x10000);

function mapUnit(c: number): number {
  const hit = TABLE[c] as number;
  if (hit !== 0) return hit;
  let out = c;
  if (c >= 0xff01 && c <= 0xff5d) out = c - 0xfee0;
  else if (c === 0x3000) out = 0x20;
  else if (c >= 0x3400 && (c < 0xd800 || c > 0xdfff)) {
    const conv = convert(String.fromCharCode(c));
    if (conv.length === 1) out = conv.charCodeAt(0);
  }
  TABLE[c] = out;
  return out;
}

const CHUNK = 8192;

/**
 * Simplified copy of `text` with exactly the same length, so that every index
 * into the copy is also an index into the original. The conversion is character
 * by character (phrase-level rewrites would change lengths and add nothing to the
 * matching done here); full-width punctuation and digits are folded to ASCII.
 */
export function toSimplified(text: string): string {
  const parts: string[] = [];
  const buf = new Uint16Array(Math.min(CHUNK, text.length));
  for (let i = 0; i < text.length; i += CHUNK) {
    const n = Math.min(CHUNK, text.length - i);
    for (let k = 0; k < n; k++) {
      const c = text.charCodeAt(i + k);
      buf[k] = c < 0x3000 ? c : mapUnit(c);
    }
    parts.push(String.fromCharCode(...buf.subarray(0, n)));
  }
  return parts.join('');
}
