import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import type { TransferListQuery } from '../../../../shared/contracts/people.js';
import { MEMBERSHIP_ROLES, type MembershipRole } from '../../../../shared/people/dicts.js';
import { checkIdentity } from '../../../../shared/people/identity.js';
import { MEMBERSHIP_RULES } from '../../../../shared/people/rules.js';
import {
  TRANSFER_ACTIONS,
  TRANSFER_STATUS,
  type TransferAction,
  type TransferSide,
  transitionOf,
} from '../../../../shared/people/transfers.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { conflict, forbidden, invalid, notFound, staleVersion } from '../../../platform/errors.js';
import { likeEscape } from '../../../platform/text.js';
import { orgBrief } from '../memberships/write.js';
import { idHashOf } from '../protect.js';
import { orgIdInScope } from '../scope.js';
import * as repo from './repo.js';

interface StartInput {
  membershipId?: number;
  idNumber?: string;
  toOrgId: number;
  reason?: string;
}

async function addEvent(
  tx: Queryable,
  ctx: Ctx,
  e: {
    transferId: number;
    action: TransferAction;
    from: string | null;
    to: string;
    side: TransferSide;
    note?: string | null;
  },
) {
  await tx.query(sql`INSERT INTO transfer_events (transfer_id, action, from_status, to_status, side, actor_id, actor_name, note, at)
    VALUES (${e.transferId}, ${e.action}, ${e.from}, ${e.to}, ${e.side}, ${ctx.actor.userId || null},
      ${ctx.actor.displayName}, ${e.note ?? null}, ${ctx.now})`);
}

