import type { Sentence, Span } from './segment';
import { parseUnitList, type UnitItem, type UnitList } from './units';

/** A task found on the Simplified copy, before deadlines and targets are attached. */
export interface RawTask {
  start: number;
  end: number;
  sentence: number;
  lead: UnitItem[];
  co: UnitItem[];
}

type ClauseResult = { kind: 'lead'; lead: UnitItem[]; co: UnitItem[]; anaphoric: boolean } | { kind: 'co'; co: UnitItem[] };

// Discourse words, list markers and time words skipped at a clause start.
const PREFIX =
  /^(?:\s+|同时|此外|另外|其中|特别是|尤其是|首先|其次|再次|最后|然后|会后|今后|下一步|当前|目前|近期|对此|为此|因此|所以|并且|而且|还有|就是|象|像|比如|例如|如|并|另|今年|明年|年内|[一二三四五六七八九十]{1,2}(?:是|要)(?![求点])|[(（]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]|\d{1,2}\s*[、.](?!\d)|[一二三四五六七八九十]{1,2}、|第[一二三四五六七八九十]{1,2}[,、]?)/;

const ANAPHORA = /^(?:这项|此项|该项|上述|以上|这些)(?:工作|工程|整治|任务|措施)/;

/** 要 that is not part of 重要, 主要, 需要, 要求 … */
const NOT_BEFORE_YAO = new Set([...'重主需只必想纲首扼提概摘紧次显不切将']);
const NOT_AFTER_YAO = new Set([...'求点素件闻务害']);

function hasModal(rest: string): boolean {
  if (/^(?:也|都|还|一定|今年|明年|年内|随后|近期)*(?:将(?!来)|应(?![对用有急变])|每(?:年|月|季|半|周)|年内|今年)/.test(rest))
    return true;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] !== '要') continue;
    if (i > 0 && NOT_BEFORE_YAO.has(rest[i - 1] as string)) continue;
    if (NOT_AFTER_YAO.has(rest[i + 1] as string)) continue;
    return true;
  }
  return /必须|务必|须(?!知)|应当|应该|负责|牵头|主管|抓紧|尽快/.test(rest);
}

const ACTION = /^(?:今年|明年|年内)?(?:成立|建立|设立|组建|安排|制定|出台|实行|召开|下达|拨付|划拨)/;
const PAST = /了|已经|已|先后|曾|去年|近年|以来|过去/;
const NEXT_MODAL = /^(?:都|也|还|一定|必须|务必)?(?:要(?![求点素])|必须|将(?!来)|应当|务必)/;

function firstUnitListAfter(s: string, re: RegExp, from: number, to: number): { list: UnitList; at: number } | null {
  const seg = s.slice(from, to);
  const g = new RegExp(re.source, 'g');
  for (let m = g.exec(seg); m; m = g.exec(seg)) {
    const at = from + m.index;
    const list = parseUnitList(s, at + m[0].length, to);
    if (list && list.units.length > 0) return { list, at };
  }
  return null;
}

/** Co-units named in the predicate: 与环保部门一起, 会同 X. */
function coInPredicate(s: string, from: number, to: number): UnitItem[] {
  const hit = firstUnitListAfter(s, /(?:与|会同|协同|联合|同)/, from, to);
  return hit ? hit.list.units : [];
}

