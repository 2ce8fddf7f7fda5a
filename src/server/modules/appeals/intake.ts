import { randomBytes } from 'node:crypto';
import {
  APPEAL_STATUSES,
  type AppealChannel,
  type AppealPriority,
  type AppealStatus,
} from '../../../shared/appeals/constants.js';
import { indexGrams, statusToken } from '../../../shared/appeals/search.js';
import { computeDeadlines } from '../../../shared/appeals/sla.js';
import type { PublicAppealCreate } from '../../../shared/contracts/appeals.js';
import { maskName, maskPhone } from '../../../shared/mask.js';
import { parsePhone } from '../../../shared/rules/phone.js';
import { formatTrackingCode, newTrackingCode } from '../../../shared/trackingCode.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import { toSimplified } from '../../platform/text.js';
import { appealConfig, cachedLookup } from './config.js';
import { messageSubmitter, notifyHandlers } from './notify.js';
import { titleOf } from './present.js';
import { addEvents, type EventInput } from './repo.js';
import { routeAppeal } from './routing.js';

export type IntakeInput = PublicAppealCreate & { channel: AppealChannel; priority: AppealPriority };

export interface IntakeResult {
  id: number;
  trackingCode: string;
  status: AppealStatus;
  orgName: string | null;
  createdAt: Date;
  duplicate: boolean;
}

/** Same phone and same text within this window count as one appeal. */
export const DEDUPE_WINDOW_MS = 10 * 60_000;

/** Text for matching and search: Simplified, lower-case. */
export const searchable = (s: string) => toSimplified(s).toLowerCase();
const dedupeText = (s: string) => searchable(s).replace(/[\s\p{P}\p{S}]+/gu, '');

async function existing(q: Queryable, id: number): Promise<IntakeResult> {
  const r = await q.query<{
    id: number;
    tracking_code: string;
    status: AppealStatus;
    org_name: string;
    created_at: Date;
    dispatched: boolean;
  }>(
    sql`SELECT a.id, a.tracking_code, a.status, o.name AS org_name, a.created_at, a.status <> 'pending_dispatch' AS dispatched
      FROM appeals a JOIN orgs o ON o.id = a.org_id WHERE a.id = ${id}`,
  );
  const a = r[0]!;
  return {
    id: a.id,
    trackingCode: a.tracking_code,
    status: a.status,
    orgName: a.dispatched ? a.org_name : null,
    createdAt: a.created_at,
    duplicate: true,
  };
}

/**
 * Takes in one appeal from any channel, in one transaction: validation, de-duplication
 * (idempotency key, or same phone and text within minutes), routing, deadlines, history,
 * audit, notices to the handlers and an SMS with the tracking code.
 */
