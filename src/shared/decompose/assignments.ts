import type { Sentence, Span } from './segment';
import { isLevelOrg, parseUnitList, type UnitItem, type UnitList } from './units';

/** A task found on the Simplified copy, before deadlines and targets are attached. */
export interface RawTask {
  start: number;
  end: number;
  /** Start of the clause naming the unit. */
  anchor: number;
  sentence: number;
  lead: UnitItem[];
  co: UnitItem[];
  /** The rule that found the task (see RULES in confidence.ts). */
  rule: Rule;
  /** The unit only "will" act (将): a higher level's plan when the document is a lower level's. */
  future: boolean;
}

export type Rule =
  | 'label'
  | 'modal'
  | 'swap'
  | 'responsibility'
  | 'plain-verb'
  | 'directive-object'
  | 'assist-object'
  | 'intro'
  | 'passive'
  | 'action'
  | 'subject-alone';

type ClauseResult =
  | { kind: 'lead'; lead: UnitItem[]; co: UnitItem[]; anaphoric: boolean; rule: Rule; future?: boolean }
  | { kind: 'co'; co: UnitItem[] }
  | { kind: 'stop' };

// Discourse words, list markers and time words skipped at a clause start.
const PREFIX =
  /^(?:\s+|[(（]|同时|此外|另外|其中|特别是|尤其是|首先|其次|再次|最后|然后|会后|今后|下一步|当前|目前|近期|对此|为此|因此|所以|并且|而且|还有|就是|象|像|比如|例如|如|并|另|今年|明年|年内|[一二三四五六七八九十]{1,2}(?:是|要)(?![求点])|[(（]\s*[一二三四五六七八九十\d]{1,2}\s*[)）]|\d{1,2}\s*[、.](?!\d)|[一二三四五六七八九十]{1,2}、|第[一二三四五六七八九十]{1,2}[,、]?)/;

const ANAPHORA = /^(?:这项|此项|该项|上述|以上|这些)(?:工作|工程|整治|任务|措施)/;

/** 要 that is not part of 重要, 主要, 需要, 要求 … */
const NOT_BEFORE_YAO = new Set([...'重主需只必想纲首扼提概摘紧次显不切将']);
const NOT_AFTER_YAO = new Set([...'求点素件闻务害']);

/** A modal or assignment verb after the subject, ignoring quotes and what follows 了. */
function hasModal(rest: string): boolean {
  if (
    /^(?:也|都|还|一定|今年|明年|年内|随后|近期)*(?:将(?!来)|应(?![对用有急变])|每(?:年|月|季|半|周)(?![\d一二三四五六七八九十])|年内)/.test(
      rest,
    )
  )
    return true;
  let quoted = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] as string;
    if (c === '“' || c === '「') quoted = true;
    else if (c === '”' || c === '」') quoted = false;
    if (quoted) continue;
    // 了 marks past action; 市环保局提出的方案要 … makes the unit a modifier
    if (c === '了') return false;
    if (c === '的' && !/^的(?:负责)?同志/.test(rest.slice(i, i + 5))) return false;
    if (
      /^(?:必须|务必|须(?!知)|应当|应该|负责(?![人同])|牵头|主管|抓紧|尽快|责任单位)/.test(
        rest.slice(i, i + 4),
      )
    )
      return true;
    if (c !== '要') continue;
    if (i > 0 && NOT_BEFORE_YAO.has(rest[i - 1] as string)) continue;
    if (NOT_AFTER_YAO.has(rest[i + 1] as string) || rest[i + 2] === '的') continue;
    return true;
  }
  return false;
}

const ACTION =
  /^(?:今年|明年|年内)?(?:将|要)?(?:成立|建立|设立|组建|安排|制定|出台|实行|召开|下达|拨付|划拨)(?![的了过])/;
const MAX_CLAUSE = 300;
const NARRATIVE = /近年来|近年|近[一二两三四五六七八九十\d]{1,2}年|以来|去年|过去|先后|曾经/;
const BACKGROUND_FRAME = /^(?:结合|针对|根据|对照|总结|鉴于)/;
const APPRAISAL = /成效|明显|显著|取得|成绩|突出贡献/;
/** Today's meeting and dated news before the unit: 今天，市委召开 …; 5月6日，省国资委召开 …. */
const NEWS = /今天|今日|这次|本次|上午|下午|\d\s*日\s*[,，]/;
const PAST = /了|已经|已/;
const SUBJECT_ONLY = /^(?:$|及|和|与|作为|也有|都有|的同志|的负责同志)/;
/** 市委要求 …, 省委强调 …: the unit reports or demands, it is not given work. */
const REPORTING =
  /^(?:也|都|还|多次|明确|反复|一再|曾)*(?:要求|提出|强调|指出|认为|号召|印发|出台了|作出了|表示|高度重视|非常重视|十分重视)/;
