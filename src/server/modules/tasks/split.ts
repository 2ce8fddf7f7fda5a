/**
 * 层层分解 in one step: a responsible unit of a task deploys child tasks to its subordinate
 * organizations. All children are validated and inserted in one transaction (any error names
 * the child: `第 N 项任务：…`), under the parent's row lock and version (a concurrent edit or
 * split answers 409). Splitting bumps the parent's version and is one audit event on the parent
 * besides the `task.create` event of every child.
 */
import type { TaskSplit } from '../../../shared/contracts/tasks.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid, staleVersion } from '../../platform/errors.js';
import { assertTaskAccess } from './access.js';
import { deployTasks } from './deploy.js';
import { coversPath } from './present.js';
import * as repo from './repo.js';

export function createSplitService(deps: Deps) {
  const { db } = deps;
  return {
    /** Returns the ids of the new child tasks. */
    async split(ctx: Ctx, id: number, body: TaskSplit): Promise<number[]> {
      return db.tx(async (tx) => {
        await assertTaskAccess(tx, ctx.actor, 'task:write', [id]);
        const parent = (await repo.lockTask(tx, id))!;
        if (parent.version !== body.version) throw staleVersion();
        if (parent.status === 'done' || parent.status === 'paused')
          throw invalid('上级任务已完成或暂缓，不能再分解', { reason: 'state' });
        const units = (await repo.orgsOfTasks(tx, [id])).filter((o) => o.role !== 'owner');
        const mine = units.filter((u) => coversPath(ctx.actor, u.path));
        if (mine.length === 0) throw forbidden('只有上级任务的牵头或配合单位可以分解任务');
        let ownerOrgId = mine[0]!.id;
        if (body.ownerOrgId !== undefined) {
          const owner = (await repo.activeOrgs(tx, [body.ownerOrgId]))[0];
          // the splitting organization is one of the parent's units (or below one)
          if (!owner || !units.some((u) => owner.path.startsWith(u.path)))
            throw invalid('分解任务的部署单位应为上级任务的牵头或配合单位（或其下级）', {
              field: 'ownerOrgId',
            });
          ownerOrgId = owner.id;
        }
        const ids = await deployTasks(tx, ctx, { ownerOrgId, parent, tasks: body.tasks });
        await repo.updateTask(tx, id, {}, ctx.now);
        await audit(tx, ctx, {
          action: 'task.split',
          entityType: 'task',
          entityId: id,
          orgId: ownerOrgId,
          before: { version: parent.version, childCount: parent.child_count },
          after: { version: parent.version + 1, ownerOrgId, childIds: ids },
        });
        return ids;
      });
    },
  };
}
