/** Recognition of named units (市环保局, 县建设局, 妇联 …) on the Simplified copy. */
import {
  CLASS_STEM,
  COLLECTIVE_INFIX,
  COLLECTIVE_PREFIX,
  COLLECTIVE_START,
  CONTINUATION,
  FINAL_CHARS,
  FUNCTION_CHARS,
  GENERIC,
  GENERIC_MOD,
  KNOWN,
  LEVEL_ORGS,
  LEVEL_PREFIX,
  NAME_BREAK,
  NATIONAL,
  NOT_UNIT_END,
  SECTORS,
  SUFFIXES,
} from './lexicon';

/** Longest unit name (市创建全国文明城市工作指挥部办公室 has 17 characters). */
export const MAX_NAME = 22;

/** Official names joined by 和 (工业和信息化部, 住房和城乡建设局): a closed class. */
const AND_NAMES =
  /^[^和、,，。;]{0,4}?(?:工业和信息化|住房和城乡建设|文化和旅游|人力资源和社会保障|自然资源和规划|民族和宗教|科学技术和)/;

/** Party committees and governments of a level (县委, 市政府). */
export function isLevelOrg(name: string): boolean {
  return LEVEL_ORGS.test(name) || /^(?:省|市|县|区|州)财政$/.test(name);
}

export type ItemKind = 'unit' | 'generic' | 'bare';

export interface UnitItem {
  name: string;
  start: number;
  end: number;
  kind: ItemKind;
}

export interface UnitList {
  items: UnitItem[];
  /** Named units only (collective subjects removed). */
  units: UnitItem[];
  start: number;
  end: number;
}

/** CJK ideograph (BMP blocks; enough for unit names). */
export function isHan(c: string | undefined): boolean {
  if (c === undefined) return false;
  const x = c.charCodeAt(0);
  return (x >= 0x4e00 && x <= 0x9fff) || (x >= 0x3400 && x <= 0x4dbf) || (x >= 0xf900 && x <= 0xfaff);
}

/** Suffixes indexed by their last character, longest first. */
const SUFFIX_BY_LAST = new Map<string, string[]>();
for (const suf of SUFFIXES) {
  const k = suf.at(-1) as string;
  SUFFIX_BY_LAST.set(k, [...(SUFFIX_BY_LAST.get(k) ?? []), suf]);
}

function suffixOf(name: string): string | null {
  for (const suf of SUFFIX_BY_LAST.get(name.at(-1) as string) ?? [])
    if (name.length > suf.length && name.endsWith(suf)) return suf;
  return null;
}

/** Classify a candidate name. */
export function classifyName(name: string): ItemKind | null {
  if (name.length < 2 || name.length > MAX_NAME) return null;
  if (FUNCTION_CHARS.test(AND_NAMES.test(name) ? name.replace('和', '') : name)) return null;
  for (const c of name) if (!isHan(c)) return null;
  if (LEVEL_ORGS.test(name)) return 'unit';
  if (GENERIC.has(name) || name.endsWith('单位') || COLLECTIVE_INFIX.test(name)) return 'generic';
  const coll = COLLECTIVE_PREFIX.exec(name);
  if (coll) {
    const rest = name.slice(coll[0].length);
    if (rest.length === 0) return null;
    if (GENERIC.has(rest) || classifyName(rest) || suffixOf(rest)) return 'generic';
    return null;
  }
  if (KNOWN.has(name)) return 'unit';
  const lvl = LEVEL_PREFIX.exec(name);
  if (lvl) {
    const rest = name.slice(lvl[0].length);
    if (SECTORS.has(rest) || KNOWN.has(rest)) return 'unit';
  }
  const suf = suffixOf(name);
  if (
    !suf ||
    NOT_UNIT_END.test(name) ||
    COUNTED_END.test(name.slice(-3).replace(/^[^两二三四五六七八九十]+/, ''))
  )
    return null;
  const stem = name.slice(0, name.length - suf.length);
  if (NATIONAL.test(name) || CLASS_STEM.test(stem)) return 'generic';
  if (suf === '学校' && stem.length <= 2) return 'generic';
  if (suf === '部门' || suf === '机关') return GENERIC_MOD.has(stem) ? 'generic' : 'unit';
  if (suf.length === 1 && stem.length === 1 && !LEVEL_PREFIX.test(stem)) {
    // one-character stems: 团委, 妇联 are listed; reject 社会, 干部, 机会 …
    return /^(?:团|妇|侨|残|文|科|纪|党)$/.test(stem) ? 'unit' : null;
  }
  return 'unit';
}

/** What follows a name that makes it a person or a part (局长, 的), not the unit. */
const NOT_AFTER_NAME = /^(?:长|主任|书记|同志|领导|干部|职工|人员|的|之)/;
/** An adverbial then a modal: 一方面要, 首先要, 自身也要, 在这方面更要. */
const ADVERBIAL_MODAL = /^[^,，。;:：、的]{1,8}?(?:要(?![求点素])|必须|应当|务必|须(?!知)|负责|牵头)/;

function continues(s: string, q: number, limit: number): boolean {
  if (q >= limit) return true;
  const next = s.slice(q, q + 10);
  if (CONTINUATION.test(next)) return true;
  return !NOT_AFTER_NAME.test(next) && ADVERBIAL_MODAL.test(next);
}