const NEXT_MODAL =
  /^(?:都|也|还|一定)?(?:要(?![求点素])|必须|应当|务必)|^对[^,，。;]{0,30}负(?:有)?[^,，。;]{0,8}(?:责任|总责)/;

/** 是/为…责任主体, 对…负总责, 负有…责任, 负主体责任. */
const RESPONSIBILITY =
  /^(?:也|都|还)?(?:是|为|作为)[^,，。;:]{0,30}(?:责任主体|第一责任人|直接责任人|责任单位)|^(?:也|都|还)?(?:对[^,，。;:]{0,30})?负(?:有)?[^,，。;:]{0,8}(?:责任|总责)/;

const ADV =
  '(?:也|都|还|积极|主动|认真|全面|切实|按时|依法|定期|统一|全力|迅速|立即|尽快|抓紧|继续|进一步|同时|重点|今年|明年|年内|下半年|上半年)';
/** A time or place phrase between the unit and its verb: 在30日内, 于5月20日前, 每月5日前, 在全市范围内. */
const PP =
  '(?:(?:在|于|从|按照|根据|依照)[^,，。;:、的了]{0,24}?(?:前|内|底|中|期间|范围内|基础上|以前|之前|要求|规定)|每个?(?:月|周|星期|年|季度)[^,，。;:的了]{0,8}?(?:前|[一二三四五六日天]))';
const VERB =
  '(?:会同|联合|协同|牵头|组织|开展|完成|办结|建成|推进|推动|实施|制定|制订|出台|印发|编制|建立|健全|完善|加强|做好|抓好|落实|督促|指导|统筹|协调|发布|报送|上报|召开|举办|启动|开通|上线|认定|发放|清理|整治|排查|核查|清查|普查|检查|评估|修订|起草|拟定|部署|设立|组建|拨付|下达|实行|推行|开工|交付|改造|新建|扩建|审核|督查|巡查|通报|考核|兑现|筹备|编报|汇总|建设|拆除|治理)';
/** A unit followed by a plain verb, with no modal: 市应急局会同…, 县水利局于5月20日前完成 …. */
const PLAIN_VERB = new RegExp(`^${ADV}*${PP}?${ADV}*${VERB}(?![的了过])`);
/** A unit named as the object of a directive verb: 督促市燃气公司, 发挥市妇联的…作用. */
const DIRECTIVE = /^(?:要|还要|并|同时)?(?:督促|推动|指导|组织|支持|鼓励|动员|充分发挥|发挥)/;
/** A named body of a level (市水务集团, 县残联, 国家中医药局), not a kind of body. */
const LEVELLED = /^(?:国家|省|市(?![场民区面值容])|县|区(?![域间])|州|盟|旗|乡|镇)/;
/** 配合 / 协助 leading the clause: 配合市农业农村局开展 …. */
const ASSIST_LEAD = /^(?:要|并|同时|积极|主动|全力)*(?:配合|协助)/;
const FUTURE = /^(?:也|都|还|今年|明年|年内|随后|近期|下半年|上半年)*将(?!来)/;

// Global regexes reused across calls (lastIndex is reset before each scan).
const CO_WORD = /(?:与|会同|协同|联合|同)/g;
const ASSIST_WORD = /(?:配合|协助)/g;
const BY_WORD = /(?<!是|主要|仍|均|都|一般)(?:由(?![于此衷])|委托)/g;

function firstUnitListAfter(
  s: string,
  re: RegExp,
  from: number,
  to: number,
  loose = false,
): { list: UnitList; at: number } | null {
  const seg = s.slice(from, to);
  const g = re.global ? re : new RegExp(re.source, 'g');
  g.lastIndex = 0;
  for (let m = g.exec(seg); m; m = g.exec(seg)) {
    const at = from + m.index;
    const list = parseUnitList(s, at + m[0].length, to, loose);
    if (list && list.units.length > 0) return { list, at };
  }
  return null;
}

