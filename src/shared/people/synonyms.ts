/**
 * What people write in an import file for the values of a dictionary column, and the
 * standard name it means: one synonym table per column (data, extend it here), applied after
 * folding the cell (full-width → half-width, Traditional → Simplified, all spacing removed,
 * Latin lower-cased). Every change of a cell is returned so the import can report it.
 */
import { toSimplified } from '../decompose/normalize.js';

export type SynonymField =
  | 'gender'
  | 'education'
  | 'politicalStatus'
  | 'groups'
  | 'disabilityCategory'
  | 'hardshipLevel'
  | 'role';

/** Synonym → the dictionary's label, per column (keys are written folded: no spaces, Simplified). */
export const SYNONYMS: Record<SynonymField, Readonly<Record<string, string>>> = {
  gender: { 男性: '男', 女性: '女', m: '男', f: '女', male: '男', female: '女' },
  education: {
    小学: '小学及以下',
    文盲: '小学及以下',
    半文盲: '小学及以下',
    初中及以下: '初中',
    高中: '高中/中专',
    中专: '高中/中专',
    职高: '高中/中专',
    技校: '高中/中专',
    中技: '高中/中专',
    高中及中专: '高中/中专',
    普通高中: '高中/中专',
    中等专科: '高中/中专',
    专科: '大专',
    大学专科: '大专',
    高职: '大专',
    大学本科: '本科',
    学士: '本科',
    大学: '本科',
    研究生: '硕士研究生',
    硕士: '硕士研究生',
    博士: '博士研究生',
  },
  politicalStatus: {
    党员: '中共党员',
    共产党员: '中共党员',
    中国共产党党员: '中共党员',
    预备党员: '中共预备党员',
    团员: '共青团员',
    共青团: '共青团员',
    无: '群众',
    无党派: '群众',
    普通群众: '群众',
    民革党员: '民主党派',
    民盟盟员: '民主党派',
    民建会员: '民主党派',
    民进会员: '民主党派',
    农工党党员: '民主党派',
    致公党党员: '民主党派',
    九三学社社员: '民主党派',
    台盟盟员: '民主党派',
  },
  groups: {
    女性: '妇女',
    女: '妇女',
    女职工: '妇女',
    外来务工人员: '农民工',
    进城务工人员: '农民工',
    快递员: '新就业形态劳动者',
    外卖员: '新就业形态劳动者',
    外卖骑手: '新就业形态劳动者',
    网约车司机: '新就业形态劳动者',
    货车司机: '新就业形态劳动者',
    新业态劳动者: '新就业形态劳动者',
    残障人士: '残疾人',
    残疾: '残疾人',
    归侨: '归侨侨眷',
    侨眷: '归侨侨眷',
    科技人员: '科技工作者',
    科研人员: '科技工作者',
    困难职工家庭: '困难职工',
    职员: '职工',
    员工: '职工',
  },
  disabilityCategory: {
    视力: '视力残疾',
    视残: '视力残疾',
    盲人: '视力残疾',
    听力: '听力残疾',
    聋人: '听力残疾',
    言语: '言语残疾',
    肢体: '肢体残疾',
    肢残: '肢体残疾',
    智力: '智力残疾',
    智残: '智力残疾',
    精神: '精神残疾',
    多重: '多重残疾',
  },
  hardshipLevel: { 深度: '深度困难', 相对: '相对困难', 意外: '意外致困', 意外困难: '意外致困' },
  role: {
    工会会员: '会员',
    共青团员: '团员',
    执委: '执委/委员',
    委员: '执委/委员',
    常委: '执委/委员',
    职工代表: '代表',
    会员代表: '代表',
    专职: '专职干部',
    兼职: '兼职干部',
    挂职: '挂职干部',
  },
};

/** A cell folded for matching: full-width → half-width, Traditional → Simplified, no spacing, Latin lower-case. */
export function foldCell(s: string): string {
  return toSimplified(s.normalize('NFKC'))
    .replace(/[\s\u3000]+/g, '')
    .toLowerCase();
}

export interface Normalized {
  /** the standard name, or null when nothing matches */
  value: string | null;
  /** the cell as written when it was not the standard name itself */
  changedFrom?: string;
}

/**
 * The standard label a cell means for a column: the label itself, a code, the label after
 * folding, or a synonym (also after folding). `labels` are the dictionary's labels (and codes).
 */
export function normalizeChoice(field: SynonymField, raw: string, labels: readonly string[]): Normalized {
  const v = raw.trim();
  if (!v) return { value: null };
  if (labels.includes(v)) return { value: v };
  const folded = foldCell(v);
  const byFold = labels.find((l) => foldCell(l) === folded);
  const hit = byFold ?? SYNONYMS[field][folded] ?? null;
  return hit && labels.includes(hit) ? { value: hit, changedFrom: v } : { value: null };
}
