/**
 * Who sees and who manages a task.
 *
 * A task belongs to several organizations at once: its lead (牵头) and co (配合) units and
 * the deploying organization (owner). It is visible to
 *   - every actor whose data scope reaches one of those organizations or an ancestor of it
 *     (an ORG, CUSTOM or ORG_AND_BELOW scope at the unit itself or anywhere above it: the
 *     unit, its parent and the leadership above see the unit's tasks; a sibling does not);
 *   - the user who deployed it (created_by), whatever their scope;
 *   - ALL scope.
 * It is managed (edited, paused, resumed, reopened) only by holders of task:write whose
 * scope covers the deploying organization (or by its creator): a unit reports on a task
 * given to it but cannot rewrite it. Progress is reported by the lead and co units (or a
 * unit above them on their behalf). Supervision needs task:supervise and visibility.
 * `registerScopedEntity` takes one organization column, so tasks get this predicate of
 * their own, with the same contract as `assertAccess`: outside scope 404, no permission 403.
 */
import type { Permission } from '../../../shared/permissions.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { forbidden, notFound } from '../../platform/errors.js';

/** Path patterns that make an organization (by its path) "at or below" something in scope. */
function patternsOf(actor: Actor): string[] {
  const s = actor.scope;
  return [...s.subtrees.map((p) => `${p}%`), ...s.orgIds.map((id) => `%/${id}/%`)];
}

/** Whether an organization path (an SQL expression) is at or below the actor's scope. */
export function coversOrgPath(actor: Actor, path: Sql): Sql {
  if (actor.scope.all) return sql.raw('TRUE');
  const p = patternsOf(actor);
  return p.length === 0 ? sql.raw('FALSE') : sql`${path} LIKE ANY(${p}::text[])`;
}

/** The visibility predicate of tasks aliased `alias`. */
export function taskScope(actor: Actor, alias = 't'): Sql {
  if (actor.scope.all) return sql.raw('TRUE');
  const t = sql.raw(alias);
  const conds: Sql[] = [sql`${t}.created_by = ${actor.userId}`];
  if (patternsOf(actor).length > 0)
    conds.push(sql`EXISTS (SELECT 1 FROM task_orgs vx JOIN orgs vo ON vo.id = vx.org_id
      WHERE vx.task_id = ${t}.id AND ${coversOrgPath(actor, sql.raw('vo.path'))})`);
  return sql.or(conds);
}

/** Checks in one query that every task is visible (else 404), then the permission (else 403). */
export async function assertTaskAccess(
  q: Queryable,
  actor: Actor,
  permission: Permission,
  ids: readonly number[],
): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length > 0) {
    const r = await q.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM tasks t WHERE t.id = ANY(${unique}::bigint[]) AND ${taskScope(actor)}`,
    );
    if ((r[0]?.n ?? 0) !== unique.length) throw notFound('任务');
  }
  if (!actor.permissions.has(permission)) throw forbidden();
}

/** The manage predicate: the deploying organization is in the actor's (organization) scope, or they created it. */
export function manageScope(actor: Actor, alias = 't'): Sql {
  const t = sql.raw(alias);
  return sql.or([
    sql`${t}.created_by = ${actor.userId}`,
    scopeWhere(actor, { orgId: sql`${t}.owner_org_id` }),
  ]);
}

/** Visible (404 otherwise), task:write (403) and the deploying side (403). */
export async function assertManage(q: Queryable, actor: Actor, id: number): Promise<void> {
  await assertTaskAccess(q, actor, 'task:write', [id]);
  const r = await q.query(sql`SELECT 1 FROM tasks t WHERE t.id = ${id} AND ${manageScope(actor)}`);
  if (r.length === 0) throw forbidden('只有部署单位可以修改、暂缓或重新打开任务');
}
