import { cnNumber } from './markers';
import type { DecomposeDeadline } from './types';

export interface DeadlineHit extends DecomposeDeadline {
  start: number;
  end: number;
}

const NUM = '(?:\\d{1,2}|[一二两三四五六七八九十]{1,3})';
const YEAR = '(?:今年|明年|后年|\\d{4}\\s*年|20xx\\s*年|[〇零一二三四五六七八九]{4}年)';
// Alternatives in priority order; the whole thing is one sticky-free global regex.
const DEADLINE_RE = new RegExp(
  [
    // recurrence
    '每(?:半个?月|半年|个?月|个?季度?|一?年|周|星期|天|日|旬)',
    // month expressions: 六月底前, 10月底前, 明年6月份, 三月下旬, 10月1日前
    `(?:力争)?${YEAR}?\\s*${NUM}\\s*月(?:份)?(?:${NUM}\\s*[日号]|[上中下]旬|底|末|初|中)?(?:之前|以前|前|内)?`,
    // durations: 3年内, 一年后, 6个月内
    `(?:力争)?${NUM}\\s*(?:个)?(?:年|月|季度|周|星期|天|日|工作日|个工作日)(?:之内|以内|内|之后|以后|后)`,
    // years and halves: 年内, 年底前, 今年, 明年, 上半年, 一季度
    `(?:力争)?(?:${YEAR}|本年度)?(?:年内|年底前|年底|年末|内|底前|底|上半年|下半年|年中)`,
    '(?:力争)?(?:今年|明年|本年度)(?:上半年|下半年)?',
    '(?:第?[一二三四1-4])季度(?:末|底)?(?:之前|以前|前)?',
    '(?:本|下)(?:个)?月(?:底前|底|内|末)',
    '月底前',
    '(?:到|至)\\s*\\d{4}\\s*年(?:底|末)?',
    '(?:元旦|春节|清明|五一|端午|七一|八一|中秋|国庆)(?:节)?(?:之前|以前|前)',
  ].join('|'),
  'g',
);

const RECURRENCE: [RegExp, string][] = [
  [/^每半个?月/, 'semimonthly'],
  [/^每半年/, 'semiannual'],
  [/^每个?月/, 'monthly'],
  [/^每个?季/, 'quarterly'],
  [/^每一?年/, 'yearly'],
  [/^每(周|星期)/, 'weekly'],
  [/^每(天|日)/, 'daily'],
  [/^每旬/, 'dekadal'],
];

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function ymd(y: number, m: number, d: number): string {
  const t = new Date(Date.UTC(y, m - 1, d));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function parseDocDate(date: string | undefined): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  if (m) return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const now = new Date();
  return { y: now.getFullYear(), m: now.getMonth() + 1, d: now.getDate() };
}

function yearOf(expr: string, base: number): number {
  if (expr.includes('后年')) return base + 2;
  if (expr.includes('明年')) return base + 1;
  const explicit = /(\d{4})\s*年/.exec(expr);
  if (explicit) return Number(explicit[1]);
  const cn = /([〇零一二三四五六七八九]{4})年/.exec(expr);
  if (cn?.[1]) {
    const digits = [...cn[1]].map((c) => cnNumber(c === '〇' ? '零' : c) ?? 0).join('');
    return Number(digits);
  }
  return base;
}