export async function intakeAppeal(
  deps: Pick<Deps, 'db' | 'pii'>,
  ctx: Ctx,
  input: IntakeInput,
  random: (n: number) => Uint8Array = (n) => randomBytes(n),
): Promise<IntakeResult> {
  const { db, pii } = deps;
  const cfg = await appealConfig(db);
  const category = cfg.category(input.categoryCode);
  const phone = parsePhone(input.phone);
  if (!phone.ok) throw invalid('联系电话格式不正确', { field: 'phone' });
  if (input.anonymous && input.name) throw invalid('匿名诉求请不要填写姓名', { field: 'name' });
  const phoneHash = pii.hash(phone.value);
  const dedupeHash = pii.hash(`${phone.value}|${dedupeText(input.content)}`);
  const region = await cachedLookup(db, `region:${input.regionCode}`, () =>
    db.query<{ name: string }>(sql`SELECT name FROM regions WHERE code = ${input.regionCode}`),
  );
  if (!region[0]) throw invalid('行政区划代码不存在', { field: 'regionCode' });
  const regionName = region[0].name;
  const text = searchable(input.content);
  const phoneEnc = pii.encrypt(phone.value);
  const nameEnc = input.name && !input.anonymous ? pii.encrypt(input.name) : null;
  return db.tx(async (tx) => {
    // one submitter's submissions one at a time, so double submits see each other
    await tx.query(sql`SELECT pg_advisory_xact_lock(7002, hashtext(${phoneHash}))`);
    const dup = await tx.query<{ id: number }>(
      input.idempotencyKey
        ? sql`SELECT id FROM appeals WHERE phone_hash = ${phoneHash} AND idempotency_key = ${input.idempotencyKey}`
        : sql`SELECT id FROM appeals WHERE dedupe_hash = ${dedupeHash}
            AND created_at > ${new Date(ctx.now.getTime() - DEDUPE_WINDOW_MS)} ORDER BY id LIMIT 1`,
    );
    if (dup[0]) return existing(tx, dup[0].id);

    const route = await routeAppeal(db, tx, cfg, {
      group: input.group,
      categoryCode: category.code,
      regionCode: input.regionCode,
      regionName,
    });
    const sla = cfg.slaOf(category.code, input.priority);
    const dl = route.auto ? computeDeadlines(cfg.calendar, ctx.now, sla) : null;
    const status: AppealStatus = route.auto ? 'dispatched' : 'pending_dispatch';
    const orgId = route.orgId ?? cfg.center.id;
    const code = newTrackingCode(random);
    const inserted = await tx.query<{
      id: number;
    }>(sql`INSERT INTO appeals (tracking_code, channel, group_key,
        category_code, priority, region_code, title, content, search_text, search_grams, name_enc, phone_enc, phone_hash,
        anonymous, confidential, status, org_id, routing, intake_user_id, idempotency_key, dedupe_hash, created_at,
        dispatched_at, updated_at, sign_due_at, return_due_at, due_at, warn_at)
      VALUES (${code}, ${input.channel}, ${input.group}, ${category.code}, ${input.priority}, ${input.regionCode},
        ${titleOf(input.content)}, ${input.content}, ${text}, ${[...indexGrams(text), statusToken(status)]}::text[],
        ${nameEnc}, ${phoneEnc}, ${phoneHash},
        ${input.anonymous}, ${input.confidential}, ${status}, ${orgId}, ${JSON.stringify(route)}::jsonb,
        ${ctx.actor.userId || null}, ${input.idempotencyKey ?? null}, ${dedupeHash}, ${ctx.now},
        ${route.auto ? ctx.now : null}, ${ctx.now}, ${dl?.signDueAt ?? null}, ${dl?.returnDueAt ?? null},
        ${dl?.dueAt ?? null}, ${dl?.warnAt ?? null})
      RETURNING id`);
    const id = inserted[0]!.id;
    const events: EventInput[] = [
      {
        appealId: id,
        at: ctx.now,
        actorId: ctx.actor.userId || null,
        actorName: ctx.actor.displayName,
        action: 'intake',
        fromStatus: null,
        toStatus: 'pending_dispatch',
        orgId: cfg.center.id,
        note: route.reason,
        publicText: `诉求已受理（${category.name}），查询码 ${formatTrackingCode(code)}`,
      },
    ];
    if (route.auto)
      events.push({
        appealId: id,
        at: ctx.now,
        actorId: null,
        actorName: '系统（自动派单）',
        action: 'dispatch',
        fromStatus: 'pending_dispatch',
        toStatus: 'dispatched',
        orgId: cfg.center.id,
        targetOrgId: orgId,
        note: route.reason,
        publicText: `已转交「${route.orgName}」办理`,
      });
    await addEvents(tx, events);
    const link = `/appeals/${id}`;
    if (route.auto)
      await notifyHandlers(db, tx, ctx, [orgId], {
        title: '新诉求待签收',
        body: `${category.name}：${titleOf(input.content)}`,
        link,
      });
    else
      await notifyHandlers(
        db,
        tx,
        ctx,
        [orgId],
        { title: '新诉求待派单', body: route.reason, link },
        'appeal:dispatch',
      );
    await messageSubmitter(tx, ctx, id, 'received');
    // last: the audit chain's lock is held until commit
    await audit(tx, ctx, {
      action: 'appeal.create',
      entityType: 'appeal',
      entityId: id,
      orgId,
      after: {
        trackingCode: code,
        channel: input.channel,
        group: input.group,
        categoryCode: category.code,
        regionCode: input.regionCode,
        status,
        orgId,
        name: input.name && !input.anonymous ? maskName(input.name) : null,
        phone: maskPhone(phone.value),
        anonymous: input.anonymous,
        confidential: input.confidential,
        routing: route.reason,
      },
    });
    return {
      id,
      trackingCode: code,
      status,
      orgName: route.orgName,
      createdAt: ctx.now,
      duplicate: false,
    };
  });
}

export const statusLabel = (s: AppealStatus) => APPEAL_STATUSES[s];
