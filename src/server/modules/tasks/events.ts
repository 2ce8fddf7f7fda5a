import type { Ctx } from '../../platform/actor.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import { type Notice, notify } from '../system/notices.js';

/** One line of a task's timeline (the electronic work log): every action leaves one. */
export async function addEvent(
  q: Queryable,
  ctx: Ctx,
  e: {
    taskId: number;
    action: string;
    orgId?: number | null;
    from?: string | null;
    to?: string | null;
    note?: string | null;
    data?: Record<string, unknown> | null;
  },
): Promise<void> {
  await q.query(sql`INSERT INTO task_events (task_id, at, actor_id, actor_name, org_id, action, from_status, to_status, note, data)
    VALUES (${e.taskId}, ${ctx.now}, ${ctx.actor.userId || null}, ${ctx.actor.displayName}, ${e.orgId ?? null},
      ${e.action}, ${e.from ?? null}, ${e.to ?? null}, ${e.note ?? null},
      ${e.data ? JSON.stringify(e.data) : null}::jsonb)`);
}

/** Active users of the organizations holding a permission through one of their roles. */
export async function usersOf(
  q: Queryable,
  orgIds: readonly number[],
  permission: string,
): Promise<number[]> {
  if (orgIds.length === 0) return [];
  const rows = await q.query<{ id: number }>(sql`SELECT DISTINCT u.id FROM users u
    JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
    WHERE u.org_id = ANY(${[...new Set(orgIds)]}::bigint[]) AND u.status = 'active'
      AND ${permission} = ANY(r.permissions) ORDER BY u.id`);
  return rows.map((r) => r.id);
}

/** The parents of organizations (for notices "visible to the unit and its parent"). */
export async function parentsOf(q: Queryable, orgIds: readonly number[]): Promise<number[]> {
  if (orgIds.length === 0) return [];
  const rows = await q.query<{ parent_id: number }>(
    sql`SELECT DISTINCT parent_id FROM orgs WHERE id = ANY(${[...orgIds]}::bigint[]) AND parent_id IS NOT NULL`,
  );
  return rows.map((r) => r.parent_id);
}

/** Notices to the responsible units (task:report) and, when asked, their parents (task:read). */
export async function notifyUnits(
  q: Queryable,
  ctx: Pick<Ctx, 'now'>,
  orgIds: readonly number[],
  n: Notice,
  opts: { parents?: boolean } = {},
): Promise<void> {
  const users = await usersOf(q, orgIds, 'task:report');
  if (opts.parents) users.push(...(await usersOf(q, await parentsOf(q, orgIds), 'task:read')));
  await notify(q, ctx, users, n);
}

/** Notices to the deploying organization (task:write). */
export async function notifyOwner(q: Queryable, ctx: Pick<Ctx, 'now'>, ownerOrgId: number, n: Notice) {
  await notify(q, ctx, await usersOf(q, [ownerOrgId], 'task:write'), n);
}
