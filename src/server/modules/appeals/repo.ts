import type { AppealStatus } from '../../../shared/appeals/constants.js';
import { registerScopedEntity, scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { type Col, insertRows } from '../../platform/db/rows.js';

// an appeal belongs to the organization holding it; a co-handling part to its unit
registerScopedEntity('appeal', 'appeals', { orgId: sql.raw('t.org_id') });
registerScopedEntity('appeal_assist', 'appeal_assists', { orgId: sql.raw('t.org_id') });

export interface AppealRow {
  id: number;
  tracking_code: string;
  channel: string;
  group_key: string;
  category_code: string;
  priority: 'normal' | 'urgent';
  region_code: string;
  region_name: string | null;
  title: string;
  content: string;
  name_enc: string | null;
  phone_enc: string;
  phone_hash: string;
  anonymous: boolean;
  confidential: boolean;
  status: AppealStatus;
  org_id: number;
  org_name: string;
  routing: { auto: boolean; reason: string; ruleId: number | null; ruleName: string | null };
  supervision_level: number;
  supervised_at: Date | null;
  created_at: Date;
  dispatched_at: Date | null;
  accepted_at: Date | null;
  replied_at: Date | null;
  visited_at: Date | null;
  closed_at: Date | null;
  sign_due_at: Date | null;
  return_due_at: Date | null;
  due_at: Date | null;
  warn_at: Date | null;
  visit_due_at: Date | null;
  signed_in_time: boolean | null;
  replied_in_time: boolean | null;
  suspended_at: Date | null;
  extension_requested_days: number | null;
  extension_reason: string | null;
  extension_days: number;
  reply: string | null;
  reply_org_id: number | null;
  satisfaction: string | null;
  satisfaction_source: string | null;
  visit_note: string | null;
  reopen_count: number;
  merged_into: number | null;
  merged_code: string | null;
  version: number;
}

/** The appeal's own organization in the actor's scope. */
export const appealScope = (actor: Actor, alias = 'a') =>
  scopeWhere(actor, { orgId: sql.raw(`${alias}.org_id`) });

/** Readable: held by an organization in scope, or co-handled by one. */
export const readScope = (actor: Actor, alias = 'a') =>
  actor.scope.all
    ? sql.raw('TRUE')
    : sql`(${appealScope(actor, alias)} OR EXISTS (SELECT 1 FROM appeal_assists x WHERE x.appeal_id = ${sql.raw(`${alias}.id`)} AND ${scopeWhere(actor, { orgId: sql.raw('x.org_id') })}))`;

export const SELECT = sql`SELECT a.*, r.name AS region_name, o.name AS org_name, m.tracking_code AS merged_code
  FROM appeals a JOIN orgs o ON o.id = a.org_id LEFT JOIN regions r ON r.code = a.region_code
  LEFT JOIN appeals m ON m.id = a.merged_into`;

export async function findAppeal(q: Queryable, actor: Actor, id: number): Promise<AppealRow | undefined> {
  return (await q.query<AppealRow>(sql`${SELECT} WHERE a.id = ${id} AND ${readScope(actor)}`))[0];
}

/** Unscoped, locked read inside a transaction that already asserted access. */
export async function lockAppeal(q: Queryable, id: number): Promise<AppealRow | undefined> {
  // lock alone first: a locking read with joins would drop a row whose org_id changed while it waited
  const locked = await q.query(sql`SELECT id FROM appeals WHERE id = ${id} FOR UPDATE`);
  if (locked.length === 0) return undefined;
  return (await q.query<AppealRow>(sql`${SELECT} WHERE a.id = ${id}`))[0];
}

export async function byTrackingCode(
  q: Queryable,
  code: string,
  lock = false,
): Promise<AppealRow | undefined> {
  if (lock) {
    const r = await q.query<{ id: number }>(
      sql`SELECT id FROM appeals WHERE tracking_code = ${code} FOR UPDATE`,
    );
    return r[0] ? lockAppeal(q, r[0].id) : undefined;
  }
  return (await q.query<AppealRow>(sql`${SELECT} WHERE a.tracking_code = ${code}`))[0];
}

/** Sets columns of an appeal and bumps its version. Column names are code, never input. */
export async function updateAppeal(q: Queryable, id: number, set: Record<string, unknown>, now: Date) {
  const parts = Object.entries(set).map(([k, v]) => {
    if (!/^[a-z_]+$/.test(k)) throw new Error(`bad column ${k}`);
    return sql`${sql.raw(k)} = ${v}`;
  });
  parts.push(sql`updated_at = ${now}`, sql`version = version + 1`);
  await q.query(sql`UPDATE appeals SET ${sql.join(parts)} WHERE id = ${id}`);
}

export interface EventInput {
  appealId: number;
  at: Date;
  actorId: number | null;
  actorName: string;
  action: string;
  fromStatus: AppealStatus | null;
  toStatus: AppealStatus | null;
  orgId: number | null;
  targetOrgId?: number | null;
  note?: string | null;
  publicText?: string | null;
  data?: Record<string, unknown> | null;
}

export async function addEvent(q: Queryable, e: EventInput): Promise<number> {
  const r = await q.query<{ id: number }>(sql`INSERT INTO appeal_events
      (appeal_id, at, actor_id, actor_name, action, from_status, to_status, org_id, target_org_id, note, public_text, data)
    VALUES (${e.appealId}, ${e.at}, ${e.actorId}, ${e.actorName}, ${e.action}, ${e.fromStatus}, ${e.toStatus},
      ${e.orgId}, ${e.targetOrgId ?? null}, ${e.note ?? null}, ${e.publicText ?? null},
      ${e.data ? JSON.stringify(e.data) : null}::jsonb) RETURNING id`);
  return r[0]!.id;
}

/** Several events in one statement. */
export async function addEvents(q: Queryable, es: readonly EventInput[]): Promise<void> {
  const rows = es.map(
    (
      e,
    ) => sql`(${e.appealId}, ${e.at}, ${e.actorId}, ${e.actorName}, ${e.action}, ${e.fromStatus}, ${e.toStatus},
      ${e.orgId}, ${e.targetOrgId ?? null}, ${e.note ?? null}, ${e.publicText ?? null},
      ${e.data ? JSON.stringify(e.data) : null}::jsonb)`,
  );
  await q.query(sql`INSERT INTO appeal_events
      (appeal_id, at, actor_id, actor_name, action, from_status, to_status, org_id, target_org_id, note, public_text, data)
    VALUES ${sql.join(rows)}`);
}

export interface EventRow {
  id: number;
  at: Date;
  actor_name: string;
  action: string;
  from_status: AppealStatus | null;
  to_status: AppealStatus | null;
  org_name: string | null;
  target_org_name: string | null;
  note: string | null;
  public_text: string | null;
}

export async function eventsOf(q: Queryable, appealId: number): Promise<EventRow[]> {
  return q.query<EventRow>(sql`SELECT e.id, e.at, e.actor_name, e.action, e.from_status, e.to_status,
      o.name AS org_name, t.name AS target_org_name, e.note, e.public_text
    FROM appeal_events e LEFT JOIN orgs o ON o.id = e.org_id LEFT JOIN orgs t ON t.id = e.target_org_id
    WHERE e.appeal_id = ${appealId} ORDER BY e.id`);
}

export interface FileRow {
  id: number;
  event_id: number | null;
  name: string;
  mime: string;
  size: number;
  hash: string;
  created_at: Date;
}

export async function filesOf(q: Queryable, appealId: number): Promise<FileRow[]> {
  return q.query<FileRow>(
    sql`SELECT id, event_id, name, mime, size, hash, created_at FROM appeal_files WHERE appeal_id = ${appealId} ORDER BY id`,
  );
}

export interface AssistRow {
  id: number;
  appeal_id: number;
  org_id: number;
  org_name: string;
  status: 'pending' | 'done';
  request: string;
  reply: string | null;
  version: number;
}

export async function assistsOf(q: Queryable, appealId: number): Promise<AssistRow[]> {
  return q.query<AssistRow>(sql`SELECT x.id, x.appeal_id, x.org_id, o.name AS org_name, x.status, x.request, x.reply, x.version
    FROM appeal_assists x JOIN orgs o ON o.id = x.org_id WHERE x.appeal_id = ${appealId} ORDER BY x.id`);
}

export async function lockAssist(q: Queryable, id: number): Promise<AssistRow | undefined> {
  return (
    await q.query<AssistRow>(sql`SELECT x.id, x.appeal_id, x.org_id, o.name AS org_name, x.status, x.request, x.reply, x.version
      FROM appeal_assists x JOIN orgs o ON o.id = x.org_id WHERE x.id = ${id} FOR UPDATE OF x`)
  )[0];
}

export interface OrgBrief {
  id: number;
  name: string;
  type: string;
  level: string;
  region_code: string;
  status: string;
  takes_appeals: boolean;
}

/**
 * Organizations read for routing and dispatch. The orgs module exposes no service for
 * "which organization takes appeals here", so this read-only query lives here (see docs/appeals.md).
 */
export async function orgsByIds(q: Queryable, ids: readonly number[]): Promise<OrgBrief[]> {
  return q.query<OrgBrief>(
    sql`SELECT id, name, type, level, region_code, status, takes_appeals FROM orgs WHERE id = ANY(${[...ids]}::bigint[])`,
  );
}

/** Active users of the organizations holding a permission through a role (notice recipients). */
export async function usersWithPermission(
  q: Queryable,
  orgIds: readonly number[] | 'any',
  permission: string,
): Promise<number[]> {
  const where: Sql = orgIds === 'any' ? sql.raw('TRUE') : sql`u.org_id = ANY(${[...orgIds]}::bigint[])`;
  const rows = await q.query<{ id: number }>(sql`SELECT DISTINCT u.id FROM users u
    JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
    WHERE ${where} AND u.status = 'active' AND ${permission} = ANY(r.permissions) ORDER BY u.id LIMIT 200`);
  return rows.map((r) => r.id);
}

/** Every active user holding a permission through a role, by organization. */
export async function usersByOrgWithPermission(
  q: Queryable,
  permission: string,
): Promise<Map<number, number[]>> {
  const rows = await q.query<{ id: number; org_id: number }>(sql`SELECT DISTINCT u.id, u.org_id FROM users u
    JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
    WHERE u.status = 'active' AND ${permission} = ANY(r.permissions) ORDER BY u.id`);
  const m = new Map<number, number[]>();
  for (const r of rows) m.set(r.org_id, [...(m.get(r.org_id) ?? []), r.id]);
  return m;
}

const EVENT_COLS: Col[] = [
  ['appeal_id', 'bigint'],
  ['at', 'timestamptz'],
  ['actor_id', 'bigint'],
  ['actor_name', 'text'],
  ['action', 'text'],
  ['from_status', 'text'],
  ['to_status', 'text'],
  ['org_id', 'bigint'],
  ['target_org_id', 'bigint'],
  ['note', 'text'],
  ['public_text', 'text'],
  ['data', 'jsonb'],
];

/** The INSERT of history entries, for a larger statement (`insertRows`; `when` may name `x.appeal_id`). */
export const eventsInsert = (es: readonly EventInput[], when: Sql): Sql =>
  insertRows(
    'appeal_events',
    EVENT_COLS,
    es.map((e) => [
      e.appealId,
      e.at,
      e.actorId,
      e.actorName,
      e.action,
      e.fromStatus,
      e.toStatus,
      e.orgId,
      e.targetOrgId,
      e.note,
      e.publicText,
      e.data ? JSON.stringify(e.data) : null,
    ]),
    when,
  );
