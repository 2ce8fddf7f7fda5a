import type { OrgListQuery } from '../../../shared/contracts/orgs.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { likeEscape, toSimplified } from '../../platform/text.js';

export interface OrgRow {
  id: number;
  parent_id: number | null;
  path: string;
  depth: number;
  name: string;
  type: string;
  level: string;
  region_code: string;
  region_name: string | null;
  status: 'active' | 'inactive';
  takes_appeals: boolean;
  contact_name: string | null;
  contact_phone: string | null;
  sort: number;
  version: number;
  has_children: boolean;
  parent_in_scope: boolean;
}

const scopeOf = (actor: Actor, alias = 'o') =>
  scopeWhere(actor, { orgId: sql.raw(`${alias}.id`), path: sql.raw(`${alias}.path`) });

/**
 * The columns of an organization as `actor` sees it: children and parent count only when
 * they are inside the actor's scope (a county user's tree stops at the county).
 */
const select = (actor: Actor) => sql`SELECT o.id, o.parent_id, o.path, o.depth, o.name, o.type, o.level,
    o.region_code, r.name AS region_name, o.status, o.takes_appeals, o.contact_name, o.contact_phone, o.sort,
    o.version,
    EXISTS (SELECT 1 FROM orgs c WHERE c.parent_id = o.id AND ${scopeOf(actor, 'c')}) AS has_children,
    EXISTS (SELECT 1 FROM orgs p WHERE p.id = o.parent_id AND ${scopeOf(actor, 'p')}) AS parent_in_scope
  FROM orgs o LEFT JOIN regions r ON r.code = o.region_code`;

const LOCK_SELECT = sql`SELECT o.id, o.parent_id, o.path, o.depth, o.name, o.type, o.level, o.region_code,
    NULL AS region_name, o.status, o.takes_appeals, o.contact_name, o.contact_phone, o.sort, o.version,
    false AS has_children, false AS parent_in_scope
  FROM orgs o`;

export async function findOrgs(
  q: Queryable,
  actor: Actor,
  f: OrgListQuery,
): Promise<{ items: OrgRow[]; total: number }> {
  const conds: Sql[] = [scopeOf(actor)];
  if (f.parentId === 'root') {
    // the tops of what the actor can see: no parent, or a parent outside scope
    conds.push(
      sql`(o.parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM orgs p WHERE p.id = o.parent_id AND ${scopeOf(actor, 'p')}))`,
    );
  } else if (f.parentId !== undefined) conds.push(sql`o.parent_id = ${f.parentId}`);
  if (f.type) conds.push(sql`o.type = ${f.type}`);
  if (f.level) conds.push(sql`o.level = ${f.level}`);
  if (f.status) conds.push(sql`o.status = ${f.status}`);
  if (f.q) {
    const plain = `%${likeEscape(f.q)}%`;
    const simp = `%${likeEscape(toSimplified(f.q))}%`;
    const ini = `${likeEscape(f.q.toLowerCase())}%`;
    conds.push(sql`(o.name ILIKE ${plain} OR o.name ILIKE ${simp} OR o.name_initials LIKE ${ini})`);
  }
  const where = sql.and(conds);
  const offset = (f.page - 1) * f.pageSize;
  const [items, count] = await Promise.all([
    q.query<OrgRow>(
      sql`${select(actor)} WHERE ${where} ORDER BY o.depth, o.sort, o.id LIMIT ${f.pageSize} OFFSET ${offset}`,
    ),
    q.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM orgs o WHERE ${where}`),
  ]);
  return { items, total: count[0]?.n ?? 0 };
}

/** One organization inside the actor's scope, or undefined. */
export async function findOrg(q: Queryable, actor: Actor, id: number): Promise<OrgRow | undefined> {
  const rows = await q.query<OrgRow>(sql`${select(actor)} WHERE o.id = ${id} AND ${scopeOf(actor)}`);
  return rows[0];
}

/**
 * Unscoped, locked read for checks inside a transaction that already asserted access.
 * Not for presenting: it leaves region name, children and parent scope unset.
 */
export async function lockOrg(q: Queryable, id: number): Promise<OrgRow | undefined> {
  const rows = await q.query<OrgRow>(sql`${LOCK_SELECT} WHERE o.id = ${id} FOR UPDATE OF o`);
  return rows[0];
}

/** Ancestors of an org (root first), limited to the actor's scope: for breadcrumbs. */
export async function findAncestors(
  q: Queryable,
  actor: Actor,
  path: string,
): Promise<{ id: number; name: string }[]> {
  const ids = path.split('/').filter(Boolean).map(Number).slice(0, -1);
  if (ids.length === 0) return [];
  return q.query(
    sql`SELECT o.id, o.name FROM orgs o WHERE o.id = ANY(${ids}::bigint[]) AND ${scopeOf(actor)} ORDER BY o.depth`,
  );
}

export async function nextOrgId(q: Queryable): Promise<number> {
  const r = await q.query<{ id: number }>(sql`SELECT nextval(pg_get_serial_sequence('orgs', 'id')) AS id`);
  return r[0]!.id;
}

export async function regionExists(q: Queryable, code: string): Promise<boolean> {
  return (await q.query(sql`SELECT 1 FROM regions WHERE code = ${code}`)).length > 0;
}

export async function hasActiveDescendants(q: Queryable, path: string): Promise<boolean> {
  const r = await q.query(
    sql`SELECT 1 FROM orgs WHERE path LIKE ${`${path}_%`} AND status = 'active' LIMIT 1`,
  );
  return r.length > 0;
}

/** Re-roots a subtree: every path under oldPath now starts with newPath. */
export async function movePaths(
  q: Queryable,
  oldPath: string,
  newPath: string,
  depthDelta: number,
): Promise<number> {
  const r = await q.query<{ n: number }>(sql`WITH moved AS (
      UPDATE orgs SET path = ${newPath} || substr(path, ${oldPath.length + 1}), depth = depth + ${depthDelta}
      WHERE path LIKE ${`${oldPath}%`} RETURNING 1)
    SELECT count(*)::int AS n FROM moved`);
  return r[0]?.n ?? 0;
}
