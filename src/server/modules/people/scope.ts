import type { Permission } from '../../../shared/permissions.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { forbidden, notFound } from '../../platform/errors.js';

/** The actor without SELF: for organization-based checks, where SELF must not mean "my organization". */
export const withoutSelf = (actor: Actor): Actor =>
  actor.scope.self ? { ...actor, scope: { ...actor.scope, self: false } } : actor;

/** An organization (alias.id, alias.path) inside the actor's scope (SELF excluded). */
export const orgInScope = (actor: Actor, alias: string): Sql =>
  scopeWhere(withoutSelf(actor), { orgId: sql.raw(`${alias}.id`), path: sql.raw(`${alias}.path`) });

/** Whether the organization with id `orgIdExpr` is inside the actor's scope. */
export const orgIdInScope = (actor: Actor, orgIdExpr: Sql): Sql =>
  actor.scope.all
    ? sql.raw('TRUE')
    : sql`EXISTS (SELECT 1 FROM orgs so WHERE so.id = ${orgIdExpr} AND ${orgInScope(actor, 'so')})`;

/**
 * A person is visible to an actor when the organization keeping the record is in scope, when
 * the person has a live membership (pending or active) in an organization in scope, or (SELF)
 * when the person is the actor.
 */
export function personScope(actor: Actor, alias = 'p'): Sql {
  if (actor.scope.all) return sql.raw('TRUE');
  const p = sql.raw(alias);
  const conds: Sql[] = [];
  if (actor.scope.orgIds.length > 0 || actor.scope.subtrees.length > 0) {
    conds.push(orgIdInScope(actor, sql`${p}.org_id`));
    conds.push(sql`EXISTS (SELECT 1 FROM memberships sm WHERE sm.person_id = ${p}.id
      AND sm.status IN ('pending', 'active') AND ${orgIdInScope(actor, sql.raw('sm.org_id'))})`);
  }
  if (actor.scope.self) conds.push(sql`${p}.user_id = ${actor.userId}`);
  return sql.or(conds);
}

/**
 * assertAccess for persons (whose visibility comes through memberships, not one column):
 * ids outside the scope → 404, inside without the permissions → 403. One query.
 */
export async function assertPersonAccess(
  q: Queryable,
  actor: Actor,
  permissions: Permission | Permission[],
  ids: readonly number[],
): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length > 0) {
    const rows = await q.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM persons p WHERE p.id = ANY(${unique}::bigint[]) AND ${personScope(actor)}`,
    );
    if ((rows[0]?.n ?? 0) !== unique.length) throw notFound('人员');
  }
  for (const p of Array.isArray(permissions) ? permissions : [permissions])
    if (!actor.permissions.has(p)) throw forbidden();
}
