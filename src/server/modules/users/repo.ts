import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { likeEscape } from '../../platform/text.js';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  org_id: number;
  org_name: string;
  phone_enc: string | null;
  status: 'active' | 'disabled';
  locked_until: Date | null;
  last_login_at: Date | null;
  version: number;
  roles: { id: number; key: string; name: string }[] | null;
}

const SELECT = sql`SELECT u.id, u.username, u.display_name, u.org_id, o.name AS org_name, u.phone_enc, u.status,
    u.locked_until, u.last_login_at, u.version,
    (SELECT json_agg(json_build_object('id', r.id, 'key', r.key, 'name', r.name) ORDER BY r.id)
       FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id) AS roles
  FROM users u JOIN orgs o ON o.id = u.org_id`;

export const userScope = (actor: Actor) =>
  scopeWhere(actor, { orgId: sql.raw('u.org_id'), owner: sql.raw('u.id') });

export async function findUsers(
  q: Queryable,
  actor: Actor,
  f: { orgId?: number; q?: string; status?: string; page: number; pageSize: number },
) {
  const conds: Sql[] = [userScope(actor)];
  if (f.orgId) conds.push(sql`u.org_id = ${f.orgId}`);
  if (f.status) conds.push(sql`u.status = ${f.status}`);
  if (f.q)
    conds.push(
      sql`(u.username ILIKE ${`%${likeEscape(f.q)}%`} OR u.display_name ILIKE ${`%${likeEscape(f.q)}%`})`,
    );
  const where = sql.and(conds);
  const [items, count] = await Promise.all([
    q.query<UserRow>(
      sql`${SELECT} WHERE ${where} ORDER BY u.id LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
    ),
    q.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM users u WHERE ${where}`),
  ]);
  return { items, total: count[0]?.n ?? 0 };
}

export async function getUser(q: Queryable, id: number, lock = false): Promise<UserRow | undefined> {
  return (
    await q.query<UserRow>(sql`${SELECT} WHERE u.id = ${id} ${sql.raw(lock ? 'FOR UPDATE OF u' : '')}`)
  )[0];
}

export interface RoleRow {
  id: number;
  key: string;
  name: string;
  permissions: string[];
  data_scope: 'ALL' | 'CUSTOM' | 'ORG' | 'ORG_AND_BELOW' | 'SELF';
  builtin: boolean;
  version: number;
  custom_org_ids: number[] | null;
}

export const ROLE_SELECT = sql`SELECT r.id, r.key, r.name, r.permissions, r.data_scope, r.builtin, r.version,
  (SELECT array_agg(ro.org_id ORDER BY ro.org_id) FROM role_orgs ro WHERE ro.role_id = r.id) AS custom_org_ids FROM roles r`;

export async function getRoles(q: Queryable, ids?: number[]): Promise<RoleRow[]> {
  return ids
    ? q.query<RoleRow>(sql`${ROLE_SELECT} WHERE r.id = ANY(${ids}::bigint[]) ORDER BY r.id`)
    : q.query<RoleRow>(sql`${ROLE_SELECT} ORDER BY r.id`);
}

export async function setUserRoles(q: Queryable, userId: number, roleIds: number[]) {
  await q.query(sql`DELETE FROM user_roles WHERE user_id = ${userId}`);
  await q.query(
    sql`INSERT INTO user_roles (user_id, role_id) SELECT ${userId}, unnest(${roleIds}::bigint[])`,
  );
}
