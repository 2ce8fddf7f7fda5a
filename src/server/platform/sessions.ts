import { createHash, randomBytes } from 'node:crypto';
import type { DataScope, Permission } from '../../shared/permissions.js';
import { isPermission } from '../../shared/permissions.js';
import type { Actor, Scope } from './actor.js';
import { type Queryable, sql } from './db/index.js';

export const SESSION_COOKIE = 'niudai_sid';
export const CSRF_COOKIE = 'niudai_csrf';
export const SESSION_MAX_HOURS = 12;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const newToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

interface ActorRow {
  id: number;
  username: string;
  display_name: string;
  org_id: number;
  path: string;
  status: string;
  must_change_password: boolean;
  permissions: string[];
  data_scope: DataScope;
  custom: number[] | null;
}

/** Loads a user with the union of their roles' permissions and data scopes. */
export async function loadActor(q: Queryable, userId: number, via: Actor['via']): Promise<Actor | null> {
  const rows = await q.query<ActorRow>(sql`
    SELECT u.id, u.username, u.display_name, u.org_id, o.path, u.status, u.must_change_password, r.permissions, r.data_scope,
      (SELECT array_agg(ro.org_id) FROM role_orgs ro WHERE ro.role_id = r.id) AS custom
    FROM users u JOIN orgs o ON o.id = u.org_id
    LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
    WHERE u.id = ${userId}`);
  const first = rows[0];
  if (first?.status !== 'active') return null;
  const permissions = new Set<Permission>();
  const scope: Scope = { kinds: [], all: false, orgIds: [], subtrees: [], self: false };
  for (const r of rows) {
    if (!r.data_scope) continue;
    for (const p of r.permissions) if (isPermission(p)) permissions.add(p);
    if (!scope.kinds.includes(r.data_scope)) scope.kinds.push(r.data_scope);
    if (r.data_scope === 'ALL') scope.all = true;
    else if (r.data_scope === 'CUSTOM') scope.orgIds.push(...(r.custom ?? []).map(Number));
    else if (r.data_scope === 'ORG') scope.orgIds.push(first.org_id);
    else if (r.data_scope === 'ORG_AND_BELOW') scope.subtrees.push(first.path);
    else if (r.data_scope === 'SELF') scope.self = true;
  }
  scope.orgIds = [...new Set(scope.orgIds)];
  return {
    userId: first.id,
    username: first.username,
    displayName: first.display_name,
    orgId: first.org_id,
    orgPath: first.path,
    permissions,
    scope,
    via,
    mustChangePassword: first.must_change_password,
  };
}

export interface SessionInfo {
  actor: Actor;
  csrfToken: string | null;
}

/**
 * How long a request's activity may go unrecorded: the session's `last_seen_at` is written
 * only when it is older than this (a quarter of the idle limit, at most a minute), so an
 * active session costs at most one write per this interval, not one per request.
 */
export const activityWriteMs = (idleMinutes: number) => Math.min(60_000, (idleMinutes * 60_000) / 4);

/**
 * Resolves a session cookie: unknown, idle-expired or past its absolute lifetime → null.
 * Activity is written at most once per `activityWriteMs`, so the recorded last activity may
 * be up to that much older than the real one; the idle limit is therefore counted from the
 * recorded time plus that interval. An active user is never logged out before the idle limit
 * after their last request (with a 1-minute setting too); an idle one is logged out between
 * the limit and the limit plus the interval (30 min → 30–31 min; 1 min → 60–75 s).
 */
export async function resolveSession(
  q: Queryable,
  token: string,
  now: Date,
  idleMinutes: number,
  /** count the call as activity (not for a live stream, which must not keep a session open) */
  touch = true,
): Promise<SessionInfo | null> {
  const id = sha256(token);
  const rows = await q.query<{ user_id: number; csrf_token: string; last_seen_at: Date; expires_at: Date }>(
    sql`SELECT user_id, csrf_token, last_seen_at, expires_at FROM sessions WHERE id = ${id}`,
  );
  const s = rows[0];
  if (!s) return null;
  const writeMs = activityWriteMs(idleMinutes);
  const idleMs = now.getTime() - s.last_seen_at.getTime();
  if (idleMs > idleMinutes * 60_000 + writeMs || s.expires_at <= now) {
    await q.query(sql`DELETE FROM sessions WHERE id = ${id}`);
    return null;
  }
  if (touch && idleMs > writeMs)
    await q.query(sql`UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, ${now}) WHERE id = ${id}`);
  const actor = await loadActor(q, s.user_id, 'session');
  return actor ? { actor, csrfToken: s.csrf_token } : null;
}

/**
 * Whether a session is still alive, without counting as activity: a live stream (the bell's
 * events) must not keep an idle session open.
 */
export async function sessionAlive(
  q: Queryable,
  token: string,
  now: Date,
  idleMinutes: number,
): Promise<boolean> {
  const rows = await q.query<{ last_seen_at: Date; expires_at: Date }>(
    sql`SELECT last_seen_at, expires_at FROM sessions WHERE id = ${sha256(token)}`,
  );
  const s = rows[0];
  return !!s && now.getTime() - s.last_seen_at.getTime() <= idleMinutes * 60_000 && s.expires_at > now;
}

/** Resolves an integration token (`Authorization: Bearer nd_…`): its permissions narrow the user's. */
export async function resolveApiToken(q: Queryable, token: string, now: Date): Promise<Actor | null> {
  const rows = await q.query<{ id: number; user_id: number; permissions: string[] }>(sql`
    SELECT id, user_id, permissions FROM api_tokens
    WHERE token_hash = ${sha256(token)} AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${now})`);
  const t = rows[0];
  if (!t) return null;
  const actor = await loadActor(q, t.user_id, 'token');
  if (!actor) return null;
  await q.query(sql`UPDATE api_tokens SET last_used_at = ${now} WHERE id = ${t.id}`);
  const allowed = new Set(t.permissions);
  return { ...actor, permissions: new Set([...actor.permissions].filter((p) => allowed.has(p))) };
}
