/**
 * The appeal lifecycle as data: every action, the statuses it may start from, the status
 * it leads to (null: unchanged) and who may take it (a permission, the submitter through
 * the tracking code, or the system). Services consult `decide`; the unit test walks every
 * action × status × role, the integration test every action × role over HTTP.
 */
import type { Permission } from '../permissions.js';
import type { AppealStatus } from './constants.js';

export const APPEAL_ACTIONS = {
  dispatch: '派单',
  accept: '签收',
  return: '退单',
  start: '开始办理',
  note: '办理记录',
  assist: '发起协办',
  assist_reply: '协办答复',
  transfer: '转办',
  extend_request: '申请延期',
  extend_approve: '批准延期',
  extend_reject: '驳回延期',
  suspend: '挂起',
  resume: '恢复办理',
  reply: '答复',
  visit: '回访',
  rate: '评价',
  close: '办结',
  reopen: '重办',
  supervise: '督办',
  auto_urge: '自动催办',
  merge: '合并',
} as const;
export type AppealAction = keyof typeof APPEAL_ACTIONS;
export const ACTION_LIST = Object.keys(APPEAL_ACTIONS) as AppealAction[];

/** Who takes an action: staff holding `permission`, the submitter, or the system. */
export type ActorKind = 'staff' | 'submitter' | 'system';

export interface Transition {
  action: AppealAction;
  from: readonly AppealStatus[];
  to: AppealStatus | null;
  actor: ActorKind;
  permission?: Permission;
}

const WORKING: AppealStatus[] = ['accepted', 'handling'];
const UNANSWERED: AppealStatus[] = ['pending_dispatch', 'dispatched', 'accepted', 'handling', 'suspended'];

export const TRANSITIONS: readonly Transition[] = [
  {
    action: 'dispatch',
    from: ['pending_dispatch'],
    to: 'dispatched',
    actor: 'staff',
    permission: 'appeal:dispatch',
  },
  { action: 'accept', from: ['dispatched'], to: 'accepted', actor: 'staff', permission: 'appeal:handle' },
  {
    action: 'return',
    from: ['dispatched', 'accepted'],
    to: 'pending_dispatch',
    actor: 'staff',
    permission: 'appeal:handle',
  },
  { action: 'start', from: ['accepted'], to: 'handling', actor: 'staff', permission: 'appeal:handle' },
  {
    action: 'note',
    from: ['accepted', 'handling', 'suspended'],
    to: null,
    actor: 'staff',
    permission: 'appeal:handle',
  },
  { action: 'assist', from: WORKING, to: null, actor: 'staff', permission: 'appeal:handle' },
  {
    action: 'assist_reply',
    from: ['accepted', 'handling', 'suspended'],
    to: null,
    actor: 'staff',
    permission: 'appeal:handle',
  },
  {
    action: 'transfer',
    from: ['dispatched', 'accepted', 'handling'],
    to: 'dispatched',
    actor: 'staff',
    permission: 'appeal:dispatch',
  },
  { action: 'extend_request', from: WORKING, to: null, actor: 'staff', permission: 'appeal:handle' },
  {
    action: 'extend_approve',
    from: ['accepted', 'handling', 'suspended'],
    to: null,
    actor: 'staff',
    permission: 'appeal:supervise',
  },
  {
    action: 'extend_reject',
    from: ['accepted', 'handling', 'suspended'],
    to: null,
    actor: 'staff',
    permission: 'appeal:supervise',
  },
  { action: 'suspend', from: ['handling'], to: 'suspended', actor: 'staff', permission: 'appeal:handle' },
  { action: 'resume', from: ['suspended'], to: 'handling', actor: 'staff', permission: 'appeal:handle' },
  { action: 'reply', from: ['handling'], to: 'replied', actor: 'staff', permission: 'appeal:handle' },
  { action: 'visit', from: ['replied'], to: 'visited', actor: 'staff', permission: 'appeal:intake' },
  { action: 'rate', from: ['replied'], to: 'visited', actor: 'submitter' },
  { action: 'close', from: ['visited'], to: 'closed', actor: 'staff', permission: 'appeal:dispatch' },
  { action: 'reopen', from: ['visited'], to: 'handling', actor: 'staff', permission: 'appeal:supervise' },
  { action: 'supervise', from: UNANSWERED, to: null, actor: 'staff', permission: 'appeal:supervise' },
  { action: 'auto_urge', from: UNANSWERED, to: null, actor: 'system' },
  {
    action: 'merge',
    from: ['pending_dispatch', 'dispatched', 'accepted', 'handling'],
    to: 'merged',
    actor: 'staff',
    permission: 'appeal:dispatch',
  },
];

const BY_ACTION = new Map(TRANSITIONS.map((t) => [t.action, t]));

export function transitionOf(action: AppealAction): Transition {
  const t = BY_ACTION.get(action);
  if (!t) throw new Error(`unknown appeal action ${action}`);
  return t;
}

/** Who is trying: a staff member with permissions, the submitter, or the system. */
export type Attempt =
  | { kind: 'staff'; permissions: ReadonlySet<Permission> }
  | { kind: 'submitter' }
  | { kind: 'system' };

export type Decision = { ok: true; to: AppealStatus | null } | { ok: false; reason: 'forbidden' | 'state' };

/** Whether `who` may take `action` on an appeal in `status`; the permission is checked first. */
export function decide(action: AppealAction, status: AppealStatus, who: Attempt): Decision {
  const t = transitionOf(action);
  if (who.kind !== t.actor) return { ok: false, reason: 'forbidden' };
  if (who.kind === 'staff' && t.permission && !who.permissions.has(t.permission))
    return { ok: false, reason: 'forbidden' };
  if (!t.from.includes(status)) return { ok: false, reason: 'state' };
  return { ok: true, to: t.to };
}

/** The staff actions a user could take on an appeal in `status` (for the UI's buttons). */
export function availableActions(status: AppealStatus, permissions: ReadonlySet<Permission>): AppealAction[] {
  return TRANSITIONS.filter(
    (t) => t.actor === 'staff' && t.from.includes(status) && (!t.permission || permissions.has(t.permission)),
  ).map((t) => t.action);
}
