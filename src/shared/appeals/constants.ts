/** Enumerations of the appeal (诉求/维权) domain with their Chinese labels. */

export const APPEAL_GROUPS = {
  worker: '职工/农民工',
  youth: '青少年',
  women: '妇女儿童',
  disabled: '残疾人',
  overseas: '归侨侨眷',
  scientist: '科技工作者',
  other: '其他',
} as const;
export type AppealGroup = keyof typeof APPEAL_GROUPS;

export const APPEAL_CHANNELS = {
  hotline: '热线电话',
  web: '网上（手机）',
  visit: '来访',
  letter: '来信',
  api: '系统对接',
} as const;
export type AppealChannel = keyof typeof APPEAL_CHANNELS;

export const APPEAL_PRIORITIES = { normal: '一般', urgent: '紧急' } as const;
export type AppealPriority = keyof typeof APPEAL_PRIORITIES;

/** Kinds of matters: they set the default time limit. */
export const CATEGORY_KINDS = {
  consult: '咨询',
  help: '求助',
  complaint: '投诉',
  suggestion: '建议',
} as const;
export type CategoryKind = keyof typeof CATEGORY_KINDS;

export const APPEAL_STATUSES = {
  pending_dispatch: '待派单',
  dispatched: '已派单',
  accepted: '已签收',
  handling: '办理中',
  suspended: '挂起',
  replied: '已答复',
  visited: '已回访',
  closed: '已办结',
  merged: '已合并',
} as const;
export type AppealStatus = keyof typeof APPEAL_STATUSES;
export const STATUS_LIST = Object.keys(APPEAL_STATUSES) as AppealStatus[];
/** Statuses in which the handling clock runs or is paused (not yet answered). */
export const OPEN_STATUSES: readonly AppealStatus[] = [
  'pending_dispatch',
  'dispatched',
  'accepted',
  'handling',
  'suspended',
];

export const SATISFACTION = {
  very_satisfied: '非常满意',
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
  very_unsatisfied: '非常不满意',
} as const;
export type Satisfaction = keyof typeof SATISFACTION;
export const SATISFIED: readonly Satisfaction[] = ['very_satisfied', 'satisfied', 'basically_satisfied'];
export const isSatisfied = (s: Satisfaction) => SATISFIED.includes(s);

/** Supervision levels: 0 none, 1 催办, 2 督办, 3 挂牌督办. */
export const SUPERVISION_LEVELS = { 0: '无', 1: '催办', 2: '督办', 3: '挂牌督办' } as const;
export type SupervisionLevel = 0 | 1 | 2 | 3;
export const SUPERVISION_KEYS = { urge: 1, supervise: 2, listed: 3 } as const;
export type SupervisionKey = keyof typeof SUPERVISION_KEYS;

/** Time-limit light of an open appeal. */
export type AppealLight = 'green' | 'yellow' | 'red' | 'none';
