import type { Actor } from './actor.js';
import { type Queryable, sql } from './db/index.js';
import { forbidden } from './errors.js';

/**
 * How far an account reaches: its data scope with the organizations' paths, so that two
 * scopes can be compared (`scopeCovers`), and its permissions. Used where one account acts
 * on another (change, password reset, disable, unlock, its API tokens): the actor must hold
 * every permission and at least the scope of the target, or an organization administrator
 * could take over a wider account in its subtree.
 */
export interface OrgRef {
  id: number;
  path: string;
}

export interface ScopeSpec {
  all: boolean;
  /** exact organizations (CUSTOM, ORG) */
  orgs: OrgRef[];
  /** subtree path prefixes (ORG_AND_BELOW): `/1/5/` covers `/1/5/` and everything under it */
  subtrees: string[];
  /** SELF: the account's own records (and, where rows have no owner, its organization's) */
  self: OrgRef | null;
}

/**
 * Whether `outer` reaches every row `inner` reaches: ALL covers everything and only ALL
 * covers ALL; an exact organization is covered by the same organization or a subtree holding
 * it; a subtree only by a subtree at or above it (exact organizations do not cover the
 * organizations created under them later); SELF by a scope covering its organization (or the
 * same SELF).
 */
export function scopeCovers(outer: ScopeSpec, inner: ScopeSpec): boolean {
  if (outer.all) return true;
  if (inner.all) return false;
  const underSubtree = (path: string) => outer.subtrees.some((p) => path.startsWith(p));
  const orgCovered = (o: OrgRef) => outer.orgs.some((x) => x.id === o.id) || underSubtree(o.path);
  if (!inner.orgs.every(orgCovered)) return false;
  if (!inner.subtrees.every(underSubtree)) return false;
  if (inner.self && !orgCovered(inner.self) && outer.self?.id !== inner.self.id) return false;
  return true;
}

/** Whether `outer` holds every permission of `inner`. */
export const permissionsCover = (outer: ReadonlySet<string>, inner: Iterable<string>): boolean =>
  [...inner].every((p) => outer.has(p));

/** The scope of an actor, with the paths of its exact organizations. */
export async function actorScopeSpec(q: Queryable, actor: Actor): Promise<ScopeSpec> {
  const s = actor.scope;
  const orgs =
    s.orgIds.length === 0
      ? []
      : await q.query<OrgRef>(sql`SELECT id, path FROM orgs WHERE id = ANY(${s.orgIds}::bigint[])`);
  return {
    all: s.all,
    orgs: orgs.map((o) => ({ id: Number(o.id), path: o.path })),
    subtrees: [...s.subtrees],
    self: s.self ? { id: actor.orgId, path: actor.orgPath } : null,
  };
}

/** What a user's roles give (whatever the account's status), as for `loadActor`. */
export async function userReach(
  q: Queryable,
  userId: number,
): Promise<{ permissions: Set<string>; scope: ScopeSpec } | undefined> {
  const rows = await q.query<{
    org_id: number;
    path: string;
    permissions: string[] | null;
    data_scope: string | null;
    custom: OrgRef[] | null;
  }>(sql`SELECT u.org_id, o.path, r.permissions, r.data_scope,
      (SELECT json_agg(json_build_object('id', co.id, 'path', co.path)) FROM role_orgs ro
        JOIN orgs co ON co.id = ro.org_id WHERE ro.role_id = r.id) AS custom
    FROM users u JOIN orgs o ON o.id = u.org_id
    LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
    WHERE u.id = ${userId}`);
  const first = rows[0];
  if (!first) return undefined;
  const own: OrgRef = { id: Number(first.org_id), path: first.path };
  const scope: ScopeSpec = { all: false, orgs: [], subtrees: [], self: null };
  const permissions = new Set<string>();
  for (const r of rows) {
    if (!r.data_scope) continue;
    for (const p of r.permissions ?? []) permissions.add(p);
    if (r.data_scope === 'ALL') scope.all = true;
    else if (r.data_scope === 'CUSTOM')
      scope.orgs.push(...(r.custom ?? []).map((o) => ({ id: Number(o.id), path: o.path })));
    else if (r.data_scope === 'ORG') scope.orgs.push(own);
    else if (r.data_scope === 'ORG_AND_BELOW') scope.subtrees.push(own.path);
    else if (r.data_scope === 'SELF') scope.self = own;
  }
  return { permissions, scope };
}

/**
 * Refuses (403) when the target account holds a permission the actor does not, or reaches
 * rows the actor's scope does not. Call after the target was found in scope (else 404).
 */
export async function assertReachCovers(q: Queryable, actor: Actor, targetUserId: number): Promise<void> {
  if (targetUserId === actor.userId && actor.via !== 'token') return;
  const target = await userReach(q, targetUserId);
  if (!target) return;
  if (
    !permissionsCover(actor.permissions, target.permissions) ||
    !scopeCovers(await actorScopeSpec(q, actor), target.scope)
  )
    throw forbidden('该账号的权限或数据范围超出您本人的，不能由您修改、重置、停用或管理其令牌');
}
