import type { TransferListQuery, TransferView } from '../../../../shared/contracts/people.js';
import { MEMBERSHIP_ROLES, type MembershipRole } from '../../../../shared/people/dicts.js';
import {
  actionsFor,
  TRANSFER_ACTIONS,
  TRANSFER_SIDES,
  TRANSFER_STATUS,
  type TransferAction,
  type TransferSide,
  type TransferStatus,
} from '../../../../shared/people/transfers.js';
import type { Actor } from '../../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../../platform/db/index.js';
import { orgIdInScope } from '../scope.js';

export interface TransferRow {
  id: number;
  membership_id: number;
  person_id: number;
  person_name: string;
  person_id_mask: string;
  person_user_id: number | null;
  from_org_id: number;
  from_org_name: string;
  to_org_id: number;
  to_org_name: string;
  role: string;
  initiated_by: TransferSide;
  status: TransferStatus;
  reason: string | null;
  new_membership_id: number | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  /** the actor sees the sending / receiving organization, or is the person */
  as_sender: boolean;
  as_receiver: boolean;
}

interface EventRow {
  transfer_id: number;
  action: TransferAction;
  side: TransferSide;
  to_status: TransferStatus;
  actor_name: string;
  note: string | null;
  at: Date;
}

const select = (actor: Actor) => sql`SELECT t.id, t.membership_id, t.person_id, p.name AS person_name,
    p.id_mask AS person_id_mask, p.user_id AS person_user_id, t.from_org_id, fo.name AS from_org_name, t.to_org_id,
    tor.name AS to_org_name, t.role, t.initiated_by, t.status, t.reason, t.new_membership_id, t.version,
    t.created_at, t.updated_at,
    ${orgIdInScope(actor, sql.raw('t.from_org_id'))} AS as_sender,
    ${orgIdInScope(actor, sql.raw('t.to_org_id'))} AS as_receiver
  FROM transfers t JOIN persons p ON p.id = t.person_id
  JOIN orgs fo ON fo.id = t.from_org_id JOIN orgs tor ON tor.id = t.to_org_id`;

/** Both sides see a transfer, and so does the person. */
export function transferScope(actor: Actor): Sql {
  if (actor.scope.all) return sql.raw('TRUE');
  return sql.or([
    orgIdInScope(actor, sql.raw('t.from_org_id')),
    orgIdInScope(actor, sql.raw('t.to_org_id')),
    sql`p.user_id = ${actor.userId}`,
  ]);
}

export async function getTransfer(q: Queryable, actor: Actor, id: number, lock = false) {
  if (lock) await q.query(sql`SELECT id FROM transfers WHERE id = ${id} FOR UPDATE`);
  const rows = await q.query<TransferRow>(
    sql`${select(actor)} WHERE t.id = ${id} AND ${transferScope(actor)}`,
  );
  return rows[0];
}

export async function findTransfers(q: Queryable, actor: Actor, f: TransferListQuery) {
  const conds: Sql[] = [transferScope(actor)];
  if (f.orgId) conds.push(sql`(t.from_org_id = ${f.orgId} OR t.to_org_id = ${f.orgId})`);
  if (f.personId) conds.push(sql`t.person_id = ${f.personId}`);
  if (f.status) conds.push(sql`t.status = ${f.status}`);
  if (f.direction === 'in') conds.push(orgIdInScope(actor, sql.raw('t.to_org_id')));
  if (f.direction === 'out') conds.push(orgIdInScope(actor, sql.raw('t.from_org_id')));
  const where = sql.and(conds);
  const [items, count] = await Promise.all([
    q.query<TransferRow>(
      sql`${select(actor)} WHERE ${where} ORDER BY t.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
    ),
    q.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM transfers t JOIN persons p ON p.id = t.person_id WHERE ${where}`,
    ),
  ]);
  return { items, total: count[0]?.n ?? 0 };
}

export async function eventsOf(q: Queryable, ids: number[]): Promise<Map<number, EventRow[]>> {
  const rows =
    ids.length === 0
      ? []
      : await q.query<EventRow>(sql`SELECT transfer_id, action, side, to_status, actor_name, note, at
          FROM transfer_events WHERE transfer_id = ANY(${ids}::bigint[]) ORDER BY id`);
  const by = new Map<number, EventRow[]>();
  for (const r of rows) by.set(Number(r.transfer_id), [...(by.get(Number(r.transfer_id)) ?? []), r]);
  return by;
}

/** The sides an actor may act as on a transfer, given their visibility and permissions. */
export function sidesOf(
  r: Pick<TransferRow, 'as_sender' | 'as_receiver' | 'person_user_id'>,
  actor: Actor,
  action: TransferAction,
) {
  const orgPerm = action === 'approve' || action === 'reject' ? 'membership:approve' : 'membership:write';
  const sides: TransferSide[] = [];
  if (r.as_sender && actor.permissions.has(orgPerm)) sides.push('sender');
  if (r.as_receiver && actor.permissions.has(orgPerm)) sides.push('receiver');
  if (r.person_user_id === actor.userId && actor.permissions.has('membership:apply')) sides.push('person');
  return sides;
}

export function presentTransfer(r: TransferRow, events: EventRow[], actor: Actor): TransferView {
  const can = (a: TransferAction) => actionsFor(r.status, sidesOf(r, actor, a)).includes(a);
  return {
    id: r.id,
    person: { id: r.person_id, name: r.person_name, idNumber: r.person_id_mask },
    membershipId: r.membership_id,
    fromOrg: { id: r.from_org_id, name: r.from_org_name },
    toOrg: { id: r.to_org_id, name: r.to_org_name },
    role: r.role as MembershipRole,
    roleLabel: MEMBERSHIP_ROLES[r.role as MembershipRole] ?? r.role,
    initiatedBy: r.initiated_by,
    initiatedByLabel: TRANSFER_SIDES[r.initiated_by],
    status: r.status,
    statusLabel: TRANSFER_STATUS[r.status],
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
    history: events.map((e) => ({
      action: e.action,
      actionLabel: TRANSFER_ACTIONS[e.action],
      side: e.side,
      sideLabel: TRANSFER_SIDES[e.side],
      toStatus: e.to_status,
      actorName: e.actor_name,
      note: e.note,
      at: e.at.toISOString(),
    })),
    abilities: { approve: can('approve'), reject: can('reject'), cancel: can('cancel') },
  };
}
