/** Dictionaries of the assistance module (惠民平台 · 帮扶): codes in English, labels in Chinese. */

export const CASE_STATUSES = {
  applied: '申请（待基层初审）',
  visiting: '入户核查',
  reviewing: '审核',
  publicity: '公示',
  archived: '在档',
  temporary: '临时救助',
  closed: '已销档',
  relieved: '已解困',
  rejected: '不予纳入',
} as const;
export type CaseStatus = keyof typeof CASE_STATUSES;
export const CASE_STATUS_LIST = Object.keys(CASE_STATUSES) as CaseStatus[];

/** Hardship categories (困难类别). */
export const CATEGORIES = {
  dibao: '低保',
  dibao_edge: '低保边缘',
  illness: '因病致困',
  disability: '因残致困',
  disaster: '因灾致困',
  accident: '意外致困',
  other: '其他困难',
} as const;
export type Category = keyof typeof CATEGORIES;

/** Causes of hardship (致困原因), primary and secondary. */
export const CAUSES = {
  illness: '因病',
  disability: '因残',
  disaster: '因灾',
  accident: '意外事故',
  education: '子女教育',
  unemployment: '失业',
  single_parent: '单亲',
  low_wage: '收入低',
  other: '其他',
} as const;
export type Cause = keyof typeof CAUSES;

export const HEALTH = { healthy: '健康', chronic: '慢性病', serious: '重大疾病', disabled: '残疾' } as const;
export const HOUSING = {
  own: '自有住房',
  rented: '租房',
  public_rental: '公租房',
  dilapidated: '危房',
  none: '无住房',
} as const;
export const EMPLOYMENT = {
  employed: '在岗',
  flexible: '灵活就业',
  unemployed: '失业',
  retired: '退休',
  unable: '无劳动能力',
} as const;
export const RELATIONS = {
  self: '本人',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  sibling: '兄弟姐妹',
  other: '其他',
} as const;
/** A member's schooling, for programs such as 金秋助学. */
export const SCHOOLING = {
  none: '非在校',
  primary: '小学',
  secondary: '中学',
  higher: '高等教育在读',
} as const;

/** The filing level (建档层级), from the filing organization's level. */
export const FILING_LEVELS = { city: '市级', county: '县级', grassroots: '基层' } as const;
export type FilingLevel = keyof typeof FILING_LEVELS;
export const filingLevelOf = (orgLevel: string): FilingLevel =>
  orgLevel === 'city' || orgLevel === 'province' ? 'city' : orgLevel === 'county' ? 'county' : 'grassroots';

export const PROGRAM_KINDS = {
  warmth: '送温暖',
  education: '金秋助学',
  medical: '医疗救助',
  employment: '就业帮扶',
  legal: '法律援助',
  left_behind: '三留守关爱',
} as const;
export type ProgramKind = keyof typeof PROGRAM_KINDS;

export const ENTITLEMENT_STATUSES = {
  proposed: '待审核',
  reviewed: '已审核',
  approved: '已审批',
  rejected: '未通过',
} as const;
export type EntitlementStatus = keyof typeof ENTITLEMENT_STATUSES;

export const PAYMENT_STATUSES = { pending: '待发放', paid: '已发放', returned: '退回' } as const;
export type PaymentStatus = keyof typeof PAYMENT_STATUSES;

export const CYCLE_STATUSES = { open: '进行中', closed: '已结束' } as const;

/** Days of 公示 (working days on the platform calendar) unless configured otherwise. */
export const DEFAULT_PUBLICITY_WORKDAYS = 5;
/** A record not updated for this many months is flagged for re-verification. */
export const STALE_MONTHS = 12;
export const MAX_MEMBERS = 20;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_CASE = 40;
/** Money is held in fen (分) as integers; the API speaks yuan with at most two decimals. */
export const MAX_YUAN = 10_000_000;
