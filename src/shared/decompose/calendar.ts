/**
 * Calendar facts the deadline resolver needs: civil date arithmetic, the platform's
 * work calendar, lunar festivals (through chinese-days) and the configurable table of
 * school terms and seasons.
 */
import chineseDays from 'chinese-days';
import { type WorkCalendar, workCalendar } from '../calendar/workdays';

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Normalised YYYY-MM-DD (day 0 = last day of the previous month, month 13 = next January). */
export function ymd(y: number, m: number, d: number): string {
  const t = new Date(Date.UTC(y, m - 1, d));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

export function lastDay(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function parseYmd(date: string | undefined): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  if (m) return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  const now = new Date();
  return { y: now.getFullYear(), m: now.getMonth() + 1, d: now.getDate() };
}

export function ymdOf(b: Ymd): string {
  return ymd(b.y, b.m, b.d);
}

/** Adds months, clamping the day to the target month's length (3-31 + 1 month → 4-30). */
export function addMonths(b: Ymd, months: number): Ymd {
  const t = new Date(Date.UTC(b.y, b.m - 1 + months, 1));
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + 1;
  return { y, m, d: Math.min(b.d, lastDay(y, m)) };
}

export function addDays(b: Ymd, days: number): Ymd {
  const t = new Date(Date.UTC(b.y, b.m - 1, b.d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

/** A dated event of the school or farming year: the date it starts (month, day). */
export interface SeasonEntry {
  /** Words naming it (Simplified), e.g. 秋季学期开学. */
  words: string[];
  month: number;
  day: number;
}

/** Default table; deployments may pass their own (a northern city heats from 11-01 …). */
export const DEFAULT_SEASONS: SeasonEntry[] = [
  { words: ['秋季学期开学', '秋季开学', '秋季学期'], month: 9, day: 1 },
  { words: ['春季学期开学', '春季开学', '春季学期'], month: 3, day: 1 },
  { words: ['暑假', '暑期'], month: 7, day: 15 },
  { words: ['寒假'], month: 1, day: 20 },
  { words: ['主汛期', '汛期', '汛前', '入汛'], month: 6, day: 1 },
  { words: ['供暖季', '采暖季', '供暖期', '采暖期'], month: 11, day: 15 },
  { words: ['春耕'], month: 4, day: 1 },
  { words: ['三夏', '夏收', '夏粮收购'], month: 6, day: 1 },
  { words: ['三秋', '秋收', '秋粮收购'], month: 10, day: 1 },
  { words: ['高考'], month: 6, day: 7 },
  { words: ['中考'], month: 6, day: 20 },
];

export interface CalendarContext {
  work: WorkCalendar;
  seasons: SeasonEntry[];
}

export const defaultCalendar: CalendarContext = { work: workCalendar, seasons: DEFAULT_SEASONS };

const LUNAR: Record<string, [number, number]> = {
  春节: [1, 1],
  元宵: [1, 15],
  龙抬头: [2, 2],
  端午: [5, 5],
  七夕: [7, 7],
  中元: [7, 15],
  中秋: [8, 15],
  重阳: [9, 9],
  腊八: [12, 8],
  小年: [12, 23],
  除夕: [12, 30],
};

const SOLAR: Record<string, [number, number]> = {
  元旦: [1, 1],
  五一: [5, 1],
  劳动节: [5, 1],
  七一: [7, 1],
  八一: [8, 1],
  国庆: [10, 1],
};

export const FESTIVAL_WORDS = [...Object.keys(LUNAR), ...Object.keys(SOLAR), '清明'];

/** Solar date of a festival in a given civil year, or null. */
function festivalIn(name: string, year: number): string | null {
  const solar = SOLAR[name];
  if (solar) return ymd(year, solar[0], solar[1]);
  if (name === '清明') {
    const hit = chineseDays.getSolarTerms(`${year}-04-01`, `${year}-04-10`).find((t) => t.name === '清明');
    return hit ? hit.date : ymd(year, 4, 5);
  }
  const lunar = LUNAR[name];
  if (!lunar) return null;
  try {
    // 除夕 is the last day of the twelfth month: the day before next year's 春节
    if (name === '除夕') {
      const next = chineseDays.getSolarDateFromLunar(`${year}-01-01`).date;
      return ymdOf(addDays(parseYmd(next), -1));
    }
    return chineseDays.getSolarDateFromLunar(`${year}-${pad(lunar[0])}-${pad(lunar[1])}`).date;
  } catch {
    return null;
  }
}

/** The next occurrence of a festival on or after the document date. */
export function nextFestival(name: string, doc: Ymd): string | null {
  const today = ymdOf(doc);
  // a lunar year runs into the next civil year: 除夕 of lunar 2025 falls in 2026
  for (const y of [doc.y - 1, doc.y, doc.y + 1]) {
    const d = festivalIn(name, y);
    if (d && d >= today) return d;
  }
  return null;
}

/** Last day of the statutory holiday that contains `date` (端午期间 → the holiday's end). */
export function holidayEnd(date: string, cal: CalendarContext): string {
  let cur = parseYmd(date);
  for (let i = 0; i < 10; i++) {
    const next = addDays(cur, 1);
    if (cal.work.isWorkday(ymdOf(next))) break;
    cur = next;
  }
  return ymdOf(cur);
}

/** The next start of a season-table entry on or after the document date. */
export function nextSeason(word: string, doc: Ymd, cal: CalendarContext): string | null {
  const e = cal.seasons.find((s) => s.words.includes(word));
  if (!e) return null;
  const today = ymdOf(doc);
  const d = ymd(doc.y, e.month, e.day);
  return d >= today ? d : ymd(doc.y + 1, e.month, e.day);
}

export function seasonWords(cal: CalendarContext): string[] {
  return cal.seasons.flatMap((s) => s.words).sort((a, b) => b.length - a.length);
}
