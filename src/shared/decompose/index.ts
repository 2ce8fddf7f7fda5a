import { findAssignments, type RawTask, startsWithListMark } from './assignments';
import { type DeadlineHit, findDeadlines } from './deadlines';
import { toSimplified } from './normalize';
import { findHeadings } from './outline';
import { type Sentence, segment } from './segment';
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

const COMPLETION = /完成|建成|到位|投用|投入使用|完工|竣工|结束|实现|达到|见效/;

/** Deadline of a task: its own span, then a closing sentence, then a list head ending in a colon. */
function attachDeadline(
  s: string,
  t: RawTask,
  sentences: Sentence[],
  taskSentences: Set<number>,
  date: string | undefined,
): DeadlineHit | null {
  const own = findDeadlines(s, t.start, t.end, date)[0];
  if (own) return own;
  const para = sentences[t.sentence]?.para;
  // forward: 确保在三月下旬完成任务 / 六月底前要全面完成 …
  for (let i = t.sentence + 1; i < sentences.length; i++) {
    const sent = sentences[i] as Sentence;
    if (sent.para !== para) break;
    if (taskSentences.has(i) || startsWithListMark(s, sent) || sent.start < t.end) continue;
    const text = s.slice(sent.start, sent.end);
    if (!COMPLETION.test(text)) continue;
    const hit = findDeadlines(s, sent.start, sent.end, date)[0];
    if (hit) return hit;
  }
  // backward: a list head such as 年内重点抓好五项示范工程:
  let paraStart = t.start;
  for (let i = t.sentence; i >= 0 && sentences[i]?.para === para; i--) paraStart = (sentences[i] as Sentence).start;
  const colon = Math.max(s.lastIndexOf(':', t.start), s.lastIndexOf('：', t.start));
  if (colon >= paraStart) {
    let from = colon;
    while (from > paraStart && !/[。!?;\n]/.test(s[from - 1] as string)) from--;
    const hits = findDeadlines(s, from, colon, date);
    if (hits.length > 0) return hits[0] as DeadlineHit;
  }
  return null;
}

function names(original: string, items: UnitItem[]): string[] {
  const out: string[] = [];
  for (const it of items) {
    const name = original.slice(it.start, it.end);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Decompose a speech or plan into its outline and its tasks. Pure; no I/O. */
export function decompose(text: string, opts: DecomposeOptions = {}): DecomposeResult {
  if (!text) return { headings: [], tasks: [] };
  const s = toSimplified(text);
  const headings = findHeadings(s, text);
  const sentences = segment(s);
  const raw = findAssignments(s, sentences);
  const taskSentences = new Set(raw.map((t) => t.sentence));
  const tasks: DecomposeTask[] = raw.map((t) => {
    const hit = attachDeadline(s, t, sentences, taskSentences, opts.date);
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
    };
  });
  return { headings, tasks };
}