export function createTransferService(deps: Deps) {
  const { db, pii } = deps;

  async function view(q: Queryable, ctx: Ctx, id: number) {
    const row = (await repo.getTransfer(q, ctx.actor, id))!;
    return repo.presentTransfer(row, (await repo.eventsOf(q, [id])).get(id) ?? [], ctx.actor);
  }

  /** The membership a receiver names by the person's full ID number: the live one of the target's type. */
  async function membershipByIdNumber(
    q: Queryable,
    ctx: Ctx,
    idNumber: string,
    type: string,
  ): Promise<number> {
    const r = checkIdentity(idNumber, {}, ctx.now);
    if (!r.ok) throw invalid(r.message, { field: 'idNumber' });
    const rows = await q.query<{
      id: number;
    }>(sql`SELECT m.id FROM memberships m JOIN persons p ON p.id = m.person_id
      JOIN orgs o ON o.id = m.org_id
      WHERE p.id_hash = ${idHashOf(pii, r.value.idNumber)} AND m.status = 'active' AND o.type = ${type}`);
    if (rows.length === 0) throw notFound('此人在同类组织的在册会籍');
    if (rows.length > 1) throw invalid('此人在多个同类组织有在册会籍，请由转出方发起转接');
    return rows[0]!.id;
  }

  return {
    async list(ctx: Ctx, f: TransferListQuery) {
      if (!ctx.actor.permissions.has('person:read') && !ctx.actor.permissions.has('membership:apply'))
        throw forbidden();
      const r = await repo.findTransfers(db, ctx.actor, f);
      const events = await repo.eventsOf(
        db,
        r.items.map((t) => t.id),
      );
      return {
        items: r.items.map((t) => repo.presentTransfer(t, events.get(t.id) ?? [], ctx.actor)),
        total: r.total,
      };
    },

    async get(ctx: Ctx, id: number) {
      if (!ctx.actor.permissions.has('person:read') && !ctx.actor.permissions.has('membership:apply')) {
        if (!(await repo.getTransfer(db, ctx.actor, id))) throw notFound('转接');
        throw forbidden();
      }
      if (!(await repo.getTransfer(db, ctx.actor, id))) throw notFound('转接');
      return view(db, ctx, id);
    },

    /**
     * Organizations a membership may move to: active ones of the same type, by name, whatever
     * the caller's scope (a transfer crosses counties; names of organizations are not secret).
     */
    async targets(ctx: Ctx, membershipId: number, q: string | undefined) {
      const m = (
        await db.query<{
          org_id: number;
          type: string;
          user_id: number | null;
          visible: boolean;
        }>(sql`SELECT m.org_id, o.type,
            p.user_id, ${orgIdInScope(ctx.actor, sql.raw('m.org_id'))} AS visible
          FROM memberships m JOIN orgs o ON o.id = m.org_id JOIN persons p ON p.id = m.person_id WHERE m.id = ${membershipId}`)
      )[0];
      if (!m || (!m.visible && m.user_id !== ctx.actor.userId)) throw notFound('会籍');
      if (!ctx.actor.permissions.has('membership:write') && !ctx.actor.permissions.has('membership:apply'))
        throw forbidden();
      const like = q ? sql`AND o.name LIKE ${`%${likeEscape(q)}%`}` : sql``;
      return db.query<{ id: number; name: string }>(sql`SELECT o.id, o.name FROM orgs o
        WHERE o.type = ${m.type} AND o.status = 'active' AND o.id <> ${m.org_id} ${like} ORDER BY o.depth, o.id LIMIT 20`);
    },

    /** 发起转接: by the sending side, the receiving side (naming the person by ID number) or the person. */
    async start(ctx: Ctx, input: StartInput) {
      if (!input.membershipId === !input.idNumber) throw invalid('请指定会籍或身份证号（二选一）');
      return db.tx(async (tx) => {
        const to = await orgBrief(tx, input.toOrgId);
        if (!to) throw notFound('接收组织');
        const byReceiver = !!input.idNumber;
        let membershipId = input.membershipId!;
        if (byReceiver) {
          const inScope = await tx.query<{ ok: boolean }>(
            sql`SELECT ${orgIdInScope(ctx.actor, sql`${to.id}::bigint`)} AS ok`,
          );
          if (!inScope[0]?.ok) throw notFound('接收组织');
          if (!ctx.actor.permissions.has('membership:write')) throw forbidden();
          membershipId = await membershipByIdNumber(tx, ctx, input.idNumber!, to.type);
        }
        const m = (
          await tx.query<{
            id: number;
            person_id: number;
            org_id: number;
            role: MembershipRole;
            status: string;
            user_id: number | null;
            as_sender: boolean;
            as_receiver: boolean;
          }>(sql`SELECT m.id, m.person_id, m.org_id, m.role, m.status, p.user_id,
              ${orgIdInScope(ctx.actor, sql.raw('m.org_id'))} AS as_sender,
              ${orgIdInScope(ctx.actor, sql`${to.id}::bigint`)} AS as_receiver
            FROM memberships m JOIN persons p ON p.id = m.person_id WHERE m.id = ${membershipId} FOR UPDATE OF m`)
        )[0];
        const mine = m && m.user_id === ctx.actor.userId;
        if (!m || (!byReceiver && !m.as_sender && !mine)) throw notFound('会籍');
        const sides = repo
          .sidesOf(
            { as_sender: !byReceiver && m.as_sender, as_receiver: byReceiver, person_user_id: m.user_id },
            ctx.actor,
            'start',
          )
          .filter((s) => !byReceiver || s === 'receiver');
        if (sides.length === 0) throw forbidden();
        const side = sides[0]!;
        const from = (await orgBrief(tx, m.org_id))!;
        if (m.status !== 'active') throw invalid('只有在册的会籍可以转接');
        if (to.id === from.id) throw invalid('接收组织不能是原组织', { field: 'toOrgId' });
        if (to.type !== from.type)
          throw invalid('只能转接到同类型的组织（如工会转工会、团组织转团组织）', {
            field: 'toOrgId',
            reason: 'type',
          });
        if (to.status !== 'active') throw invalid('接收组织已停用', { field: 'toOrgId' });
        if (!MEMBERSHIP_RULES[to.type].roles.includes(m.role))
          throw invalid('接收组织没有此身份', { field: 'toOrgId' });
        const live =
          await tx.query(sql`SELECT 1 FROM memberships WHERE person_id = ${m.person_id} AND org_id = ${to.id}
          AND role = ${m.role} AND status IN ('pending', 'active')`);
        if (live.length > 0) throw conflict(`此人已是接收组织的${MEMBERSHIP_ROLES[m.role]}`);
        const pending = await tx.query(
          sql`SELECT 1 FROM transfers WHERE membership_id = ${m.id} AND status = 'pending'`,
        );
        if (pending.length > 0) throw conflict('该会籍已有进行中的转接', { reason: 'pending' });
        const t = transitionOf(null, 'start')!;
        const ins = await tx.query<{
          id: number;
        }>(sql`INSERT INTO transfers (membership_id, person_id, from_org_id,
            to_org_id, role, initiated_by, status, reason, created_by, created_at, updated_at)
          VALUES (${m.id}, ${m.person_id}, ${from.id}, ${to.id}, ${m.role}, ${side}, ${t.to}, ${input.reason ?? null},
            ${ctx.actor.userId || null}, ${ctx.now}, ${ctx.now}) RETURNING id`);
        const id = ins[0]!.id;
        await addEvent(tx, ctx, {
          transferId: id,
          action: 'start',
          from: null,
          to: t.to,
          side,
          note: input.reason,
        });
        await audit(tx, ctx, {
          action: 'transfer.start',
          entityType: 'transfer',
          entityId: id,
          orgId: from.id,
          after: {
            membershipId: m.id,
            personId: m.person_id,
            fromOrgId: from.id,
            toOrgId: to.id,
            side,
            status: t.to,
          },
        });
        return view(tx, ctx, id);
      });
    },

    /** approve / reject (the receiver) or cancel (the sender or the person), by the state machine. */
    async act(
      ctx: Ctx,
      id: number,
      action: Exclude<TransferAction, 'start'>,
      b: { version: number; note?: string },
    ) {
      return db.tx(async (tx) => {
        const row = await repo.getTransfer(tx, ctx.actor, id, true);
        if (!row) throw notFound('转接');
        const t = transitionOf(row.status, action);
        if (!t) {
          // the state moved on since the caller read it (another side acted first): a conflict, not a bad request
          if (row.version !== b.version) throw staleVersion();
          throw invalid(`转接${TRANSFER_STATUS[row.status]}，不能${TRANSFER_ACTIONS[action]}`, {
            reason: 'state',
          });
        }
        const sides = repo.sidesOf(row, ctx.actor, action).filter((s) => t.by.includes(s));
        if (sides.length === 0)
          throw forbidden(action === 'cancel' ? '只有转出方或本人可以撤回转接' : '只有接收方可以审批转接');
        if (row.version !== b.version) throw staleVersion();
        if (t.noteRequired && !b.note) throw invalid('请填写理由', { field: 'note' });
        let newMembershipId: number | null = null;
        if (action === 'approve') {
          const today = shanghaiYmd(ctx.now);
          const m = (
            await tx.query<{ status: string }>(
              sql`SELECT status FROM memberships WHERE id = ${row.membership_id} FOR UPDATE`,
            )
          )[0]!;
          if (m.status !== 'active') throw invalid('原会籍已不在册，不能完成转接');
          const to = (await orgBrief(tx, row.to_org_id))!;
          if (to.status !== 'active') throw invalid('接收组织已停用');
          const live = await tx.query(sql`SELECT 1 FROM memberships WHERE person_id = ${row.person_id}
            AND org_id = ${row.to_org_id} AND role = ${row.role} AND status IN ('pending', 'active')`);
          if (live.length > 0)
            throw conflict(`此人已是接收组织的${MEMBERSHIP_ROLES[row.role as MembershipRole]}`);
          await tx.query(sql`UPDATE memberships SET status = 'left', left_on = ${today},
              end_reason = ${`转出至${row.to_org_name}`}, version = version + 1, updated_at = ${ctx.now}
            WHERE id = ${row.membership_id}`);
          const ins = await tx.query<{
            id: number;
          }>(sql`INSERT INTO memberships (person_id, org_id, role, status, gender,
              birth_date, frontline, joined_on, note, created_at, updated_at)
            SELECT p.id, ${row.to_org_id}, ${row.role}, 'active', p.gender, p.birth_date, p.frontline, ${today},
              ${`由${row.from_org_name}转入`}, ${ctx.now}, ${ctx.now}
            FROM persons p WHERE p.id = ${row.person_id} RETURNING id`);
          newMembershipId = ins[0]!.id;
          // the record moves with the person when the sender was keeping it
          await tx.query(sql`UPDATE persons SET org_id = ${row.to_org_id}, version = version + 1, updated_at = ${ctx.now}
            WHERE id = ${row.person_id} AND org_id = ${row.from_org_id}`);
        }
        await tx.query(sql`UPDATE transfers SET status = ${t.to}, new_membership_id = COALESCE(${newMembershipId}::bigint, new_membership_id),
            version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`);
        await addEvent(tx, ctx, {
          transferId: id,
          action,
          from: row.status,
          to: t.to,
          side: sides[0]!,
          note: b.note,
        });
        await audit(tx, ctx, {
          action: `transfer.${action}`,
          entityType: 'transfer',
          entityId: id,
          orgId: action === 'cancel' ? row.from_org_id : row.to_org_id,
          before: { status: row.status, version: row.version },
          after: { status: t.to, side: sides[0], note: b.note ?? null, newMembershipId },
        });
        return view(tx, ctx, id);
      });
    },
  };
}
