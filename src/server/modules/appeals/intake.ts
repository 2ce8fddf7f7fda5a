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
import { auditInsert, freeChain, holdChain } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import { toSimplified } from '../../platform/text.js';
import { appealConfig } from './config.js';
import { handlersOf, messageRow, noticeRows, outboxInsert } from './notify.js';
import { titleOf } from './present.js';
import { type Col, type EventInput, eventsInsert, insertWhen, type OrgBrief } from './repo.js';
import { candidatesSql, decideRoute, ruleFor } from './routing.js';

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
 * Takes in one appeal from any channel, in one transaction: validation, de-duplication
 * (idempotency key, or same phone and text within minutes), routing, deadlines, history,
 * audit, notices to the handlers and an SMS with the tracking code.
 *
 * Two statements do it (each round trip costs more than the work, see docs/appeals.md,
 * "Performance"): the first takes the submitter's lock and an audit chain and reads an id,
 * the region and the routing candidates; the second — which sees whatever a concurrent
 * double submit committed before the lock was granted — inserts the appeal, its history,
 * the outbox rows and the audit event unless a duplicate exists, and returns the duplicate.
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
  const text = searchable(input.content);
  const dedupeHash = pii.hash(`${phone.value}|${dedupeText(text)}`);
  const phoneEnc = pii.encrypt(phone.value);
  const nameEnc = input.name && !input.anonymous ? pii.encrypt(input.name) : null;
  const where = { group: input.group, categoryCode: category.code, regionCode: input.regionCode };
  const rule = ruleFor(cfg, where);
  const sla = cfg.slaOf(category.code, input.priority);
  return db.tx(async (tx) => {
    // one submitter's submissions one at a time, so double submits see each other
    const pre = (
      await tx.query<{
        id: number;
        region: string | null;
        cands: OrgBrief[];
        chain: number | null;
      }>(sql`SELECT
        pg_advisory_xact_lock(7002, hashtext(${phoneHash})) AS locked,
        nextval(pg_get_serial_sequence('appeals', 'id')) AS id,
        (SELECT name FROM regions WHERE code = ${input.regionCode}) AS region,
        ${candidatesSql(rule, input.regionCode)} AS cands, ${freeChain} AS chain`)
    )[0]!;
    if (pre.region === null) throw invalid('行政区划代码不存在', { field: 'regionCode' });
    const chain = await holdChain(tx, pre.chain);
    const id = pre.id;
    const route = decideRoute(cfg, rule, pre.cands, { ...where, regionName: pre.region });
    const dl = route.auto ? computeDeadlines(cfg.calendar, ctx.now, sla) : null;
    const status: AppealStatus = route.auto ? 'dispatched' : 'pending_dispatch';
    const orgId = route.orgId ?? cfg.center.id;
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
    const handlers = await handlersOf(db, tx, [orgId], route.auto ? 'appeal:handle' : 'appeal:dispatch');
    const outbox = [...noticeRows(handlers, notice), messageRow(id, 'received')];
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
      nameEnc,
      phoneEnc,
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
    const inserted = sql`EXISTS (SELECT 1 FROM a)`;
    const r = await tx.query<{ dup: number | null }>(sql`WITH dup AS (${
      input.idempotencyKey
        ? sql`SELECT id FROM appeals WHERE phone_hash = ${phoneHash} AND idempotency_key = ${input.idempotencyKey}`
        : sql`SELECT id FROM appeals WHERE dedupe_hash = ${dedupeHash}
            AND created_at > ${new Date(ctx.now.getTime() - DEDUPE_WINDOW_MS)} ORDER BY id LIMIT 1`
    }),
      a AS (${insertWhen('appeals', APPEAL_COLS, [row], sql`NOT EXISTS (SELECT 1 FROM dup)`)} RETURNING id),
      e AS (${eventsInsert(events, inserted)}),
      o AS (${outboxInsert(outbox, ctx.now, inserted)}),
      au AS (${auditInsert(chain, ctx, auditEntry, inserted)})
      SELECT (SELECT id FROM dup) AS dup`);
    const dup = r[0]?.dup;
    if (dup !== null && dup !== undefined) return existing(tx, dup);
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
