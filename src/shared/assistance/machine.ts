/**
 * The household archive's lifecycle as data (帮扶档案): every row is one allowed move — the
 * action, the status it starts from, the status it leads to, and who may take it. A service
 * asks `decideCase`; the unit test walks every action × from × to × permission set.
 *
 *   申请 → 基层初审 → 入户核查 → 审核 → 公示 → 在档;  临时救助 → 申请 | 销档;  在档 → 销档 | 解困
 */
import type { Permission } from '../permissions.js';
import type { CaseStatus } from './constants.js';

export const CASE_ACTIONS = {
  initial_review: '基层初审通过',
  visit: '入户核查完成',
  approve: '审核通过，进入公示',
  send_back: '退回重新核查',
  reject: '不予纳入',
  objection: '公示异议',
  archive: '公示期满，纳入在档',
  convert: '临时救助转为申请',
  close: '销档',
  relieve: '解困',
} as const;
export type CaseAction = keyof typeof CASE_ACTIONS;
export const CASE_ACTION_LIST = Object.keys(CASE_ACTIONS) as CaseAction[];

export interface CaseTransition {
  action: CaseAction;
  from: CaseStatus;
  to: CaseStatus;
  by: Permission;
  /** the step needs a reason (why) */
  reason?: true;
}

const row = (
  action: CaseAction,
  by: Permission,
  pairs: [CaseStatus, CaseStatus][],
  reason?: true,
): CaseTransition[] => pairs.map(([from, to]) => ({ action, from, to, by, ...(reason ? { reason } : {}) }));

export const CASE_TRANSITIONS: readonly CaseTransition[] = [
  ...row('initial_review', 'assist:write', [['applied', 'visiting']]),
  ...row('visit', 'assist:write', [['visiting', 'reviewing']]),
  ...row('approve', 'assist:review', [['reviewing', 'publicity']]),
  ...row('send_back', 'assist:review', [['reviewing', 'visiting']], true),
  ...row(
    'reject',
    'assist:review',
    [
      ['applied', 'rejected'],
      ['visiting', 'rejected'],
      ['reviewing', 'rejected'],
    ],
    true,
  ),
  ...row('objection', 'assist:review', [['publicity', 'reviewing']], true),
  ...row('archive', 'assist:review', [['publicity', 'archived']]),
  ...row('convert', 'assist:write', [['temporary', 'applied']]),
  ...row(
    'close',
    'assist:review',
    [
      ['archived', 'closed'],
      ['temporary', 'closed'],
    ],
    true,
  ),
  ...row('relieve', 'assist:review', [['archived', 'relieved']], true),
];

export type CaseDecision =
  | { ok: true; to: CaseStatus; reason: boolean }
  | { ok: false; why: 'forbidden' | 'state' };

/**
 * Whether someone holding `permissions` may take `action` on a case in `from`. The
 * permission is checked first (who may not take the action at all learns nothing of the state).
 */
export function decideCase(
  action: CaseAction,
  from: CaseStatus,
  permissions: ReadonlySet<string>,
): CaseDecision {
  const rows = CASE_TRANSITIONS.filter((t) => t.action === action);
  const by = rows[0]?.by;
  if (!by || !permissions.has(by)) return { ok: false, why: 'forbidden' };
  const t = rows.find((r) => r.from === from);
  return t ? { ok: true, to: t.to, reason: !!t.reason } : { ok: false, why: 'state' };
}

/** The actions open from a status for someone holding `permissions` (what the UI offers). */
export const actionsFrom = (from: CaseStatus, permissions: ReadonlySet<string>): CaseAction[] =>
  CASE_TRANSITIONS.filter((t) => t.from === from && permissions.has(t.by)).map((t) => t.action);

/** Statuses that count as "assisted" (an archive that is or was on record). */
export const ON_RECORD: readonly CaseStatus[] = ['archived', 'temporary'];
