import {
  addDays,
  addMonths,
  type CalendarContext,
  defaultCalendar,
  FESTIVAL_WORDS,
  holidayEnd,
  lastDay,
  nextFestival,
  nextSeason,
  parseYmd,
  seasonWords,
  type Ymd,
  ymd,
  ymdOf,
} from './calendar';
import { cnNumber } from './markers';
import type { DecomposeDeadline } from './types';

export interface DeadlineHit extends DecomposeDeadline {
  start: number;
  end: number;
}

const NUM = '(?:\\d{1,2}|[一二两三四五六七八九十]{1,3})';
const YEAR = '(?:今年|明年|后年|\\d{4}\\s*年|20xx\\s*年|[〇零一二三四五六七八九]{4}年)';
const BEFORE = '(?:之前|以前|前)';
const WEEKDAY = '[一二三四五六日天]';

/** Alternatives in priority order (at one position the first that matches wins). */
function alternatives(cal: CalendarContext): string[] {
  const seasons = seasonWords(cal).join('|');
  return [
    // recurrences with a day: 每月10日前, 每周三, 每年11月底前
    `每个?月\\s*${NUM}\\s*[日号]${BEFORE}?`,
    `每(?:周|星期)${WEEKDAY}`,
    `每年\\s*${NUM}\\s*月份?(?:${NUM}\\s*[日号]|[上中下]旬|底|末)?${BEFORE}?`,
    '每(?:半个?月|半年|个?月|个?季度?|一?年|周|星期|天|日|旬)',
    // year ranges: 2026—2028年
    `\\d{4}\\s*年?\\s*(?:—|–|-|~|～|至|到)+\\s*\\d{4}\\s*年(?:底|末)?${BEFORE}?`,
    // month ranges: 6至8月, 7—9月, 4月至5月
    `${YEAR}?\\s*${NUM}\\s*月?份?\\s*(?:至|到|—|–|-|~|～)\\s*${NUM}\\s*月份?(?:底|末)?${BEFORE}?`,
    // this / next month with a day: 下月20日前
    `(?:本|下|次)个?月\\s*${NUM}\\s*[日号]${BEFORE}?`,
    // quarters: 今年第二季度, 三季度末前, 明年一季度
    `(?:${YEAR}|本年度?)?\\s*第?[一二三四1-4]\\s*季度(?:末|底)?${BEFORE}?`,
    // month expressions: 六月底前, 10月底前, 明年6月份, 三月下旬, 10月1日前
    `(?:力争)?${YEAR}?\\s*${NUM}\\s*月(?:份)?(?:${NUM}\\s*[日号]|[上中下]旬|底|末|初|中)?(?:之前|以前|前|内)?`,
    // durations, with halves: 3年内, 半年内, 一年半内, 两个半月内, 20个工作日内
    `(?:力争)?(?:${NUM}\\s*个?\\s*半?|半)\\s*个?\\s*(?:年|月|季度|周|星期|天|日|工作日)\\s*半?(?:之内|以内|内|之后|以后|后)`,
    // years and halves: 年内, 年底前, 今年, 明年, 上半年
    `(?:力争)?(?:${YEAR}|本年度)?(?:年内|年底前|年底|年末|内|底前|底|上半年|下半年|年中)`,
    '(?:力争)?(?:今年|明年|本年度)(?:上半年|下半年)?',
    '(?:本|下)(?:个)?月(?:底前|底|内|末)',
    '月底前',
    '(?:到|至)\\s*\\d{4}\\s*年(?:底|末)?',
    `(?:${FESTIVAL_WORDS.join('|')})(?:节)?(?:假期|期间|${BEFORE})`,
    `(?:${seasons})(?:开学)?(?:期间|${BEFORE})`,
  ];
}

const compiled = new WeakMap<CalendarContext, RegExp>();
function deadlineRe(cal: CalendarContext): RegExp {
  let re = compiled.get(cal);
  if (!re) {
    re = new RegExp(alternatives(cal).join('|'), 'g');
    compiled.set(cal, re);
  }
  return re;
}

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

const WEEKDAY_NUM: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 0, 天: 0 };

function yearOf(expr: string, base: number): { year: number; explicit: boolean } {
  if (expr.includes('后年')) return { year: base + 2, explicit: true };
  if (expr.includes('明年')) return { year: base + 1, explicit: true };
  if (expr.includes('今年') || expr.includes('本年')) return { year: base, explicit: true };
  const explicit = /(\d{4})\s*年/.exec(expr);
  if (explicit) return { year: Number(explicit[1]), explicit: true };
  const cn = /([〇零一二三四五六七八九]{4})年/.exec(expr);
  if (cn?.[1]) {
    const digits = [...cn[1]].map((c) => cnNumber(c === '〇' ? '零' : c) ?? 0).join('');
    return { year: Number(digits), explicit: true };
  }
  return { year: base, explicit: false };
}

