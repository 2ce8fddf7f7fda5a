import { APPEAL_STATUSES, type AppealStatus } from '../../../shared/appeals/constants.js';
import {
  APPEAL_ACTIONS,
  type AppealAction,
  type Attempt,
  decide,
  transitionOf,
} from '../../../shared/appeals/machine.js';
import { statusToken } from '../../../shared/appeals/search.js';
import type { ActionBody, StaffAction } from '../../../shared/contracts/appeals.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Db, type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { conflict, forbidden, invalid, staleVersion } from '../../platform/errors.js';
import { closeNotices } from '../system/notices.js';
import { type AppealConfig, appealConfig } from './config.js';
import { handlerOf, type Step } from './handlers.js';
import { notifyHandlers } from './notify.js';
import { auditAppeal } from './present.js';
import { type AppealRow, addEvent, lockAppeal, lockAssist, updateAppeal } from './repo.js';

export function stateError(status: AppealStatus, action: AppealAction) {
  return conflict(`诉求当前为「${APPEAL_STATUSES[status]}」，不能${APPEAL_ACTIONS[action]}`, {
    reason: 'state',
    status,
  });
}

/** Checks the transition table: 403 for the wrong actor, 409 for the wrong status. */
export function checkTransition(action: AppealAction, status: AppealStatus, who: Attempt) {
  const d = decide(action, status, who);
  if (!d.ok) throw d.reason === 'forbidden' ? forbidden() : stateError(status, action);
  return d.to;
}

async function linkFiles(
  tx: Queryable,
  appealId: number,
  eventId: number,
  fileIds: readonly number[] | undefined,
) {
  if (!fileIds || fileIds.length === 0) return;
  const ids = [...new Set(fileIds)];
  const r = await tx.query(sql`UPDATE appeal_files SET event_id = ${eventId}
    WHERE id = ANY(${ids}::bigint[]) AND appeal_id = ${appealId} AND event_id IS NULL RETURNING id`);
  if (r.length !== ids.length) throw invalid('附件不存在或已被使用', { field: 'fileIds' });
}

/** Actions that move an appeal away from its organization without changing its status. */
const MOVES: ReadonlySet<AppealAction> = new Set(['transfer', 'merge']);

const SYSTEM_CLOSE: Attempt = { kind: 'staff', permissions: new Set(['appeal:dispatch']) };

/**
 * Runs one step of the lifecycle on a locked appeal: the table check, the action's own
 * work, the status, history, audit. Shared by staff actions, the submitter's rating and
 * the system's 催办.
 */
export async function applyStep(
  db: Db,
  tx: Queryable,
  ctx: Ctx,
  cfg: AppealConfig,
  a: AppealRow,
  action: AppealAction,
  who: Attempt,
  work: (s: Step) => Promise<void>,
  extra: { note?: string | null; fileIds?: readonly number[] } = {},
): Promise<AppealRow> {
  const to = checkTransition(action, a.status, who);
  // the notices about the appeal asked for the step it was waiting for: once it moves on (a new
  // status, another organization, merged away) they are done, everyone's; an action that
  // leaves it where it is closes only the actor's own (they have seen it)
  if ((to && to !== a.status) || MOVES.has(action)) await closeNotices(tx, ctx.now, `/appeals/${a.id}`);
  else if (ctx.actor.userId) await closeNotices(tx, ctx.now, `/appeals/${a.id}`, [ctx.actor.userId]);
  const s: Step = { db, tx, ctx, a, cfg, set: {} };
  await work(s);
  if (to) s.set.status = to;
  if (Array.isArray(s.set.search_grams)) s.set.search_grams = sql`${s.set.search_grams}::text[]`;
  else if (to && to !== a.status)
    s.set.search_grams = sql`array_append(array_remove(search_grams, ${statusToken(a.status)}), ${statusToken(to)})`;
  await updateAppeal(tx, a.id, s.set, ctx.now);
  const eventId = await addEvent(tx, {
    appealId: a.id,
    at: ctx.now,
    actorId: ctx.actor.userId || null,
    actorName: ctx.actor.displayName,
    action,
    fromStatus: a.status,
    toStatus: to ?? a.status,
    orgId: a.org_id,
    targetOrgId: s.targetOrgId ?? null,
    note: extra.note ?? null,
    publicText: s.publicText ?? null,
    data: s.data ?? null,
  });
  await linkFiles(tx, a.id, eventId, extra.fileIds);
  const after = (await lockAppeal(tx, a.id))!;
  await audit(tx, ctx, {
    action: `appeal.${action}`,
    entityType: 'appeal',
    entityId: a.id,
    orgId: after.org_id,
    before: auditAppeal(a),
    after: { ...auditAppeal(after), ...(s.data ?? {}) },
  });
  if (!s.thenClose) return after;
  // a satisfied return visit closes the appeal in the same transaction
  const sys: Ctx = { ...ctx, actor: { ...ctx.actor, userId: 0, displayName: '系统（满意自动办结）' } };
  return applyStep(db, tx, sys, cfg, after, 'close', SYSTEM_CLOSE, async (c) => {
    c.set.closed_at = ctx.now;
    c.publicText = '已办结';
  });
}

export function createActionService(deps: Pick<Deps, 'db'>) {
  const { db } = deps;
  return {
    /** A staff action on one appeal: 404 outside scope, 403 without permission, 409 stale or wrong state. */
    async act<A extends StaffAction>(ctx: Ctx, id: number, action: A, body: ActionBody<A>): Promise<void> {
      const t = transitionOf(action);
      const cfg = await appealConfig(db);
      const b = body as { note?: string; reason?: string; fileIds?: number[] };
      await db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, t.permission!, 'appeal', [id]);
        const a = (await lockAppeal(tx, id))!;
        if (a.version !== body.version) throw staleVersion();
        await applyStep(
          db,
          tx,
          ctx,
          cfg,
          a,
          action,
          { kind: 'staff', permissions: ctx.actor.permissions },
          (s) => handlerOf(action)(s, body),
          { note: b.reason ?? b.note ?? null, fileIds: b.fileIds },
        );
      });
    },

    /** A co-handling unit answers its part; returns the appeal id. */
    async assistReply(ctx: Ctx, assistId: number, body: { version: number; reply: string }): Promise<number> {
      const cfg = await appealConfig(db);
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'appeal:handle', 'appeal_assist', [assistId]);
        const x = (await lockAssist(tx, assistId))!;
        if (x.version !== body.version) throw staleVersion();
        if (x.status !== 'pending') throw conflict('该协办事项已答复');
        const a = (await lockAppeal(tx, x.appeal_id))!;
        const who: Attempt = { kind: 'staff', permissions: ctx.actor.permissions };
        await applyStep(
          db,
          tx,
          ctx,
          cfg,
          a,
          'assist_reply',
          who,
          async (s) => {
            await tx.query(sql`UPDATE appeal_assists SET reply = ${body.reply}, status = 'done',
              replied_at = ${ctx.now}, version = version + 1 WHERE id = ${assistId}`);
            s.data = { assistId, orgId: x.org_id };
            await notifyHandlers(db, tx, ctx, [a.org_id], {
              title: '协办单位已答复',
              body: `${x.org_name}：${body.reply.slice(0, 60)}`,
              link: `/appeals/${a.id}`,
            });
          },
          { note: `${x.org_name}：${body.reply}` },
        );
        return a.id;
      });
    },
  };
}
export type ActionService = ReturnType<typeof createActionService>;
