/** The date a document states: its 落款 date at the end, else the year of its 发文字号. */
import { cnNumber } from './markers';

const CN_DIGIT = '[〇零一二三四五六七八九]';
const DATE_RE = new RegExp(
  `(\\d{4}|${CN_DIGIT}{4})\\s*年\\s*(\\d{1,2}|[一二三四五六七八九十]{1,3})\\s*月\\s*(\\d{1,2}|[一二三四五六七八九十]{1,3})\\s*日`,
  'g',
);
const DOC_NO = /[〔[［(（](\d{4})[〕\]］)）]\s*\d{1,4}\s*号/;

function year(s: string): number {
  if (/^\d{4}$/.test(s)) return Number(s);
  return Number([...s].map((c) => cnNumber(c === '〇' ? '零' : c) ?? 0).join(''));
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * 落款: a full date standing alone on one of the last lines (「2026年3月10日」, 「二〇二六年三月十日」).
 * 发文字号: 「X政发〔2026〕12号」 near the top gives the year only (January 1st, so no month rolls).
 */
export function statedDate(s: string): { date: string; source: 'document' | 'docNo' } | null {
  const tail = s.slice(Math.max(0, s.length - 200));
  const lines = tail
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-4);
  for (let k = lines.length - 1; k >= 0; k--) {
    const line = lines[k] as string;
    // a date under an 附件 line dates the attachment (a form's reporting date), not the document
    if (/^附件/.test(lines[k - 1] ?? '')) continue;
    DATE_RE.lastIndex = 0;
    const m = DATE_RE.exec(line);
    if (!m || line.length > m[0].length + 4) continue;
    const y = year(m[1] as string);
    const mo = cnNumber(m[2] as string);
    const d = cnNumber(m[3] as string);
    if (y < 1990 || y > 2100 || !mo || mo > 12 || !d || d > 31) continue;
    return { date: `${y}-${pad(mo)}-${pad(d)}`, source: 'document' };
  }
  const no = DOC_NO.exec(s.slice(0, 300));
  if (no) return { date: `${no[1]}-01-01`, source: 'docNo' };
  return null;
}
