import { findAssignments, type RawTask, startsWithListMark } from './assignments';
import { type CalendarContext, defaultCalendar } from './calendar';

export { DEFAULT_SEASONS, type SeasonEntry } from './calendar';
export { RULES } from './confidence';
export { statedDate } from './docdate';

import { rate } from './confidence';
import { type DeadlineHit, findDeadlines } from './deadlines';
import { statedDate } from './docdate';
import { toSimplified } from './normalize';
import { findHeadings } from './outline';
import { type Sentence, type Span, segment } from './segment';
import { readTables, type TableReading } from './tables';
import { findTargets } from './targets';
import type { DecomposeDeadline, DecomposeOptions, DecomposeResult, DecomposeTask } from './types';
import type { UnitItem } from './units';

export { resolveDeadline } from './deadlines';
export { toSimplified } from './normalize';
export type {
  DecomposeDeadline,
  DecomposeHeading,
  DecomposeOptions,
  DecomposeResult,
  DecomposeTask,
} from './types';

const MAX_HEAD = 200;
const MAX_FORWARD = 40;

interface Context {
  colons: number[];
  paraStart: number[];
}
const COMPLETION = /完成|建成|到位|投用|投入使用|完工|竣工|结束|实现|达到|见效/;

/** Deadline of a task: its own span, then a closing sentence, then a list head ending in a colon. */
function attachDeadline(
  s: string,
  t: RawTask,
  sentences: Sentence[],
  taskSentences: Set<number>,
  ctx: Context,
  date: string | undefined,
  cal: CalendarContext,
): DeadlineHit | null {
  // first in the task from the unit's clause on, then the first before it (sentence head, referenced work)
  const own =
    findDeadlines(s, t.anchor, t.end, date, cal)[0] ?? findDeadlines(s, t.start, t.anchor, date, cal)[0];
  if (own) return own;
  const para = sentences[t.sentence]?.para;
  // forward: 确保在三月下旬完成任务 / 六月底前要全面完成 …
  for (let i = t.sentence + 1; i < Math.min(sentences.length, t.sentence + MAX_FORWARD); i++) {
    const sent = sentences[i] as Sentence;
    if (sent.para !== para) break;
    if (taskSentences.has(i) || startsWithListMark(s, sent) || sent.start < t.end) continue;
    const text = s.slice(sent.start, sent.end);
    if (!COMPLETION.test(text)) continue;
    const hit = findDeadlines(s, sent.start, sent.end, date, cal)[0];
    if (hit) return hit;
  }
  // backward: a list head such as 年内重点抓好五项示范工程: in the same paragraph
  const k = lowerBound(ctx.colons, t.start) - 1;
  const colon = k >= 0 ? (ctx.colons[k] as number) : -1;
  if (colon < (ctx.paraStart[t.sentence] ?? 0)) return null;
  let from = colon;
  while (from > 0 && colon - from < MAX_HEAD && !/[。!?;\n]/.test(s[from - 1] as string)) from--;
  return findDeadlines(s, from, colon, date, cal)[0] ?? null;
}

