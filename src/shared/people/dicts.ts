/** Dictionaries of the people domain: codes in English, labels users see in Chinese. */

export const GENDERS = { M: '男', F: '女' } as const;
export type Gender = keyof typeof GENDERS;

/** The 56 ethnic groups of China (GB 3304), plus 其他 for foreign-born citizens. */
export const ETHNICITIES = [
  '汉族',
  '蒙古族',
  '回族',
  '藏族',
  '维吾尔族',
  '苗族',
  '彝族',
  '壮族',
  '布依族',
  '朝鲜族',
  '满族',
  '侗族',
  '瑶族',
  '白族',
  '土家族',
  '哈尼族',
  '哈萨克族',
  '傣族',
  '黎族',
  '傈僳族',
  '佤族',
  '畲族',
  '高山族',
  '拉祜族',
  '水族',
  '东乡族',
  '纳西族',
  '景颇族',
  '柯尔克孜族',
  '土族',
  '达斡尔族',
  '仫佬族',
  '羌族',
  '布朗族',
  '撒拉族',
  '毛南族',
  '仡佬族',
  '锡伯族',
  '阿昌族',
  '普米族',
  '塔吉克族',
  '怒族',
  '乌孜别克族',
  '俄罗斯族',
  '鄂温克族',
  '德昂族',
  '保安族',
  '裕固族',
  '京族',
  '塔塔尔族',
  '独龙族',
  '鄂伦春族',
  '赫哲族',
  '门巴族',
  '珞巴族',
  '基诺族',
  '其他',
] as const;

/** Accepts '汉' or '汉族'; returns the canonical name or null. */
export function normalizeEthnicity(s: string): string | null {
  const v = s.trim();
  if (!v) return null;
  if ((ETHNICITIES as readonly string[]).includes(v)) return v;
  const withSuffix = `${v}族`;
  return (ETHNICITIES as readonly string[]).includes(withSuffix) ? withSuffix : null;
}

export const EDUCATION = {
  primary: '小学及以下',
  junior: '初中',
  senior: '高中/中专',
  college: '大专',
  bachelor: '本科',
  master: '硕士研究生',
  doctor: '博士研究生',
} as const;
export type Education = keyof typeof EDUCATION;

export const POLITICAL_STATUS = {
  cpc: '中共党员',
  cpc_probationary: '中共预备党员',
  league: '共青团员',
  democratic: '民主党派',
  none: '群众',
} as const;
export type PoliticalStatus = keyof typeof POLITICAL_STATUS;

/** Groups and tags of a person (one person may carry several). */
export const PERSON_GROUPS = {
  worker: '职工',
  migrant_worker: '农民工',
  new_employment: '新就业形态劳动者',
  youth: '青年',
  woman: '妇女',
  child: '儿童',
  disabled: '残疾人',
  returned_overseas: '归侨侨眷',
  scientist: '科技工作者',
  left_behind_child: '留守儿童',
  left_behind_woman: '留守妇女',
  left_behind_elderly: '留守老人',
  hardship_worker: '困难职工',
} as const;
export type PersonGroup = keyof typeof PERSON_GROUPS;

/** 残疾类别 (GB/T 26341). */
export const DISABILITY_CATEGORIES = {
  vision: '视力残疾',
  hearing: '听力残疾',
  speech: '言语残疾',
  physical: '肢体残疾',
  intellectual: '智力残疾',
  mental: '精神残疾',
  multiple: '多重残疾',
} as const;
export type DisabilityCategory = keyof typeof DISABILITY_CATEGORIES;
export const DISABILITY_GRADES = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' } as const;

/** 困难职工 levels of the union's assistance registry. */
export const HARDSHIP_LEVELS = {
  deep: '深度困难',
  relative: '相对困难',
  accident: '意外致困',
} as const;
export type HardshipLevel = keyof typeof HARDSHIP_LEVELS;

/** Roles of a membership. */
export const MEMBERSHIP_ROLES = {
  member: '会员',
  league_member: '团员',
  committee: '执委/委员',
  representative: '代表',
  cadre_full: '专职干部',
  cadre_part: '兼职干部',
  cadre_secondment: '挂职干部',
} as const;
export type MembershipRole = keyof typeof MEMBERSHIP_ROLES;

/** Roles that are a post (职务): holding one exempts from the Youth League age limit. */
export const POST_ROLES: readonly MembershipRole[] = [
  'committee',
  'cadre_full',
  'cadre_part',
  'cadre_secondment',
];
/** Roles counted by the composition statistics of committees and representatives. */
export const COMPOSITION_ROLES: readonly MembershipRole[] = ['committee', 'representative'];

export const MEMBERSHIP_STATUS = {
  pending: '待审批',
  active: '在册',
  left: '已离会',
  rejected: '未通过',
} as const;
export type MembershipStatus = keyof typeof MEMBERSHIP_STATUS;

/** Reverse lookup label → code, for imports ('本科' → 'bachelor'); codes are accepted too. */
const reverse = new WeakMap<object, Map<string, string>>();
export function codeOf<T extends Record<string, string>>(dict: T, s: string): keyof T | null {
  const v = s.trim();
  if (Object.hasOwn(dict, v)) return v as keyof T;
  let r = reverse.get(dict);
  if (!r) {
    r = new Map(Object.entries(dict).map(([k, label]) => [label, k]));
    reverse.set(dict, r);
  }
  return (r.get(v) as keyof T | undefined) ?? null;
}
