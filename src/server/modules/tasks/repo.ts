import type { TaskListQuery } from '../../../shared/contracts/tasks.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { likeEscape, toSimplified } from '../../platform/text.js';
import { taskScope } from './access.js';

export interface TaskRow {
  id: number;
  document_id: number | null;
  parent_id: number | null;
  path: string;
  owner_org_id: number;
  owner_org_name: string;
  created_by: number;
  title: string;
  content: string;
  source_start: number | null;
  source_end: number | null;
  heading: string | null;
  leader: string | null;
  owner_person: string | null;
  handler: string | null;
  targets: string[];
  due_date: string | null;
  deadline_text: string | null;
  recurrence: string | null;
  cadence: string;
  status: string;
  progress: number;
  escalation: number;
  escalated_at: Date | null;
  escalation_reason: string | null;
  last_report_at: Date | null;
  next_report_due: string | null;
  completed_at: Date | null;
  completed_date: string | null;
  child_count: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export interface TaskOrgRow {
  task_id: number;
  role: 'lead' | 'co' | 'owner';
  id: number;
  name: string;
  path: string;
}

const SELECT = sql`SELECT t.*, oo.name AS owner_org_name,
    (SELECT count(*)::int FROM tasks c WHERE c.parent_id = t.id) AS child_count
  FROM tasks t JOIN orgs oo ON oo.id = t.owner_org_id`;

/** The orders of the task list (`sort`). */
const TASK_ORDERS = {
  urgency: sql.raw(`t.escalation DESC, (t.status = 'overdue') DESC, t.due_date NULLS LAST, t.id`),
  due: sql.raw('t.due_date ASC NULLS LAST, t.escalation DESC, t.id'),
  created: sql.raw('t.created_at DESC, t.id DESC'),
} as const;

export async function findTasks(
  q: Queryable,
  actor: Actor,
  f: TaskListQuery,
): Promise<{ items: TaskRow[]; total: number }> {
  const conds: Sql[] = [taskScope(actor)];
  if (f.status) conds.push(sql`t.status = ${f.status}`);
  if (f.documentId) conds.push(sql`t.document_id = ${f.documentId}`);
  if (f.parentId === 'root') conds.push(sql`t.parent_id IS NULL`);
  else if (f.parentId) conds.push(sql`t.parent_id = ${f.parentId}`);
  if (f.minEscalation !== undefined) conds.push(sql`t.escalation >= ${f.minEscalation}`);
  if (f.dueBefore) conds.push(sql`t.due_date <= ${f.dueBefore}`);
  if (f.orgId)
    conds.push(sql`EXISTS (SELECT 1 FROM task_orgs fx JOIN orgs fo ON fo.id = fx.org_id
      WHERE fx.task_id = t.id AND fx.role IN ('lead', 'co')
        AND fo.path LIKE (SELECT path FROM orgs WHERE id = ${f.orgId}) || '%')`);
  if (f.q) {
    const plain = `%${likeEscape(f.q)}%`;
    const simp = `%${likeEscape(toSimplified(f.q))}%`;
    conds.push(sql`(t.title ILIKE ${plain} OR t.title ILIKE ${simp})`);
  }
  const where = sql.and(conds);
  const offset = (f.page - 1) * f.pageSize;
  const [items, count] = await Promise.all([
    q.query<TaskRow>(sql`${SELECT} WHERE ${where}
      ORDER BY ${TASK_ORDERS[f.sort ?? 'urgency']}
      LIMIT ${f.pageSize} OFFSET ${offset}`),
    q.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM tasks t WHERE ${where}`),
  ]);
  return { items, total: count[0]?.n ?? 0 };
}

export async function findTask(q: Queryable, actor: Actor, id: number): Promise<TaskRow | undefined> {
  return (await q.query<TaskRow>(sql`${SELECT} WHERE t.id = ${id} AND ${taskScope(actor)}`))[0];
}

/** Unscoped read under a row lock, inside a transaction that asserted access. */
export async function lockTask(q: Queryable, id: number): Promise<TaskRow | undefined> {
  return (await q.query<TaskRow>(sql`${SELECT} WHERE t.id = ${id} FOR UPDATE OF t`))[0];
}

export async function orgsOfTasks(q: Queryable, ids: readonly number[]): Promise<TaskOrgRow[]> {
  if (ids.length === 0) return [];
  return q.query<TaskOrgRow>(sql`SELECT x.task_id, x.role, o.id, o.name, o.path FROM task_orgs x
    JOIN orgs o ON o.id = x.org_id WHERE x.task_id = ANY(${[...ids]}::bigint[]) ORDER BY x.task_id, x.role, x.sort`);
}

export async function activeOrgs(
  q: Queryable,
  ids: readonly number[],
): Promise<{ id: number; name: string; status: string; path: string }[]> {
  if (ids.length === 0) return [];
  return q.query(sql`SELECT id, name, status, path FROM orgs WHERE id = ANY(${[...ids]}::bigint[])`);
}

export async function setTaskOrgs(
  q: Queryable,
  taskId: number,
  role: 'lead' | 'co' | 'owner',
  orgIds: number[],
) {
  await q.query(sql`DELETE FROM task_orgs WHERE task_id = ${taskId} AND role = ${role}`);
  for (const [i, orgId] of orgIds.entries())
    await q.query(
      sql`INSERT INTO task_orgs (task_id, org_id, role, sort) VALUES (${taskId}, ${orgId}, ${role}, ${i})`,
    );
}

export async function setMilestones(
  q: Queryable,
  taskId: number,
  list: { title: string; dueDate?: string | null; done: boolean }[],
) {
  await q.query(sql`DELETE FROM task_milestones WHERE task_id = ${taskId}`);
  for (const [i, m] of list.entries())
    await q.query(sql`INSERT INTO task_milestones (task_id, title, due_date, done, sort)
      VALUES (${taskId}, ${m.title}, ${m.dueDate ?? null}, ${m.done}, ${i})`);
}

/** Sets columns of a task, bumping its version. Column names are code, never input. */
export async function updateTask(q: Queryable, id: number, set: Record<string, unknown>, now: Date) {
  const parts = Object.entries(set).map(([k, v]) =>
    k === 'targets' ? sql`targets = ${v}::text[]` : sql`${sql.raw(k)} = ${v}`,
  );
  parts.push(sql`updated_at = ${now}`, sql`version = version + 1`);
  await q.query(sql`UPDATE tasks SET ${sql.join(parts)} WHERE id = ${id}`);
}
