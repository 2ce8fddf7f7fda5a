/**
 * The task lifecycle as data. Every row is one allowed move: the action, the status it
 * starts from, the status it leads to, and who may take it (a permission, or the system).
 * A service works out the target (e.g. a report of 100 % leads to 已完成) and asks `decide`
 * whether that move exists; the unit test walks every action × from × to × role.
 */
import type { Permission } from '../permissions.js';
import type { TaskStatus } from './constants.js';

export const TASK_ACTIONS = {
  report: '报送进展',
  pause: '暂缓',
  resume: '恢复推进',
  reopen: '重新打开',
  reschedule: '调整时限',
  overdue: '逾期',
  rollup_done: '子任务全部完成',
  escalate: '督办',
  lift: '解除督办',
  auto_urge: '自动催办',
} as const;
export type TaskAction = keyof typeof TASK_ACTIONS;
export const TASK_ACTION_LIST = Object.keys(TASK_ACTIONS) as TaskAction[];

export interface TaskTransition {
  action: TaskAction;
  from: TaskStatus;
  to: TaskStatus;
  /** a permission for people; 'system' for the sweep and roll-ups */
  by: Permission | 'system';
}

const row = (action: TaskAction, by: TaskTransition['by'], pairs: [TaskStatus, TaskStatus][]) =>
  pairs.map(([from, to]) => ({ action, from, to, by }));

export const TASK_TRANSITIONS: readonly TaskTransition[] = [
  ...row('report', 'task:report', [
    ['not_started', 'in_progress'],
    ['not_started', 'done'],
    ['in_progress', 'in_progress'],
    ['in_progress', 'done'],
    ['overdue', 'overdue'],
    ['overdue', 'done'],
  ]),
  ...row('pause', 'task:write', [
    ['not_started', 'paused'],
    ['in_progress', 'paused'],
    ['overdue', 'paused'],
  ]),
  ...row('resume', 'task:write', [
    ['paused', 'not_started'],
    ['paused', 'in_progress'],
    ['paused', 'overdue'],
  ]),
  ...row('reopen', 'task:write', [
    ['done', 'in_progress'],
    ['done', 'overdue'],
  ]),
  ...row('reschedule', 'task:write', [
    ['overdue', 'not_started'],
    ['overdue', 'in_progress'],
  ]),
  ...row('overdue', 'system', [
    ['not_started', 'overdue'],
    ['in_progress', 'overdue'],
  ]),
  ...row('rollup_done', 'system', [
    ['not_started', 'done'],
    ['in_progress', 'done'],
    ['overdue', 'done'],
  ]),
  ...row('escalate', 'task:supervise', [
    ['not_started', 'not_started'],
    ['in_progress', 'in_progress'],
    ['overdue', 'overdue'],
  ]),
  ...row('lift', 'task:supervise', [
    ['not_started', 'not_started'],
    ['in_progress', 'in_progress'],
    ['overdue', 'overdue'],
    ['done', 'done'],
    ['paused', 'paused'],
  ]),
  ...row('auto_urge', 'system', [['overdue', 'overdue']]),
];

export type TaskAttempt = { kind: 'user'; permissions: ReadonlySet<string> } | { kind: 'system' };
export type TaskDecision = { ok: true } | { ok: false; reason: 'forbidden' | 'state' };

/**
 * Whether `who` may move a task from `from` to `to` by `action`. The permission is checked
 * first (someone who may not take the action at all learns nothing about the state).
 */
export function decideTask(
  action: TaskAction,
  from: TaskStatus,
  to: TaskStatus,
  who: TaskAttempt,
): TaskDecision {
  const rows = TASK_TRANSITIONS.filter((t) => t.action === action);
  const by = rows[0]?.by;
  if (!by) return { ok: false, reason: 'state' };
  if (by === 'system' ? who.kind !== 'system' : who.kind !== 'user' || !who.permissions.has(by))
    return { ok: false, reason: 'forbidden' };
  return rows.some((t) => t.from === from && t.to === to) ? { ok: true } : { ok: false, reason: 'state' };
}

/** The statuses an action may start from. */
export const fromStatuses = (action: TaskAction): TaskStatus[] => [
  ...new Set(TASK_TRANSITIONS.filter((t) => t.action === action).map((t) => t.from)),
];

/**
 * The status a task moves to when an action is taken, from the facts: a report's percentage,
 * whether the due date has passed, whether any progress was reported.
 */
export function targetStatus(
  action: TaskAction,
  from: TaskStatus,
  facts: { percent?: number; pastDue: boolean; progress: number },
): TaskStatus {
  const working: TaskStatus = facts.progress > 0 ? 'in_progress' : 'not_started';
  switch (action) {
    case 'report':
      if ((facts.percent ?? 0) >= 100) return 'done';
      return from === 'overdue' ? 'overdue' : 'in_progress';
    case 'pause':
      return 'paused';
    case 'resume':
      return facts.pastDue ? 'overdue' : working;
    case 'reopen':
      return facts.pastDue ? 'overdue' : 'in_progress';
    case 'reschedule':
      return facts.pastDue ? 'overdue' : working;
    case 'overdue':
      return 'overdue';
    case 'rollup_done':
      return 'done';
    default:
      return from;
  }
}
