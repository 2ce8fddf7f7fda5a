import type { Permission } from '../../shared/permissions.js';
import type { Actor } from './actor.js';
import { type Queryable, type Sql, sql } from './db/index.js';
import { forbidden, notFound } from './errors.js';

/**
 * Where a row's organization lives. `orgId` is the column holding the organization id,
 * `path` the materialized path when the row is itself an organization, `owner` the
 * column holding the creating user for SELF scope.
 */
export interface ScopeColumns {
  orgId: Sql;
  path?: Sql;
  owner?: Sql;
}

/** The data-scope predicate of an actor over rows described by `cols`. */
export function scopeWhere(actor: Actor, cols: ScopeColumns): Sql {
  const s = actor.scope;
  if (s.all) return sql.raw('TRUE');
  const conds: Sql[] = [];
  if (s.orgIds.length > 0) conds.push(sql`${cols.orgId} = ANY(${s.orgIds}::bigint[])`);
  if (s.subtrees.length > 0) {
    const patterns = s.subtrees.map((p) => `${p}%`);
    conds.push(
      cols.path
        ? sql`${cols.path} LIKE ANY(${patterns}::text[])`
        : sql`EXISTS (SELECT 1 FROM orgs so WHERE so.id = ${cols.orgId} AND so.path LIKE ANY(${patterns}::text[]))`,
    );
  }
  if (s.self)
    conds.push(cols.owner ? sql`${cols.owner} = ${actor.userId}` : sql`${cols.orgId} = ${actor.orgId}`);
  return sql.or(conds);
}

/** The entities whose rows are protected by data scope, and how to find their organization. */
const ENTITIES = {
  org: { table: sql.raw('orgs t'), cols: { orgId: sql.raw('t.id'), path: sql.raw('t.path') } },
  unit: { table: sql.raw('units t'), cols: { orgId: sql.raw('t.org_id') } },
  user: { table: sql.raw('users t'), cols: { orgId: sql.raw('t.org_id'), owner: sql.raw('t.id') } },
} satisfies Record<string, { table: Sql; cols: ScopeColumns }>;
export type ScopedEntity = keyof typeof ENTITIES;

/** Registers another module's entity (e.g. appeals) with its scope columns. */
export function registerScopedEntity(name: string, table: string, cols: ScopeColumns): void {
  (ENTITIES as Record<string, { table: Sql; cols: ScopeColumns }>)[name] = {
    table: sql.raw(`${table} t`),
    cols,
  };
}

/**
 * Checks, in one query, that every id is inside the actor's scope (else 404, so rows
 * outside scope are indistinguishable from missing ones) and then that the actor holds
 * the permission (else 403).
 */
export async function assertAccess(
  q: Queryable,
  actor: Actor,
  permission: Permission,
  entity: ScopedEntity | string,
  ids: readonly number[],
): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length > 0) {
    const e = (ENTITIES as Record<string, { table: Sql; cols: ScopeColumns }>)[entity];
    if (!e) throw new Error(`unknown scoped entity ${entity}`);
    const rows = await q.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ${e.table} WHERE t.id = ANY(${unique}::bigint[]) AND ${scopeWhere(actor, e.cols)}`,
    );
    if ((rows[0]?.n ?? 0) !== unique.length) throw notFound();
  }
  if (!actor.permissions.has(permission)) throw forbidden();
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!actor.permissions.has(permission)) throw forbidden();
}