/** Resolve a deadline expression (Simplified) against the document date. */
export function resolveDeadline(
  expr: string,
  docDate?: string,
): { date: string | null; recurrence: string | null } {
  const e = expr.replace(/\s+/g, '').replace(/^力争/, '');
  for (const [re, rec] of RECURRENCE) if (re.test(e)) return { date: null, recurrence: rec };
  const base = parseDocDate(docDate);
  const holiday = /^(元旦|五一|七一|八一|国庆)/.exec(e);
  if (holiday) {
    const md: Record<string, [number, number]> = {
      元旦: [1, 1],
      五一: [5, 1],
      七一: [7, 1],
      八一: [8, 1],
      国庆: [10, 1],
    };
    const [m, d] = md[holiday[1] as string] as [number, number];
    // the next such day on or after the document date
    const yy = base.m > m || (base.m === m && base.d > d) ? base.y + 1 : base.y;
    return { date: ymd(yy, m, d), recurrence: null };
  }
  if (/^(春节|清明|端午|中秋)/.test(e)) return { date: null, recurrence: null };
  const rel = /^(本|下)?个?月(底|内|末)/.exec(e);
  if (rel) {
    const t = new Date(Date.UTC(base.y, base.m - 1 + (rel[1] === '下' ? 1 : 0), 1));
    const y = t.getUTCFullYear();
    const m = t.getUTCMonth() + 1;
    return { date: ymd(y, m, lastDay(y, m)), recurrence: null };
  }
  const y = yearOf(e, base.y);
  const month = new RegExp(
    `(${NUM})月(?:份)?(?:(${NUM})[日号]|([上中下])旬|(底|末|初|中))?(之前|以前|前|内)?`,
  ).exec(e);
  if (month?.[1]) {
    const mo = cnNumber(month[1]);
    if (mo === null || mo < 1 || mo > 12) return { date: null, recurrence: null };
    const before = month[5] === '前' || month[5] === '之前' || month[5] === '以前';
    // 6月30日前: by that day
    if (month[2]) return { date: ymd(y, mo, cnNumber(month[2]) ?? 1), recurrence: null };
    if (month[3]) {
      const d = month[3] === '上' ? 10 : month[3] === '中' ? 20 : lastDay(y, mo);
      return { date: ymd(y, mo, d), recurrence: null };
    }
    if (month[4] === '初') return { date: ymd(y, mo, 10), recurrence: null };
    if (month[4] === '中') return { date: ymd(y, mo, 15), recurrence: null };
    // 6月前: before June starts; 6月底前 / 6月份 / 6月内: end of June
    if (before && !month[4]) return { date: ymd(y, mo, 0), recurrence: null };
    return { date: ymd(y, mo, lastDay(y, mo)), recurrence: null };
  }
  const dur = new RegExp(`^(${NUM})个?(年|月|季度|周|星期|天|日|工作日)`).exec(e);
  if (dur?.[1] && dur[2]) {
    const n = cnNumber(dur[1]) ?? 0;
    const t = new Date(Date.UTC(base.y, base.m - 1, base.d));
    const unit = dur[2];
    if (unit === '年') t.setUTCFullYear(t.getUTCFullYear() + n);
    else if (unit === '月') t.setUTCMonth(t.getUTCMonth() + n);
    else if (unit === '季度') t.setUTCMonth(t.getUTCMonth() + 3 * n);
    else if (unit === '周' || unit === '星期') t.setUTCDate(t.getUTCDate() + 7 * n);
    else t.setUTCDate(t.getUTCDate() + n);
    return { date: ymd(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()), recurrence: null };
  }
  const q = /([一二三四1-4])季度/.exec(e);
  if (q?.[1]) {
    const n = cnNumber(q[1]) ?? 4;
    return { date: ymd(y, n * 3, lastDay(y, n * 3)), recurrence: null };
  }
  if (e.includes('上半年') || e.includes('年中')) return { date: ymd(y, 6, 30), recurrence: null };
  return { date: ymd(y, 12, 31), recurrence: null };
}

/** All deadline expressions in s[from, to), in order. */
export function findDeadlines(s: string, from: number, to: number, docDate?: string): DeadlineHit[] {
  const out: DeadlineHit[] = [];
  const seg = s.slice(from, to);
  DEADLINE_RE.lastIndex = 0;
  for (let m = DEADLINE_RE.exec(seg); m; m = DEADLINE_RE.exec(seg)) {
    const text = m[0];
    if (text.length === 0) {
      DEADLINE_RE.lastIndex++;
      continue;
    }
    // a bare 内 / 底 matched alone is no deadline
    if (/^(内|底|底前)$/.test(text)) continue;
    // 每天4500吨 is a rate, not a recurrence
    if (text.startsWith('每') && /^[\d一二两三四五六七八九十几数]/.test(seg.slice(m.index + text.length)))
      continue;
    // 年内 inside 全年内 / 本年内 is fine; skip 今年 used as a topic (今年是 …)
    const after = seg.slice(m.index + text.length, m.index + text.length + 2);
    if (/^(今年|明年)$/.test(text) && /^(是|的|以来|初|春|夏)/.test(after)) continue;
    const start = from + m.index;
    out.push({ text, start, end: start + text.length, ...resolveDeadline(text, docDate) });
  }
  return out;
}
