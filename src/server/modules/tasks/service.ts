import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type {
  TaskCreate,
  TaskDetail,
  TaskListQuery,
  TaskUpdate,
  TaskView,
} from '../../../shared/contracts/tasks.js';
import { isPastDue, nextReportDue } from '../../../shared/tasks/cadence.js';
import type { Cadence, TaskStatus } from '../../../shared/tasks/constants.js';
import { TASK_ACTIONS, targetStatus } from '../../../shared/tasks/machine.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { workCalendarOf } from '../../platform/calendar.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid, notFound, staleVersion } from '../../platform/errors.js';
import { assertManage, assertTaskAccess } from './access.js';
import { deployTasks } from './deploy.js';
import { addEvent, notifyUnits } from './events.js';
import { assertMove } from './moves.js';
import { auditTask, coversPath, presentTask } from './present.js';
import { reportsOf } from './progress.js';
import * as repo from './repo.js';

export function createTaskService(deps: Deps) {
  const { db } = deps;

  async function view(q: Queryable, ctx: Ctx, id: number): Promise<TaskView> {
    const row = await repo.findTask(q, ctx.actor, id);
    if (!row) throw notFound('任务');
    return presentTask(row, await repo.orgsOfTasks(q, [id]), ctx.actor);
  }

  return {
    view,

    async list(ctx: Ctx, f: TaskListQuery) {
      if (!ctx.actor.permissions.has('task:read')) throw forbidden();
      const { items, total } = await repo.findTasks(db, ctx.actor, f);
      const orgs = await repo.orgsOfTasks(
        db,
        items.map((r) => r.id),
      );
      return { items: items.map((r) => presentTask(r, orgs, ctx.actor)), total };
    },

    async get(ctx: Ctx, id: number): Promise<TaskDetail> {
      await assertTaskAccess(db, ctx.actor, 'task:read', [id]);
      const row = (await repo.findTask(db, ctx.actor, id))!;
      const orgs = await repo.orgsOfTasks(db, [id]);
      const children = await db.query<repo.TaskRow>(
        sql`SELECT t.*, '' AS owner_org_name, 0 AS child_count FROM tasks t WHERE t.parent_id = ${id} ORDER BY t.id`,
      );
      const childOrgs = await repo.orgsOfTasks(
        db,
        children.map((c) => c.id),
      );
      const milestones = await db.query<{
        id: number;
        title: string;
        due_date: string | null;
        done: boolean;
      }>(sql`SELECT id, title, due_date, done FROM task_milestones WHERE task_id = ${id} ORDER BY sort`);
      const doc = row.document_id
        ? (
            await db.query<{ id: number; title: string; doc_no: string | null }>(
              sql`SELECT id, title, doc_no FROM task_documents WHERE id = ${row.document_id}`,
            )
          )[0]
        : undefined;
      return {
        ...presentTask(row, orgs, ctx.actor),
        content: row.content,
        recurrence: row.recurrence,
        document: doc ? { id: doc.id, title: doc.title, docNo: doc.doc_no } : null,
        sourceStart: row.source_start,
        sourceEnd: row.source_end,
        heading: row.heading,
        milestones: milestones.map((m) => ({ id: m.id, title: m.title, dueDate: m.due_date, done: m.done })),
        children: children.map((c) => ({
          id: c.id,
          title: c.title,
          status: c.status as TaskStatus,
          progress: c.progress,
          dueDate: c.due_date,
          lead: childOrgs
            .filter((o) => o.task_id === c.id && o.role === 'lead')
            .map((o) => ({ id: o.id, name: o.name })),
        })),
        reports: await reportsOf(db, id),
        completedAt: row.completed_at?.toISOString() ?? null,
        createdAt: row.created_at.toISOString(),
      };
    },

    /** Deploys one task by hand, or splits a parent task down the tree (parentId). */
    async create(ctx: Ctx, input: TaskCreate): Promise<TaskView> {
      const id = await db.tx(async (tx) => {
        let parent: repo.TaskRow | undefined;
        if (input.parentId) {
          await assertTaskAccess(tx, ctx.actor, 'task:write', [input.parentId]);
          parent = (await repo.lockTask(tx, input.parentId))!;
          if (parent.status === 'done' || parent.status === 'paused')
            throw invalid('上级任务已完成或暂缓，不能再分解', { reason: 'state' });
          const porgs = await repo.orgsOfTasks(tx, [parent.id]);
          const units = porgs.filter((o) => o.role !== 'owner');
          const owner = (await repo.activeOrgs(tx, [input.ownerOrgId]))[0];
          // the splitting organization is one of the parent's units (or below one)
          if (!owner || !units.some((u) => owner.path.startsWith(u.path)))
            throw invalid('分解任务的部署单位应为上级任务的牵头或配合单位（或其下级）', {
              field: 'ownerOrgId',
            });
          if (!units.some((u) => coversPath(ctx.actor, u.path)) && !ctx.actor.scope.all)
            throw forbidden('只有上级任务的责任单位可以分解任务');
        }
        const { ownerOrgId, parentId: _p, ...task } = input;
        const [tid] = await deployTasks(tx, ctx, { ownerOrgId, parent, tasks: [task] });
        return tid!;
      });
      return view(db, ctx, id);
    },

    async update(ctx: Ctx, id: number, input: TaskUpdate): Promise<TaskView> {
      await db.tx(async (tx) => {
        await assertManage(tx, ctx.actor, id);
        const before = (await repo.lockTask(tx, id))!;
        if (before.version !== input.version) throw staleVersion();
        if (before.status === 'done') throw invalid('任务已完成，请先重新打开再修改', { reason: 'state' });
        const orgsBefore = await repo.orgsOfTasks(tx, [id]);
        const today = shanghaiYmd(ctx.now);
        const set: Record<string, unknown> = {};
        for (const [k, col] of [
          ['title', 'title'],
          ['content', 'content'],
          ['leader', 'leader'],
          ['ownerPerson', 'owner_person'],
          ['handler', 'handler'],
          ['targets', 'targets'],
          ['cadence', 'cadence'],
        ] as const)
          if (input[k] !== undefined) set[col] = input[k];
        if (input.dueDate !== undefined && input.dueDate !== before.due_date) {
          if (input.dueDate && input.dueDate < today)
            throw invalid(`完成时限（${input.dueDate}）早于今天`, { field: 'dueDate' });
          if (!input.reason) throw invalid('调整完成时限须说明理由', { field: 'reason' });
          set.due_date = input.dueDate;
          if (before.status === 'overdue' && !isPastDue(input.dueDate, today)) {
            const to = targetStatus('reschedule', 'overdue', { pastDue: false, progress: before.progress });
            assertMove(ctx, 'reschedule', 'overdue', to);
            set.status = to;
          }
        }
        if (input.cadence !== undefined || set.due_date !== undefined)
          set.next_report_due = nextReportDue(
            await workCalendarOf(deps.db),
            (input.cadence ?? before.cadence) as Cadence,
            today,
            before.last_report_at ? shanghaiYmd(before.last_report_at) : null,
            (set.due_date as string | null | undefined) === undefined
              ? before.due_date
              : (set.due_date as string | null),
          );
        const lead = input.leadOrgIds ?? orgsBefore.filter((o) => o.role === 'lead').map((o) => o.id);
        const co = input.coOrgIds ?? orgsBefore.filter((o) => o.role === 'co').map((o) => o.id);
        if (input.leadOrgIds || input.coOrgIds) {
          if (lead.some((l) => co.includes(l)))
            throw invalid('同一单位不能既牵头又配合', { field: 'coOrgIds' });
          const added = [...lead, ...co].filter(
            (o) => !orgsBefore.some((b) => b.id === o && b.role !== 'owner'),
          );
          if (added.length) {
            await assertAccess(tx, ctx.actor, 'task:write', 'org', added);
            const found = await repo.activeOrgs(tx, added);
            if (found.some((o) => o.status !== 'active')) throw invalid('不能把任务交给已停用的组织');
          }
          await repo.setTaskOrgs(tx, id, 'lead', lead);
          await repo.setTaskOrgs(tx, id, 'co', co);
        }
        if (input.milestones) await repo.setMilestones(tx, id, input.milestones);
        await repo.updateTask(tx, id, set, ctx.now);
        const after = (await repo.lockTask(tx, id))!;
        const orgsAfter = await repo.orgsOfTasks(tx, [id]);
        const changed = Object.keys(input).filter((k) => k !== 'version' && k !== 'reason');
        await addEvent(tx, ctx, {
          taskId: id,
          action: set.due_date !== undefined ? 'reschedule' : 'update',
          orgId: before.owner_org_id,
          from: before.status,
          to: after.status,
          note: input.reason ?? null,
          data: { changed, dueDate: set.due_date },
        });
        await audit(tx, ctx, {
          action: 'task.update',
          entityType: 'task',
          entityId: id,
          orgId: before.owner_org_id,
          before: auditTask(before, orgsBefore),
          after: auditTask(after, orgsAfter),
        });
        const units = orgsAfter.filter((o) => o.role !== 'owner').map((o) => o.id);
        await notifyUnits(tx, ctx, units, {
          title: '【任务调整】',
          body: `${after.title}${set.due_date !== undefined ? `：完成时限调整为 ${after.due_date ?? '不定期'}` : ''}`,
          link: `/tasks/${id}`,
        });
      });
      return view(db, ctx, id);
    },

    /** 暂缓 / 恢复 / 重新打开, by the deploying side, with a reason. */
    async act(
      ctx: Ctx,
      id: number,
      action: 'pause' | 'resume' | 'reopen',
      body: { version: number; reason: string },
    ) {
      await db.tx(async (tx) => {
        await assertManage(tx, ctx.actor, id);
        const t = (await repo.lockTask(tx, id))!;
        if (t.version !== body.version) throw staleVersion();
        const from = t.status as TaskStatus;
        const to = targetStatus(action, from, {
          pastDue: isPastDue(t.due_date, shanghaiYmd(ctx.now)),
          progress: t.progress,
        });
        assertMove(ctx, action, from, to);
        const set: Record<string, unknown> = { status: to };
        if (action === 'reopen') Object.assign(set, { completed_at: null, completed_date: null });
        await repo.updateTask(tx, id, set, ctx.now);
        await addEvent(tx, ctx, { taskId: id, action, orgId: t.owner_org_id, from, to, note: body.reason });
        await audit(tx, ctx, {
          action: `task.${action}`,
          entityType: 'task',
          entityId: id,
          orgId: t.owner_org_id,
          before: { status: from, version: t.version },
          after: { status: to, reason: body.reason, version: t.version + 1 },
        });
        const units = (await repo.orgsOfTasks(tx, [id])).filter((o) => o.role !== 'owner').map((o) => o.id);
        await notifyUnits(tx, ctx, units, {
          title: `【${TASK_ACTIONS[action]}】${t.title}`,
          body: body.reason,
          link: `/tasks/${id}`,
        });
      });
      return view(db, ctx, id);
    },
  };
}
export type TaskService = ReturnType<typeof createTaskService>;