/** A month date without a year that already passed on the document's date means next year. */
function rolled(date: string, explicit: boolean, base: Ymd): string {
  if (explicit || date >= ymdOf(base)) return date;
  return `${Number(date.slice(0, 4)) + 1}${date.slice(4)}`;
}

/** Next occurrence of a recurrence with a day, strictly after the document date. */
function recurrenceDate(e: string, rec: string, base: Ymd): string | null {
  const today = ymdOf(base);
  if (rec === 'monthly') {
    const m = new RegExp(`^每个?月(${NUM})[日号]`).exec(e);
    const day = m?.[1] ? cnNumber(m[1]) : null;
    if (!day || day > 31) return null;
    let cur = { y: base.y, m: base.m, d: 1 };
    for (let i = 0; i < 3; i++) {
      const d = ymd(cur.y, cur.m, Math.min(day, lastDay(cur.y, cur.m)));
      if (d > today) return d;
      cur = addMonths(cur, 1);
    }
    return null;
  }
  if (rec === 'weekly') {
    const w = WEEKDAY_NUM[e.replace(/^每(?:周|星期)/, '')[0] ?? ''];
    if (w === undefined) return null;
    const now = new Date(Date.UTC(base.y, base.m - 1, base.d)).getUTCDay();
    return ymdOf(addDays(base, ((w - now + 6) % 7) + 1));
  }
  if (rec === 'yearly' && /月/.test(e)) {
    const r = resolveDeadline(e.replace(/^每年/, ''), today);
    return r.date && r.date > today ? r.date : null;
  }
  return null;
}

function monthDate(
  mo: number,
  y: number,
  day: string | undefined,
  xun: string | undefined,
  part: string | undefined,
  before: boolean,
): string | null {
  if (mo < 1 || mo > 12) return null;
  if (day) {
    const d = cnNumber(day);
    return d && d <= lastDay(y, mo) ? ymd(y, mo, d) : null;
  }
  if (xun) return ymd(y, mo, xun === '上' ? 10 : xun === '中' ? 20 : lastDay(y, mo));
  if (part === '初') return ymd(y, mo, 10);
  if (part === '中') return ymd(y, mo, 15);
  // 6月前: before June starts; 6月底前 / 6月份 / 6月内: end of June
  if (before && !part) return ymd(y, mo, 0);
  return ymd(y, mo, lastDay(y, mo));
}