/** Co-units named in the predicate: 与环保部门一起, 会同 X. */
function coInPredicate(s: string, from: number, to: number): UnitItem[] {
  const hit = firstUnitListAfter(s, CO_WORD, from, to);
  return hit ? hit.list.units : [];
}

function analyzeClause(
  s: string,
  narrativeBefore: boolean,
  c: Span,
  next: Span | undefined,
  hasPrev: boolean,
): ClauseResult | null {
  // narrative of past work (近年来 …, 去年 …) assigns nothing, unless this clause turns to the future
  // only the head of a very long clause is analysed (keeps pathological input linear)
  const end = Math.min(c.end, c.start + MAX_CLAUSE);
  const own = s.slice(c.start, end);
  // 结合去年…, 针对近年来…: a background the instruction builds on, not a narrative
  const framed = BACKGROUND_FRAME.test(own);
  if ((NARRATIVE.test(own) && !framed) || (narrativeBefore && !/今年|明年|今后|下一步|将/.test(own)))
    return null;
  let pos = c.start;
  for (let guard = 0; guard < 4; guard++) {
    const m = PREFIX.exec(s.slice(pos, Math.min(end, pos + 8)));
    if (!m || m[0].length === 0) break;
    pos += m[0].length;
  }
  const head = s.slice(pos, Math.min(end, pos + 8));
  const anaphoric = ANAPHORA.test(head);
  // 由 X 负责 / 希望 X … / 委托 X …
  const intro = /^(?:由(?![于此衷])|希望|要求|请|责成|委托)/.exec(head);
  if (intro) {
    const list = parseUnitList(s, pos + intro[0].length, end, true);
    if (list && list.units.length > 0)
      return {
        kind: 'lead',
        lead: list.units,
        co: coInPredicate(s, list.end, end),
        anaphoric,
        rule: 'intro',
      };
  }
  const objectRule = objectOfVerb(s, pos, end, hasPrev);
  if (objectRule) return { ...objectRule, anaphoric };
  const list = parseUnitList(s, pos, end);
  // a collective subject with its own instruction (各乡镇要 …) ends the previous task
  if (
    list &&
    list.units.length === 0 &&
    hasModal(s.slice(list.end, end)) &&
    !/^[^,，]{0,12}?(?:由|委托)/.test(s.slice(list.end, end))
  )
    return { kind: 'stop' };
  if (list && list.units.length > 0) {
    const rest = s.slice(list.end, end);
    if (
      hasPrev &&
      /^(?:也|都|还|要|将|主动|积极|密切|负责)*(?:共同完成|共同负责|配合|协助|参与|协办|共同)/.test(rest)
    ) {
      const tail = firstUnitListAfter(s, ASSIST_WORD, list.end, end);
      if (!tail) return { kind: 'co', co: list.units };
    }
    if (REPORTING.test(rest)) return null;
    const future = FUTURE.test(rest);
    // X (要)配合 Y: Y leads, X assists
    const swap = /^(?:也|都|还|要|将|应|主动|积极|密切|全力|认真)*(?:配合|协助)/.exec(rest);
    if (swap) {
      const other = parseUnitList(s, list.end + swap[0].length, end);
      if (other && other.units.length > 0)
        return { kind: 'lead', lead: other.units, co: list.units, anaphoric, rule: 'swap' };
    }
    if (RESPONSIBILITY.test(rest))
      return { kind: 'lead', lead: list.units, co: [], anaphoric, rule: 'responsibility' };
    if (hasModal(rest)) {
      return {
        kind: 'lead',
        lead: list.units,
        co: coInPredicate(s, list.end, end),
        anaphoric,
        rule: 'modal',
        future,
      };
    }
    const clause = s.slice(c.start, end);
    const news = NEWS.test(sentenceHead(s, c.start, pos));
    if (!news && ACTION.test(rest) && !PAST.test(clause) && list.units.every((u) => isLevelOrg(u.name))) {
      return { kind: 'lead', lead: list.units, co: [], anaphoric, rule: 'action' };
    }
    const plain = PLAIN_VERB.exec(rest);
    // without a modal, only a body of a level, or a unit given a time, is assigned work
    const timed = plain ? new RegExp(PP).test(plain[0]) : false;
    // 会议指出，X 统筹推进…成效明显: an appraisal of work done, not work given
    const appraisal = APPRAISAL.test(clause) || /指出|认为|肯定|表扬/.test(sentenceHead(s, c.start, pos));
    if (
      plain &&
      !news &&
      !appraisal &&
      !PAST.test(clause) &&
      (timed || list.units.every((u) => LEVELLED.test(u.name)))
    ) {
      return {
        kind: 'lead',
        lead: list.units,
        co: coInPredicate(s, list.end, end),
        anaphoric,
        rule: 'plain-verb',
      };
    }
    // the subject stands alone before the comma: 供电局、交通局…,要 / 环保部门作为…,要
    if (next && SUBJECT_ONLY.test(rest) && NEXT_MODAL.test(s.slice(next.start, next.start + 40))) {
      return { kind: 'lead', lead: list.units, co: [], anaphoric, rule: 'subject-alone' };
    }
  }
  // passive or delegated inside the clause: … 由规划局负责清除, 今年将委托 X 培训
  const mid = firstUnitListAfter(s, BY_WORD, pos, end, true);
  // 由 X 直列的园区, 由 X 一家单打独干的局面: a relative clause, not an assignment
  const midRest = mid ? s.slice(mid.list.end, end) : '';
  if (mid && midRest.includes('的') && !/负责|牵头|主管|完成|实施|承担|组织/.test(midRest)) return null;
  // 会议由 X 主持: meeting procedure
  if (mid && /^(?:主持|讲话|发言|作报告|宣读|致辞|召集)/.test(midRest)) return null;
  if (mid && s.slice(pos, mid.at).includes('了')) return null;
  // 领导小组成员由 X、Y 组成: membership, not work
  if (mid && /^(?:等)?(?:单位|部门)?(?:共同)?组成/.test(midRest)) return null;
  if (mid)
    return {
      kind: 'lead',
      lead: mid.list.units,
      co: coInPredicate(s, mid.list.end, end),
      anaphoric,
      rule: 'passive',
    };
  return null;
}

