import type { TaskStatus } from '../../../shared/tasks/constants.js';
import { TASK_STATUSES } from '../../../shared/tasks/constants.js';
import { decideTask, TASK_ACTIONS, type TaskAction } from '../../../shared/tasks/machine.js';
import type { Ctx } from '../../platform/actor.js';
import { forbidden, invalid } from '../../platform/errors.js';

/** Raises a clear error when a move is not in the lifecycle table. */
export function assertMove(ctx: Ctx, action: TaskAction, from: TaskStatus, to: TaskStatus) {
  const who =
    ctx.actor.via === 'system'
      ? ({ kind: 'system' } as const)
      : { kind: 'user' as const, permissions: ctx.actor.permissions };
  const d = decideTask(action, from, to, who);
  if (d.ok) return;
  if (d.reason === 'forbidden') throw forbidden();
  const words: Partial<Record<TaskStatus, string>> = { done: '任务已完成', paused: '任务已暂缓' };
  throw invalid(`${words[from] ?? `任务处于「${TASK_STATUSES[from]}」状态`}，不能${TASK_ACTIONS[action]}`, {
    reason: 'state',
    from,
    to,
  });
}
