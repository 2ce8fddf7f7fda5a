/** Words of the deployment-and-supervision (部署督办) domain: statuses, levels, cadences, kinds. */
export const TASK_STATUSES = {
  not_started: '未启动',
  in_progress: '推进中',
  done: '已完成',
  overdue: '逾期',
  paused: '暂缓',
} as const;
export type TaskStatus = keyof typeof TASK_STATUSES;
export const STATUS_LIST = Object.keys(TASK_STATUSES) as TaskStatus[];
/** Statuses in which the work is still owed (counted for reminders, sweeps and rankings). */
export const OPEN_STATUSES: readonly TaskStatus[] = ['not_started', 'in_progress', 'overdue'];

/** Escalation levels: 0 none, then 催办 → 督办 → 挂牌督办. */
export const ESCALATION_LEVELS = { 0: '无', 1: '催办', 2: '督办', 3: '挂牌督办' } as const;
export type EscalationLevel = 0 | 1 | 2 | 3;
export const ESCALATION_KEYS = { urge: 1, supervise: 2, list: 3 } as const;
export type EscalationKey = keyof typeof ESCALATION_KEYS;

/** How often the responsible units report progress (调度). */
export const CADENCES = {
  none: '不定期',
  weekly: '每周',
  semimonthly: '每半月',
  monthly: '每月',
  quarterly: '每季度',
} as const;
export type Cadence = keyof typeof CADENCES;
export const CADENCE_LIST = Object.keys(CADENCES) as Cadence[];

export const DOC_KINDS = {
  speech: '讲话',
  plan: '方案/计划',
  notice: '通知',
  minutes: '会议纪要',
  other: '其他',
} as const;
export type DocKind = keyof typeof DOC_KINDS;

export const MEETING_KINDS = { joint: '联席会议', work_report: '工作汇报会', dispatch: '调度会' } as const;
export type MeetingKind = keyof typeof MEETING_KINDS;

export const TASK_ORG_ROLES = { lead: '牵头单位', co: '配合单位', owner: '部署单位' } as const;
export type TaskOrgRole = keyof typeof TASK_ORG_ROLES;

/** Limits of documents (characters of text, bytes of an upload). */
export const MAX_DOC_CHARS = 500_000;
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Reminders: working days before a task's due date, and before a progress report is due. */
export const REMIND_DUE_WORKDAYS = 3;
export const REMIND_REPORT_WORKDAYS = 1;