/** The text of the sentence from its start to `pos` (at most 30 characters back). */
function sentenceHead(s: string, clauseStart: number, pos: number): string {
  let a = clauseStart;
  while (a > 0 && clauseStart - a < 30 && !/[。!?;\n]/.test(s[a - 1] as string)) a--;
  return s.slice(a, pos);
}

/** A unit named after a directive verb (督促 X …) or after a leading 配合 (配合 X 开展 …). */
function objectOfVerb(
  s: string,
  pos: number,
  end: number,
  hasPrev: boolean,
): { kind: 'lead'; lead: UnitItem[]; co: UnitItem[]; rule: Rule } | null {
  const head = s.slice(pos, Math.min(end, pos + 10));
  const assist = hasPrev ? null : ASSIST_LEAD.exec(head);
  const directive = assist ? null : DIRECTIVE.exec(head);
  const verb = assist ?? directive;
  if (!verb) return null;
  // 发挥 X 的 … 作用: the unit ends at 的
  const list = parseUnitList(s, pos + verb[0].length, end, Boolean(directive && /发挥/.test(verb[0])));
  if (!list || list.units.length === 0 || list.units.some((u) => u.kind !== 'unit' || !LEVELLED.test(u.name)))
    return null;
  if (directive && /发挥/.test(verb[0]) && !/作用/.test(s.slice(list.end, end))) return null;
  return {
    kind: 'lead',
    lead: list.units,
    co: [],
    rule: assist ? 'assist-object' : 'directive-object',
  };
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

// Task lists in plans: (牵头单位:市经贸委;配合单位:市发改委、规划局)
const LEAD_LABEL = /(?:牵头单位|责任单位|主责单位|牵头部门|责任部门|主办单位)\s*[:：]\s*/g;
const CO_LABEL = /^[;；,，\s]*(?:配合单位|协办单位|参与单位|配合部门|协同单位|协助单位)\s*[:：]\s*/;

function sentenceAt(sentences: Sentence[], pos: number): number {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sentences[mid] as Sentence).start <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The work a responsibility tag closes: the whole list item it ends (back to the item's
 * list mark or the paragraph start), never reaching into the previous tagged item.
 */
function itemStart(s: string, sentences: Sentence[], si: number, at: number, floor: number): number {
  const sent = sentences[si] as Sentence;
  const before = s.slice(sent.start, at).replace(/[\s(（]/g, '');
  let i = before.length === 0 ? si - 1 : si;
  const ok = (k: number) => {
    const x = sentences[k];
    return x !== undefined && x.para === sent.para && x.start >= floor;
  };
  if (!ok(i)) return sentenceBody(s, sent);
  while (!startsWithListMark(s, sentences[i] as Sentence) && ok(i - 1)) i--;
  return sentenceBody(s, sentences[i] as Sentence);
}

function labelledTasks(s: string, sentences: Sentence[]): RawTask[] {
  const out: RawTask[] = [];
  let floor = 0;
  if (sentences.length === 0) return out;
  LEAD_LABEL.lastIndex = 0;
  for (let m = LEAD_LABEL.exec(s); m; m = LEAD_LABEL.exec(s)) {
    const from = m.index + m[0].length;
    const stop = s.slice(from, from + 200).search(/[)）;；。\n]/);
    const limit = stop < 0 ? Math.min(s.length, from + 200) : from + stop;
    const lead = parseUnitList(s, from, limit, true);
    if (!lead || lead.units.length === 0) continue;
    let end = lead.end;
    let co: UnitItem[] = [];
    const coLabel = CO_LABEL.exec(s.slice(limit, limit + 12));
    if (coLabel) {
      const cFrom = limit + coLabel[0].length;
      const cStop = s.slice(cFrom, cFrom + 200).search(/[)）;；。\n]/);
      const cLimit = cStop < 0 ? Math.min(s.length, cFrom + 200) : cFrom + cStop;
      const list = parseUnitList(s, cFrom, cLimit, true);
      if (list) {
        co = list.units;
        end = list.end;
      }
    }
    if (s[end] === ')' || s[end] === '）') end++;
    const si = sentenceAt(sentences, m.index);
    const anchor = m.index;
    out.push({
      start: itemStart(s, sentences, si, anchor, floor),
      end,
      anchor,
      sentence: si,
      lead: lead.units,
      co,
      rule: 'label',
      future: false,
    });
    LEAD_LABEL.lastIndex = end;
    floor = end;
  }
  return out;
}