function lowerBound(xs: number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Positions of colons and the start of each sentence's paragraph. */
function deadlineContext(s: string, sentences: Sentence[]): Context {
  const colons: number[] = [];
  for (let i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) colons.push(i);
  const paraStart: number[] = [];
  sentences.forEach((sent, i) => {
    const prev = sentences[i - 1];
    paraStart.push(prev && prev.para === sent.para ? (paraStart[i - 1] as number) : sent.start);
  });
  return { colons, paraStart };
}

function names(original: string, items: UnitItem[]): string[] {
  const out: string[] = [];
  for (const it of items) {
    const name = original.slice(it.start, it.end);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Seniority of a unit by its name: 0 national, 1 province, 2 city, 3 county, 4 township; null unknown. */
function levelOf(name: string): number | null {
  if (/^(?:国家|国务院|中央|全国)|^[^省市县区]{2,8}部$/.test(name)) return 0;
  if (/^省/.test(name)) return 1;
  if (/^(?:市|州|盟)/.test(name)) return 2;
  if (/^(?:县|区|旗)/.test(name)) return 3;
  if (/^(?:乡|镇|街道)/.test(name)) return 4;
  return null;
}

/**
 * What a more senior body "will" do (下半年，省财政厅将出台 … in a city's speech) is news,
 * not an assignment: the document's own level is the most frequent level of its leads.
 */
function dropSeniorPlans(tasks: RawTask[]): RawTask[] {
  const counts = new Map<number, number>();
  for (const t of tasks)
    for (const u of t.lead) {
      const l = levelOf(u.name);
      if (l !== null) counts.set(l, (counts.get(l) ?? 0) + 1);
    }
  let docLevel: number | null = null;
  let best = 0;
  for (const [l, n] of counts)
    if (n > best || (n === best && docLevel !== null && l > docLevel)) [docLevel, best] = [l, n];
  if (docLevel === null) return tasks;
  const level = docLevel;
  return tasks.filter((t) => !t.future || !t.lead.every((u) => (levelOf(u.name) ?? level) < level));
}

/** Decompose a speech or plan into its outline and its tasks. Pure; no I/O. */
export function decompose(text: string, opts: DecomposeOptions = {}): DecomposeResult {
  if (!text) return { headings: [], tasks: [] };
  const s = toSimplified(text);
  const stated = statedDate(s);
  const date = stated?.source === 'document' ? stated.date : (opts.date ?? stated?.date);
  const cal: CalendarContext = opts.seasons ? { ...defaultCalendar, seasons: opts.seasons } : defaultCalendar;
  // task tables are read by their columns; the prose rules see blanks in their place
  const tables = readTables(text, s, date, cal);
  const prose = tables.spans.length ? maskSpans(s, tables.spans) : s;
  return merge(decomposeProse(text, prose, date, cal), tables, date);
}

function maskSpans(s: string, spans: Span[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const sp of spans) {
    parts.push(s.slice(at, sp.start), s.slice(sp.start, sp.end).replace(/[^\n]/g, ' '));
    at = sp.end;
  }
  parts.push(s.slice(at));
  return parts.join('');
}

function merge(r: DecomposeResult, t: TableReading, date: string | undefined): DecomposeResult {
  const out: DecomposeResult = { headings: r.headings, tasks: r.tasks };
  if (t.tasks.length) out.tasks = [...r.tasks, ...t.tasks].sort((a, b) => a.start - b.start);
  if (t.notices.length) out.notices = t.notices;
  if (date) out.date = date;
  return out;
}

function decomposeProse(
  text: string,
  s: string,
  date: string | undefined,
  cal: CalendarContext,
): DecomposeResult {
  const headings = findHeadings(s, text);
  const sentences = segment(s);
  const raw = dropSeniorPlans(findAssignments(s, sentences));
  const taskSentences = new Set(raw.map((t) => t.sentence));
  const ctx = deadlineContext(s, sentences);
  const tasks: DecomposeTask[] = raw.map((t) => {
    const hit = attachDeadline(s, t, sentences, taskSentences, ctx, date, cal);
    const deadline: DecomposeDeadline | null = hit
      ? { text: text.slice(hit.start, hit.end), date: hit.date, recurrence: hit.recurrence }
      : null;
    const lead = names(text, t.lead);
    const co = names(text, t.co).filter((n) => !lead.includes(n));
    return {
      text: text.slice(t.start, t.end),
      start: t.start,
      end: t.end,
      lead,
      co,
      deadline,
      targets: findTargets(s, t.start, t.end).map((h) => text.slice(h.start, h.end)),
      ...rate(t.rule, t.lead, hit, t.end - t.start),
    };
  });
  return { headings, tasks };
}
