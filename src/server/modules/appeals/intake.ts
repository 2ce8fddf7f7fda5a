import { randomBytes } from 'node:crypto';
import {
  APPEAL_STATUSES,
  type AppealChannel,
  type AppealPriority,
  type AppealStatus,
} from '../../../shared/appeals/constants.js';
import { indexGrams, monthToken, statusToken } from '../../../shared/appeals/search.js';
import { computeDeadlines } from '../../../shared/appeals/sla.js';
import type { PublicAppealCreate } from '../../../shared/contracts/appeals.js';
import { maskName, maskPhone } from '../../../shared/mask.js';
import { parsePhone } from '../../../shared/rules/phone.js';
import { formatTrackingCode, newTrackingCode } from '../../../shared/trackingCode.js';
import type { Ctx } from '../../platform/actor.js';
import { auditInsert } from '../../platform/audit.js';
import { nextId, type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import { toSimplified } from '../../platform/text.js';
import { noticeRows, noticesInsert } from '../system/notices.js';
import { appealConfig } from './config.js';
import { handlersOf, messageRow, outboxInsert } from './notify.js';
import { titleOf } from './present.js';
import { type Col, type EventInput, eventsInsert, insertWhen } from './repo.js';
import { candidatesFor, decideRoute, regionNameOf, ruleFor } from './routing.js';

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
/** The text compared for double submits, from the searchable text: no spacing or punctuation. */
const dedupeText = (searchableText: string) => searchableText.replace(/[\s\p{P}\p{S}]+/gu, '');

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

const APPEAL_COLS: Col[] = [
  ['id', 'bigint'],
  ['tracking_code', 'text'],
  ['channel', 'text'],
  ['group_key', 'text'],
  ['category_code', 'text'],
  ['priority', 'text'],
  ['region_code', 'text'],
  ['title', 'text'],
  ['content', 'text'],
  ['search_text', 'text'],
  ['search_grams', 'text[]'],
  ['name_enc', 'text'],
  ['phone_enc', 'text'],
  ['phone_hash', 'text'],
  ['anonymous', 'boolean'],
  ['confidential', 'boolean'],
  ['status', 'text'],
  ['org_id', 'bigint'],
  ['routing', 'jsonb'],
  ['intake_user_id', 'bigint'],
  ['idempotency_key', 'text'],
  ['dedupe_hash', 'text'],
  ['created_at', 'timestamptz'],
  ['dispatched_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['sign_due_at', 'timestamptz'],
  ['return_due_at', 'timestamptz'],
  ['due_at', 'timestamptz'],
  ['warn_at', 'timestamptz'],
];

/**
 * Takes in one appeal from any channel: validation, de-duplication (idempotency key, or
 * same phone and text within minutes), routing, deadlines, history, audit, notices to the
 * handlers and an SMS with the tracking code.
 *
 * One statement does the writing, without BEGIN/COMMIT (each round trip costs more than
 * the work, see docs/appeals.md, "Performance"): everything it needs to know beforehand —
 * the region, the routing candidates, the handlers, the id — comes from caches and a
 * reserved block of ids. In it, `appeal_duplicate` waits for the submitter's lock and then
 * reads with a fresh snapshot, so a concurrent double submit is seen; the appeal, its
 * history, the notices, the outbox row and the audit event are written unless a
 * duplicate exists, which is returned instead.
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
  const regionName = await regionNameOf(db, input.regionCode);
  if (regionName === null) throw invalid('行政区划代码不存在', { field: 'regionCode' });
  const phoneHash = pii.hash(phone.value);
  const text = searchable(input.content);
  const dedupeHash = pii.hash(`${phone.value}|${dedupeText(text)}`);
  const where = { group: input.group, categoryCode: category.code, regionCode: input.regionCode };
  const rule = ruleFor(cfg, where);
  const cands = await candidatesFor(db, rule, input.regionCode);
  const route = decideRoute(cfg, rule, cands, { ...where, regionName });
  const dl = route.auto
    ? computeDeadlines(cfg.calendar, ctx.now, cfg.slaOf(category.code, input.priority))
    : null;
  const status: AppealStatus = route.auto ? 'dispatched' : 'pending_dispatch';
  const orgId = route.orgId ?? cfg.center.id;
  const handlers = await handlersOf(db, db, [orgId], route.auto ? 'appeal:handle' : 'appeal:dispatch');
  const id = await nextId(db, 'appeals');
  const code = newTrackingCode(random);
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
  const link = `/appeals/${id}`;
  const notice = route.auto
    ? { title: '新诉求待签收', body: `${category.name}：${titleOf(input.content)}`, link }
    : { title: '新诉求待派单', body: route.reason, link };
  const auditEntry = {
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
  };
  const row = [
    id,
    code,
    input.channel,
    input.group,
    category.code,
    input.priority,
    input.regionCode,
    titleOf(input.content),
    input.content,
    text,
    [...indexGrams(text), statusToken(status), monthToken(ctx.now)],
    input.name && !input.anonymous ? pii.encrypt(input.name) : null,
    pii.encrypt(phone.value),
    phoneHash,
    input.anonymous,
    input.confidential,
    status,
    orgId,
    JSON.stringify(route),
    ctx.actor.userId || null,
    input.idempotencyKey ?? null,
    dedupeHash,
    ctx.now,
    route.auto ? ctx.now : null,
    ctx.now,
    dl?.signDueAt,
    dl?.returnDueAt,
    dl?.dueAt,
    dl?.warnAt,
  ];
  const since = new Date(ctx.now.getTime() - DEDUPE_WINDOW_MS);
  const inserted = sql`EXISTS (SELECT 1 FROM a)`;
  const r = await db.query<{ dup: number | null }>(
    sql`WITH
      dup AS (SELECT appeal_duplicate(${phoneHash}, ${input.idempotencyKey ?? null}::text, ${dedupeHash}, ${since}) AS id),
      a AS (${insertWhen('appeals', APPEAL_COLS, [row], sql`(SELECT id FROM dup) IS NULL`)} RETURNING id),
      e AS (${eventsInsert(events, inserted)}),
      n AS (${noticesInsert(noticeRows(handlers, notice), ctx.now, inserted)}),
      o AS (${outboxInsert([messageRow(id, 'received')], ctx.now, inserted)}),
      au AS (${auditInsert(ctx, auditEntry, inserted)})
    SELECT (SELECT id FROM dup) AS dup`.prepared(),
  );
  const dup = r[0]?.dup;
  if (dup !== null && dup !== undefined) return existing(db, Number(dup));
  return { id, trackingCode: code, status, orgName: route.orgName, createdAt: ctx.now, duplicate: false };
}

export const statusLabel = (s: AppealStatus) => APPEAL_STATUSES[s];