/** Every assignment of work to a named unit, one task per lead clause. */
export function findAssignments(s: string, sentences: Sentence[]): RawTask[] {
  const tasks: RawTask[] = labelledTasks(s, sentences);
  const labelled = new Set(tasks.map((t) => t.sentence));
  const bySentence = new Map<number, RawTask[]>();
  for (const t of tasks) bySentence.set(t.sentence, [...(bySentence.get(t.sentence) ?? []), t]);
  sentences.forEach((sent, si) => {
    if (labelled.has(si)) return;
    const own: RawTask[] = [];
    let cur: RawTask | null = null;
    let narrative = false;
    sent.clauses.forEach((c, ci) => {
      const r = analyzeClause(s, narrative, c, sent.clauses[ci + 1], cur !== null);
      const clause = s.slice(c.start, Math.min(c.end, c.start + MAX_CLAUSE));
      narrative ||= NARRATIVE.test(clause) && !BACKGROUND_FRAME.test(clause);
      if (!r) return;
      if (r.kind === 'co') {
        if (cur) cur.co.push(...r.co);
        return;
      }
      if (r.kind === 'stop') {
        if (cur && ci > 0) cur.end = (sent.clauses[ci - 1] as Span).end;
        cur = null;
        return;
      }
      let start = cur ? c.start : sentenceBody(s, sent);
      if (cur) cur.end = (sent.clauses[ci - 1] as Span).end;
      const prev = sentences[si - 1];
      // 这项工作由 X 负责 and a trailing (X 牵头) refer to the previous sentence
      const note = /^[(（]/.test(s[sent.start] ?? '');
      if (!cur && (r.anaphoric || note) && prev && prev.para === sent.para && !bySentence.has(si - 1)) {
        start = sentenceBody(s, prev);
      }
      cur = {
        start,
        end: sent.end,
        anchor: c.start,
        sentence: si,
        lead: r.lead,
        co: r.co,
        rule: r.rule,
        future: r.future ?? false,
      };
      own.push(cur);
    });
    if (own.length > 0) {
      bySentence.set(si, own);
      for (const t of own) tasks.push(t);
    }
  });
  tasks.sort((a, b) => a.start - b.start);
  // an elided-subject follow-up sentence (要加快 …) continues the last task of a sentence
  for (const [si, own] of bySentence) {
    if (labelled.has(si)) continue;
    const next = sentences[si + 1];
    const last = own.at(-1) as RawTask;
    if (!next || next.para !== sentences[si]?.para || bySentence.has(si + 1)) continue;
    if (/^(?:同时|并|还|也)?要(?![求点素])/.test(s.slice(next.start, next.start + 4))) last.end = next.end;
  }
  return tasks;
}