/**
 * Longest unit/generic name at p followed by a valid continuation; when `loose`
 * (after 由, 委托 …, where any verb may follow) simply the longest name.
 */
function parseNamed(s: string, p: number, limit: number, loose = false): UnitItem | null {
  const max = Math.min(limit, p + MAX_NAME);
  const andAt = AND_NAMES.exec(s.slice(p, p + 12));
  const andPos = andAt ? p + andAt[0].indexOf('和') : -1;
  let best: UnitItem | null = null;
  let longest: UnitItem | null = null;
  const collective = COLLECTIVE_START.has(s[p] as string);
  for (let q = p + 1; q <= max; q++) {
    const c = s[q - 1] as string;
    // names hold no function words, so nothing longer can be a name either
    if (!isHan(c) || (FUNCTION_CHARS.test(c) && q - 1 !== andPos)) break;
    if (q === p + 1 || (!collective && !FINAL_CHARS.has(c))) continue;
    const name = s.slice(p, q);
    if (NAME_BREAK.test(name)) break;
    const kind = classifyName(name);
    if (!kind) continue;
    const item = { name, start: p, end: q, kind };
    if (continues(s, q, limit)) best = item;
    longest = item;
  }
  return loose ? longest : best;
}

/** A bare sector word in a list (卫生, 建设 in 市环保、卫生、建设等部门). */
function parseBare(s: string, p: number, limit: number): UnitItem | null {
  let q = p;
  while (q < limit && q - p < 6 && isHan(s[q]) && !/[、和及与等]/.test(s[q] as string)) {
    if (q - p >= 2 && COUNTED_END.test(s.slice(q, q + 6))) break;
    q++;
  }
  if (q - p < 2 || q - p > 6) return null;
  const next = s[q];
  if (
    next !== '、' &&
    next !== '等' &&
    next !== '和' &&
    next !== '及' &&
    next !== '与' &&
    !COUNTED_END.test(s.slice(q, q + 6))
  )
    return null;
  const name = s.slice(p, q);
  if (FUNCTION_CHARS.test(name)) return null;
  return { name, start: p, end: q, kind: 'bare' };
}

const LIST_SEP = /^(?:以及|、|和|及|与|,)/;
const TYPED_END =
  /^(?:等|和|及|与)?(?:其他|其它|有关|相关|各)?(?:部门|单位|企业|热电厂|电厂|公司|群团组织|组织|机关|学校|医院|乡镇|人民团体)/;
/** 青山、红谷两县: a count and the suffix the bare names share. */
const COUNTED_END = /^(?:[两二三四五六七八九十]{1,2}个?|等)(?:县区|县市|县|区|市|镇|乡|街道)(?![城委政])/;

/** Parse "A、B和C等部门" starting at p; null when no item is recognised. */
export function parseUnitList(s: string, p: number, limit: number, loose = false): UnitList | null {
  const items: UnitItem[] = [];
  let q = p;
  let typed = false;
  for (;;) {
    // a name reduced to its suffix by redaction (由局、建设局): skip it
    if (items.length === 0 && q === p && /[局委办处]/.test(s[q] ?? '') && s[q + 1] === '、') q += 2;
    const item = parseNamed(s, q, limit, loose) ?? parseBare(s, q, limit);
    if (!item) break;
    items.push(item);
    q = item.end;
    // parenthetical alias: 宣传部(文明办)
    if (s[q] === '(' || s[q] === '（') {
      const inner = parseNamed(s, q + 1, limit);
      if (inner && (s[inner.end] === ')' || s[inner.end] === '）')) {
        items.push(inner);
        q = inner.end + 1;
      }
    }
    const sep = LIST_SEP.exec(s.slice(q, q + 2));
    if (!sep) break;
    // a comma only continues a list of named units (工会, 共青团 …) when a unit follows
    let after = q + sep[0].length;
    let peek = parseNamed(s, after, limit, loose) ?? (sep[0] === ',' ? null : parseBare(s, after, limit));
    if (!peek) {
      // a short modifier before the next unit: 及新组建的市天然气发展公司
      const mod = /^[^、,，。;的]{1,6}的/.exec(s.slice(after, after + 7));
      const named = mod ? parseNamed(s, after + mod[0].length, limit, loose) : null;
      if (mod && named?.kind === 'unit') {
        after += mod[0].length;
        peek = named;
      }
    }
    if (!peek || (sep[0] === ',' && peek.kind !== 'unit')) break;
    q = after;
  }
  if (items.length === 0) return null;
  const typedEnd = TYPED_END.exec(s.slice(q, q + 8)) ?? COUNTED_END.exec(s.slice(q, q + 6));
  if (typedEnd) {
    typed = true;
    q += typedEnd[0].length;
  } else if (s[q] === '等') q++;
  const last = items.at(-1) as UnitItem;
  // a list closed by a collective (税务、海关和有关企业; 市场监管、商务和各乡镇) names its bare items
  const promote = typed || last.name.endsWith('部门') || (last.kind === 'generic' && items.length > 1);
  // an unexplained bare word means this was no list of units
  if (!promote && items.some((it) => it.kind === 'bare')) return null;
  const kept = items.filter((it) => it.kind === 'unit' || it.kind === 'bare');
  return { items, units: kept, start: p, end: q };
}
