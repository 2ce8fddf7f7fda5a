/**
 * Deploying tasks: from a reviewed draft, by hand, or split down the tree from a parent
 * (层层分解). One function inserts a batch inside the caller's transaction.
 */
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { TaskInput } from '../../../shared/contracts/tasks.js';
import { nextReportDue } from '../../../shared/tasks/cadence.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { loadCalendar } from '../../platform/calendar.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import { invalid, notFound } from '../../platform/errors.js';
import { addEvent, notifyUnits } from './events.js';
import { auditTask } from './present.js';
import * as repo from './repo.js';

export interface DeployBatch {
  ownerOrgId: number;
  documentId?: number | null;
  parent?: repo.TaskRow | null;
  tasks: TaskInput[];
}

const label = (i: number, n: number) => (n > 1 ? `第 ${i + 1} 项任务：` : '');

/** Checks the organizations and dates of every task before anything is written. */
async function validate(tx: Queryable, ctx: Ctx, b: DeployBatch) {
  const today = shanghaiYmd(ctx.now);
  const all = new Set<number>([b.ownerOrgId]);
  for (const [i, t] of b.tasks.entries()) {
    const p = label(i, b.tasks.length);
    const lead = new Set(t.leadOrgIds);
    if (lead.size !== t.leadOrgIds.length)
      throw invalid(`${p}牵头单位重复`, { index: i, field: 'leadOrgIds' });
    for (const c of t.coOrgIds)
      if (lead.has(c)) throw invalid(`${p}同一单位不能既牵头又配合`, { index: i, field: 'coOrgIds' });
    if (new Set(t.coOrgIds).size !== t.coOrgIds.length)
      throw invalid(`${p}配合单位重复`, { index: i, field: 'coOrgIds' });
    if (t.dueDate && t.dueDate < today)
      throw invalid(`${p}完成时限（${t.dueDate}）早于今天（${today}）`, { index: i, field: 'dueDate' });
    if (b.parent?.due_date && t.dueDate && t.dueDate > b.parent.due_date)
      throw invalid(`${p}子任务的完成时限不能晚于上级任务（${b.parent.due_date}）`, {
        index: i,
        field: 'dueDate',
      });
    if (t.sourceStart != null && t.sourceEnd != null && t.sourceEnd < t.sourceStart)
      throw invalid(`${p}原文位置不正确`, { index: i, field: 'sourceEnd' });
    for (const m of t.milestones)
      if (m.dueDate && t.dueDate && m.dueDate > t.dueDate)
        throw invalid(`${p}节点「${m.title}」晚于完成时限`, { index: i, field: 'milestones' });
    for (const id of [...t.leadOrgIds, ...t.coOrgIds]) all.add(id);
  }
  // the deploying organization and every responsible unit must be in the deployer's scope
  await assertAccess(tx, ctx.actor, 'task:write', 'org', [...all]);
  const orgs = await repo.activeOrgs(tx, [...all]);
  if (orgs.length !== all.size) throw notFound('组织');
  const inactive = orgs.find((o) => o.status !== 'active');
  if (inactive) throw invalid(`「${inactive.name}」已停用，不能部署任务`, { orgId: inactive.id });
}

/** Inserts the tasks of a batch with their units and milestones; returns their ids. */
export async function deployTasks(tx: Queryable, ctx: Ctx, b: DeployBatch): Promise<number[]> {
  await validate(tx, ctx, b);
  const today = shanghaiYmd(ctx.now);
  const cal = await loadCalendar(tx);
  const ids: number[] = [];
  for (const t of b.tasks) {
    const r = await tx.query<{
      id: number;
    }>(sql`INSERT INTO tasks (document_id, parent_id, owner_org_id, created_by,
        title, content, source_start, source_end, heading, leader, owner_person, handler, targets, due_date,
        deadline_text, recurrence, cadence, next_report_due, created_at, updated_at)
      VALUES (${b.documentId ?? b.parent?.document_id ?? null}, ${b.parent?.id ?? null}, ${b.ownerOrgId},
        ${ctx.actor.userId}, ${t.title}, ${t.content}, ${t.sourceStart ?? null}, ${t.sourceEnd ?? null},
        ${t.heading ?? null}, ${t.leader ?? null}, ${t.ownerPerson ?? null}, ${t.handler ?? null},
        ${t.targets}::text[], ${t.dueDate ?? null}, ${t.deadlineText ?? null}, ${t.recurrence ?? null}, ${t.cadence},
        ${nextReportDue(cal, t.cadence, today, null, t.dueDate ?? null)}, ${ctx.now}, ${ctx.now})
      RETURNING id`);
    const id = r[0]!.id;
    ids.push(id);
    await tx.query(sql`UPDATE tasks SET path = ${`${b.parent?.path ?? '/'}${id}/`} WHERE id = ${id}`);
    await repo.setTaskOrgs(tx, id, 'owner', [b.ownerOrgId]);
    await repo.setTaskOrgs(tx, id, 'lead', t.leadOrgIds);
    await repo.setTaskOrgs(tx, id, 'co', t.coOrgIds);
    await repo.setMilestones(tx, id, t.milestones);
    const row = (await repo.lockTask(tx, id))!;
    const orgs = await repo.orgsOfTasks(tx, [id]);
    await addEvent(tx, ctx, {
      taskId: id,
      action: b.parent ? 'split' : 'create',
      orgId: b.ownerOrgId,
      to: 'not_started',
      note: b.parent ? `由上级任务「${b.parent.title}」分解` : null,
      data: {
        leadOrgIds: t.leadOrgIds,
        coOrgIds: t.coOrgIds,
        dueDate: t.dueDate ?? null,
        documentId: b.documentId ?? null,
      },
    });
    if (b.parent)
      await addEvent(tx, ctx, {
        taskId: b.parent.id,
        action: 'split',
        orgId: b.ownerOrgId,
        note: `分解出子任务「${t.title}」`,
        data: { childId: id },
      });
    await audit(tx, ctx, {
      action: 'task.create',
      entityType: 'task',
      entityId: id,
      orgId: b.ownerOrgId,
      after: auditTask(row, orgs),
    });
    await notifyUnits(tx, ctx, [...t.leadOrgIds, ...t.coOrgIds], {
      title: '【新任务】请按时限推进并报送进展',
      body: `${t.title}${t.dueDate ? `（时限 ${t.dueDate}）` : ''}`,
      link: `/tasks/${id}`,
    });
  }
  return ids;
}