function analyzeClause(s: string, c: Span, next: Span | undefined, hasPrev: boolean): ClauseResult | null {
  let pos = c.start;
  for (let guard = 0; guard < 4; guard++) {
    const m = PREFIX.exec(s.slice(pos, Math.min(c.end, pos + 8)));
    if (!m || m[0].length === 0) break;
    pos += m[0].length;
  }
  const head = s.slice(pos, Math.min(c.end, pos + 8));
  const anaphoric = ANAPHORA.test(head);
  // 由 X 负责 / 希望 X … / 委托 X …
  const intro = /^(?:由(?![于此衷])|希望|要求|请|责成|委托)/.exec(head);
  if (intro) {
    const list = parseUnitList(s, pos + intro[0].length, c.end);
    if (list && list.units.length > 0)
      return { kind: 'lead', lead: list.units, co: coInPredicate(s, list.end, c.end), anaphoric };
  }
  const list = parseUnitList(s, pos, c.end);
  if (list && list.units.length > 0) {
    const rest = s.slice(list.end, c.end);
    if (hasPrev && /^(?:也|都|还|要|将|主动|积极|密切|负责)*(?:共同完成|共同负责|配合|协助|参与|协办|共同)/.test(rest)) {
      const tail = firstUnitListAfter(s, /(?:配合|协助)/, list.end, c.end);
      if (!tail) return { kind: 'co', co: list.units };
    }
    if (hasModal(rest)) {
      // X 要配合 Y: Y leads, X assists
      const swap = /^(?:也|都|还|要|将|应|主动|积极|密切|全力|认真)*(?:配合|协助)/.exec(rest);
      if (swap) {
        const other = parseUnitList(s, list.end + swap[0].length, c.end);
        if (other && other.units.length > 0) return { kind: 'lead', lead: other.units, co: list.units, anaphoric };
      }
      return { kind: 'lead', lead: list.units, co: coInPredicate(s, list.end, c.end), anaphoric };
    }
    if (ACTION.test(rest) && !PAST.test(s.slice(c.start, c.end))) {
      return { kind: 'lead', lead: list.units, co: [], anaphoric };
    }
    if (next && NEXT_MODAL.test(s.slice(next.start, next.start + 6))) {
      return { kind: 'lead', lead: list.units, co: [], anaphoric };
    }
  }
  // passive or delegated inside the clause: … 由规划局负责清除, 今年将委托 X 培训
  const mid = firstUnitListAfter(s, /(?<![是])(?:由(?![于此衷])|委托)/, pos, c.end);
  if (mid) return { kind: 'lead', lead: mid.list.units, co: coInPredicate(s, mid.list.end, c.end), anaphoric };
  return null;
}

const LIST_MARK =
  /^(?:[一二三四五六七八九十]{1,2}(?:是|要)(?![求点])|[(（]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]|\d{1,2}\s*[、.](?!\d)|[一二三四五六七八九十]{1,2}、|第[一二三四五六七八九十]{1,2}[,、]?)\s*/;

/** Start of a sentence after its list marker (一是, (一), 1、). */
export function sentenceBody(s: string, sent: Span): number {
  const m = LIST_MARK.exec(s.slice(sent.start, sent.start + 8));
  return m ? sent.start + m[0].length : sent.start;
}

export function startsWithListMark(s: string, sent: Span): boolean {
  return LIST_MARK.test(s.slice(sent.start, sent.start + 8));
}

/** Every assignment of work to a named unit, one task per lead clause. */
export function findAssignments(s: string, sentences: Sentence[]): RawTask[] {
  const tasks: RawTask[] = [];
  const bySentence = new Map<number, RawTask[]>();
  sentences.forEach((sent, si) => {
    const own: RawTask[] = [];
    let cur: RawTask | null = null;
    sent.clauses.forEach((c, ci) => {
      const r = analyzeClause(s, c, sent.clauses[ci + 1], cur !== null);
      if (!r) return;
      if (r.kind === 'co') {
        if (cur) cur.co.push(...r.co);
        return;
      }
      let start = cur ? c.start : sentenceBody(s, sent);
      if (cur) cur.end = (sent.clauses[ci - 1] as Span).end;
      const prev = sentences[si - 1];
      if (!cur && r.anaphoric && prev && prev.para === sent.para && !(bySentence.get(si - 1)?.length ?? 0)) {
        start = sentenceBody(s, prev);
      }
      cur = { start, end: sent.end, sentence: si, lead: r.lead, co: r.co };
      own.push(cur);
    });
    if (own.length > 0) {
      bySentence.set(si, own);
      tasks.push(...own);
    }
  });
  // an elided-subject follow-up sentence (要加快 …) continues the last task of a sentence
  for (const [si, own] of bySentence) {
    const next = sentences[si + 1];
    const last = own.at(-1) as RawTask;
    if (!next || next.para !== sentences[si]?.para || bySentence.has(si + 1)) continue;
    if (/^(?:同时|并|还|也)?要(?![求点素])/.test(s.slice(next.start, next.start + 4))) last.end = next.end;
  }
  return tasks;
}
