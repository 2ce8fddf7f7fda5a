/** Outline markers: 一、 (一) 1. 一是 第一 首先 … at line starts and after sentence ends. */
import { isHan } from './units';

/** Numbering styles; the rank orders them from most to least senior. */
export type Style = 'part' | 'cnDun' | 'seq' | 'cnParen' | 'arDun' | 'arParen' | 'ordinal' | 'shi' | 'yao';

export const RANK: Record<Style, number> = {
  part: 0,
  cnDun: 1,
  seq: 1.5,
  cnParen: 2,
  arDun: 3,
  arParen: 4,
  ordinal: 5,
  shi: 5,
  yao: 5,
};

export interface Marker {
  style: Style;
  value: number; // 0 = "last" (最后)
  start: number;
  end: number; // end of the heading clause
  strong: boolean; // at a line start
  ordinalToo: boolean; // 第N usable by the seq style
}

const CN_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** Parse a Chinese numeral up to 99 (一, 十, 十二, 二十三). */
export function cnNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s.length === 0 || s.length > 3) return null;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? (CN_DIGITS[s] ?? null) : null;
  const hi = ten === 0 ? 1 : (CN_DIGITS[s.slice(0, ten)] ?? null);
  const loS = s.slice(ten + 1);
  const lo = loS === '' ? 0 : (CN_DIGITS[loS] ?? null);
  if (hi === null || lo === null) return null;
  return hi * 10 + lo;
}

const CN = '[一二三四五六七八九十]{1,3}';
// Each pattern is anchored (sticky) at a candidate block start.
const PATTERNS: { style: Style; re: RegExp }[] = [
  { style: 'part', re: new RegExp(`第(${CN})(?:个|個)?(?:问题|部分|方面|篇|章|讲)`, 'y') },
  { style: 'cnParen', re: new RegExp(`[(（]\\s*(${CN})\\s*[)）]`, 'y') },
  { style: 'arParen', re: /[(（]\s*(\d{1,2})\s*[)）]/y },
  { style: 'cnDun', re: new RegExp(`(${CN})\\s*(?:、|[.．](?!\\d))`, 'y') },
  { style: 'arDun', re: /(\d{1,2})\s*(?:、|[.．](?!\d))/y },
  { style: 'ordinal', re: new RegExp(`第(${CN})\\s*(?=[,，、:：])`, 'y') },
  { style: 'shi', re: new RegExp(`(${CN})是(?![的否])`, 'y') },
  { style: 'yao', re: new RegExp(`(${CN})要(?![求点素件闻务害])`, 'y') },
  { style: 'seq', re: /(首先|其次|再次|最后)\s*(?=[,，、:：])/y },
];

const SEQ_VALUE: Record<string, number> = { 首先: 1, 其次: 2, 再次: 3, 最后: 0 };

/** End of a heading clause: first sentence end, line end or a CJK-space-CJK break. */
function headingEnd(s: string, from: number): number {
  const max = Math.min(s.length, from + 200);
  for (let i = from; i < max; i++) {
    const c = s[i] as string;
    if (c === '\n' || c === '。' || c === '!' || c === '?' || c === ';') return i;
    if (c === ' ' || c === '\u3000' || c === '\t') {
      let j = i;
      while (j < max && (s[j] === ' ' || s[j] === '\u3000' || s[j] === '\t')) j++;
      if (isHan(s[i - 1]) && isHan(s[j])) return i;
      i = j - 1;
    }
  }
  return max;
}

function matchAt(s: string, pos: number, strong: boolean): Marker | null {
  for (const { style, re } of PATTERNS) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) continue;
    const word = m[1] ?? '';
    const value = style === 'seq' ? (SEQ_VALUE[word] ?? 0) : cnNumber(word);
    if (value === null) continue;
    let end = headingEnd(s, pos);
    while (end > pos && /[\s,:，：]/.test(s[end - 1] as string)) end--;
    if (end - pos <= m[0].length) continue; // a bare number is no heading
    return { style, value, start: pos, end, strong, ordinalToo: style === 'ordinal' };
  }
  return null;
}

/** Candidate markers at line starts (strong) and after a sentence end (weak). */
export function collectMarkers(s: string): Marker[] {
  const out: Marker[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    // line start
    let p = i;
    while (p < n && /[ \t\u3000\r]/.test(s[p] as string)) p++;
    const nl = s.indexOf('\n', p);
    const lineEnd = nl < 0 ? n : nl;
    const first = matchAt(s, p, true);
    if (first) out.push(first);
    // after 。!? inside the line
    for (let k = p; k < lineEnd; k++) {
      const c = s[k];
      if (c !== '。' && c !== '!' && c !== '?') continue;
      let q = k + 1;
      while (q < lineEnd && /[ \t\u3000”"]/.test(s[q] as string)) q++;
      if (q >= lineEnd) break;
      const m = matchAt(s, q, false);
      if (m) out.push(m);
    }
    i = lineEnd + 1;
  }
  return out;
}
