import { timingSafeEqual } from 'node:crypto';
import { APPEAL_STATUSES, SATISFACTION, type Satisfaction } from '../../../shared/appeals/constants.js';
import type { PublicAppealView } from '../../../shared/contracts/appeals.js';
import { normalizeTrackingCode } from '../../../shared/trackingCode.js';
import type { Actor, Ctx } from '../../platform/actor.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { exceeded, hit } from '../../platform/throttle.js';
import { applyStep } from './actions.js';
import { appealConfig } from './config.js';
import { visited } from './handlers.js';
import { type AppealRow, byTrackingCode } from './repo.js';

/** Who acts on the public endpoints: nobody signed in. */
export const PUBLIC_ACTOR: Actor = {
  userId: 0,
  username: 'public',
  displayName: '诉求人',
  orgId: 0,
  orgPath: '/',
  permissions: new Set(),
  scope: { kinds: [], all: false, orgIds: [], subtrees: [], self: false },
  via: 'system',
};

/** The one answer for a wrong code and for wrong phone digits: nothing tells which. */
export const trackingNotFound = () => new AppError('NOT_FOUND', '查询码或手机号码后四位不正确');

const DUMMY = Buffer.from('0000');

/**
 * Wrong phone digits allowed per tracking code, whatever the addresses they come from: 10
 * in 15 minutes and 30 in a day, so the 10,000 possible last-four values of a leaked code
 * take months instead of minutes (the code itself is 9 random symbols of 31, about 45 bits).
 */
export const LOOKUP_LIMITS = (code: string) => [
  { key: `lookup:15m:${code}`, max: 10, windowMs: 15 * 60_000 },
  { key: `lookup:1d:${code}`, max: 30, windowMs: 24 * 3600_000 },
];

/**
 * The appeal behind a tracking code, if the last four digits of its phone match. Wrong
 * digits count against the code (in the database, across processes); once its limit is
 * used up every attempt is refused, the right one too, until the window ends. `lock`: read
 * again under a row lock inside the caller's transaction, after a first call outside it
 * (which counted) — the counting is skipped then.
 */
export async function verifiedAppeal(
  q: Queryable,
  deps: Pick<Deps, 'db' | 'pii' | 'clock'>,
  code: string,
  phone4: string,
  lock = false,
): Promise<AppealRow> {
  const normalized = normalizeTrackingCode(code);
  const limits = normalized && !lock ? LOOKUP_LIMITS(normalized) : [];
  const now = deps.clock.now();
  if (await exceeded(deps.db, limits, now))
    throw new AppError('RATE_LIMITED', '该查询码的错误尝试次数过多，请稍后再试', {
      reason: 'tracking_attempts',
    });
  const a = normalized ? await byTrackingCode(q, normalized, lock) : undefined;
  const last4 = a ? Buffer.from(deps.pii.decrypt(a.phone_enc).replace(/\D/g, '').slice(-4)) : DUMMY;
  const given = Buffer.from(phone4.padStart(4, 'x').slice(0, 4));
  const same = last4.length === given.length && timingSafeEqual(last4, given);
  if (!a || !same) {
    await hit(deps.db, limits, now);
    throw trackingNotFound();
  }
  return a;
}

export function createPublicService(deps: Deps) {
  const { db } = deps;
  return {
    async view(code: string, phone4: string): Promise<PublicAppealView> {
      const a = await verifiedAppeal(db, deps, code, phone4);
      const cfg = await appealConfig(db);
      // a merged appeal shows the answer of the appeal it was merged into
      const main = a.merged_into ? ((await mainAppeal(db, a.merged_into)) ?? a) : a;
      const events = await db.query<{ at: Date; public_text: string }>(
        sql`SELECT at, public_text FROM appeal_events WHERE appeal_id = ${a.id} AND public_text IS NOT NULL ORDER BY id`,
      );
      const replyOrg = main.reply_org_id
        ? (await db.query<{ name: string }>(sql`SELECT name FROM orgs WHERE id = ${main.reply_org_id}`))[0]
        : undefined;
      const dispatched = a.status !== 'pending_dispatch';
      return {
        trackingCode: a.tracking_code,
        status: a.status,
        statusLabel: APPEAL_STATUSES[a.status],
        categoryName: cfg.categories.get(a.category_code)?.name ?? a.category_code,
        orgName: dispatched ? main.org_name : null,
        createdAt: a.created_at.toISOString(),
        dueAt: a.due_at?.toISOString() ?? null,
        reply:
          main.reply && main.replied_at
            ? { text: main.reply, at: main.replied_at.toISOString(), orgName: replyOrg?.name ?? null }
            : null,
        history: events.map((e) => ({ at: e.at.toISOString(), text: e.public_text })),
        satisfaction: a.satisfaction as Satisfaction | null,
        satisfactionLabel: a.satisfaction ? SATISFACTION[a.satisfaction as Satisfaction] : null,
        canRate: a.status === 'replied',
      };
    },

    async rate(
      ip: string | null,
      requestId: string,
      code: string,
      body: { phone4: string; satisfaction: Satisfaction; comment?: string },
    ): Promise<void> {
      const cfg = await appealConfig(db);
      const ctx: Ctx = { actor: PUBLIC_ACTOR, requestId, ip, now: deps.clock.now() };
      await verifiedAppeal(db, deps, code, body.phone4); // counts a wrong attempt
      await db.tx(async (tx) => {
        const a = await verifiedAppeal(tx, deps, code, body.phone4, true);
        await applyStep(
          db,
          tx,
          ctx,
          cfg,
          a,
          'rate',
          { kind: 'submitter' },
          async (s) => visited(s, body.satisfaction, 'submitter', body.comment ?? null),
          { note: body.comment ?? null },
        );
      });
    },
  };
}

async function mainAppeal(q: Queryable, id: number) {
  return (
    await q.query<AppealRow>(sql`SELECT a.*, o.name AS org_name FROM appeals a JOIN orgs o ON o.id = a.org_id
    WHERE a.id = ${id}`)
  )[0];
}