/** Resolve a deadline expression (Simplified) against the document date. */
export function resolveDeadline(
  expr: string,
  docDate?: string,
  cal: CalendarContext = defaultCalendar,
): { date: string | null; recurrence: string | null } {
  const e = expr.replace(/\s+/g, '').replace(/^力争/, '');
  const base = parseYmd(docDate);
  const none = { date: null, recurrence: null };
  for (const [re, rec] of RECURRENCE)
    if (re.test(e)) return { date: recurrenceDate(e, rec, base), recurrence: rec };
  const fest = new RegExp(`^(${FESTIVAL_WORDS.join('|')})`).exec(e);
  if (fest?.[1]) {
    const d = nextFestival(fest[1], base);
    if (!d) return none;
    return { date: /期间|假期/.test(e) ? holidayEnd(d, cal) : d, recurrence: null };
  }
  const season = seasonWords(cal).find((w) => e.startsWith(w));
  if (season) {
    const d = nextSeason(season, base, cal);
    if (!d) return none;
    return { date: /前$/.test(e) ? ymdOf(addDays(parseYmd(d), -1)) : d, recurrence: null };
  }
  const { year: y, explicit } = yearOf(e, base.y);
  const years = /(\d{4})年?(?:—|–|-|~|～|至|到)+(\d{4})年/.exec(e);
  if (years) return { date: ymd(Number(years[2]), 12, 31), recurrence: null };
  const range = new RegExp(`(${NUM})月?份?(?:至|到|—|–|-|~|～)(${NUM})月`).exec(e);
  if (range?.[2]) {
    const mo = cnNumber(range[2]);
    if (mo === null || mo < 1 || mo > 12) return none;
    return { date: rolled(ymd(y, mo, lastDay(y, mo)), explicit, base), recurrence: null };
  }
  const relDay = new RegExp(`^(本|下|次)个?月(${NUM})[日号]`).exec(e);
  if (relDay?.[2]) {
    const t = addMonths({ y: base.y, m: base.m, d: 1 }, relDay[1] === '本' ? 0 : 1);
    const d = cnNumber(relDay[2]);
    if (!d || d > lastDay(t.y, t.m)) return none;
    return { date: ymd(t.y, t.m, d), recurrence: null };
  }
  const rel = /^(本|下)?个?月(底|内|末)/.exec(e);
  if (rel) {
    const t = addMonths({ y: base.y, m: base.m, d: 1 }, rel[1] === '下' ? 1 : 0);
    return { date: ymd(t.y, t.m, lastDay(t.y, t.m)), recurrence: null };
  }
  const q = /第?([一二三四1-4])季度/.exec(e);
  if (q?.[1]) {
    const n = cnNumber(q[1]) ?? 4;
    return { date: rolled(ymd(y, n * 3, lastDay(y, n * 3)), explicit, base), recurrence: null };
  }
  const month = new RegExp(
    `(${NUM})月(?:份)?(?:(${NUM})[日号]|([上中下])旬|(底|末|初|中))?(之前|以前|前|内)?`,
  ).exec(e);
  if (month?.[1] && !/^(?:\d|[一二两三四五六七八九十])+个/.test(e)) {
    const mo = cnNumber(month[1]);
    const before = month[5] === '前' || month[5] === '之前' || month[5] === '以前';
    const d = mo === null ? null : monthDate(mo, y, month[2], month[3], month[4], before);
    return { date: d ? rolled(d, explicit, base) : null, recurrence: null };
  }
  const dur = new RegExp(`^(?:(${NUM})个?(半)?|(半))个?(年|月|季度|周|星期|天|日|工作日)(半)?`).exec(e);
  if (dur?.[4]) {
    const n = dur[1] ? (cnNumber(dur[1]) ?? 0) : 0;
    const half = Boolean(dur[2] || dur[3] || dur[5]);
    const unit = dur[4];
    if (unit === '工作日') return { date: cal.work.addWorkdays(ymdOf(base), n), recurrence: null };
    let t: Ymd = base;
    if (unit === '年') t = addMonths(base, 12 * n + (half ? 6 : 0));
    else if (unit === '季度') t = addMonths(base, 3 * n);
    else if (unit === '月') t = addDays(addMonths(base, n), half ? 15 : 0);
    else if (unit === '周' || unit === '星期') t = addDays(base, 7 * n);
    else t = addDays(base, n);
    return { date: ymdOf(t), recurrence: null };
  }
  if (e.includes('上半年') || e.includes('年中')) return { date: ymd(y, 6, 30), recurrence: null };
  return { date: ymd(y, 12, 31), recurrence: null };
}

/** Words before a time that make it a start or a background (从今年起, 针对上半年 …). */
const BACKGROUND_BEFORE = /(?:从|自|自从|针对|结合|对照|根据|回顾|总结|截至|截止|去年|上年|上一年|前年)\s*$/;
const BACKGROUND_AFTER = /^\s*(?:起|开始|以来|来|至今|伊始|的(?:工作|情况|问题|成绩|经验))/;

/** All deadline expressions in s[from, to), in order. */
export function findDeadlines(
  s: string,
  from: number,
  to: number,
  docDate?: string,
  cal: CalendarContext = defaultCalendar,
): DeadlineHit[] {
  const out: DeadlineHit[] = [];
  const seg = s.slice(from, to);
  const re = deadlineRe(cal);
  re.lastIndex = 0;
  for (let m = re.exec(seg); m; m = re.exec(seg)) {
    const text = m[0];
    if (text.length === 0) {
      re.lastIndex++;
      continue;
    }
    // a bare 内 / 底 matched alone is no deadline
    if (/^(内|底|底前)$/.test(text)) continue;
    // 每天4500吨 is a rate, not a recurrence
    if (
      /^每[^\d一二两三四五六七八九十]*$/.test(text) &&
      /^[\d一二两三四五六七八九十几数]/.test(seg.slice(m.index + text.length))
    )
      continue;
    const after = seg.slice(m.index + text.length, m.index + text.length + 6);
    // skip 今年 used as a topic (今年是 …)
    if (/^(今年|明年)$/.test(text) && /^(是|的|以来|初|春|夏)/.test(after)) continue;
    // a start or a background time is no deadline
    if (
      BACKGROUND_AFTER.test(after) ||
      BACKGROUND_BEFORE.test(s.slice(Math.max(0, from + m.index - 4), from + m.index))
    )
      continue;
    const start = from + m.index;
    out.push({ text, start, end: start + text.length, ...resolveDeadline(text, docDate, cal) });
  }
  return out;
}
