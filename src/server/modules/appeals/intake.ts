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
import type { AuditEntry } from '../../platform/audit.js';
import { nextId } from '../../platform/db/index.js';
import type { Col } from '../../platform/db/rows.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, invalid } from '../../platform/errors.js';
import { toSimplified } from '../../platform/text.js';
import { type NoticeRow, noticeRows } from '../system/notices.js';
import { appealConfig } from './config.js';
import { writeIntakes } from './intake-write.js';
import { handlersOf } from './notify.js';
import { titleOf } from './present.js';
import type { EventInput } from './repo.js';
import { candidatesFor, decideRoute, regionNameOf, ruleFor } from './routing.js';

export type IntakeInput = PublicAppealCreate & { channel: AppealChannel; priority: AppealPriority };

export interface IntakeResult {
  id: number;
  trackingCode: string;
  status: AppealStatus;
  orgName: string | null;
  createdAt: Date;
  duplicate: boolean;
  /** refused by the phone's allowance (public intake): 'verify' = verify the phone first, 'full' = used up */
  refused?: 'verify' | 'full';
}

/** Same phone and same text within this window count as one appeal. */
export const DEDUPE_WINDOW_MS = 10 * 60_000;

/** Text for matching and search: Simplified, lower-case. */
export const searchable = (s: string) => toSimplified(s).toLowerCase();
/** The text compared for double submits, from the searchable text: no spacing or punctuation. */
const dedupeText = (searchableText: string) => searchableText.replace(/[\s\p{P}\p{S}]+/gu, '');

export const APPEAL_COLS: Col[] = [
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

/** An appeal checked, routed and ready to be written: its rows and the answer if it is new. */
export interface PreparedIntake {
  phoneHash: string;
  /** counted against the phone's allowance of public appeals (phoneQuota.ts) */
  quota: boolean;
  idempotencyKey: string | null;
  dedupeHash: string;
  /** older appeals of the same phone and text since then are duplicates */
  since: Date;
  /** the `appeals` row, in the order of APPEAL_COLS */
  row: unknown[];
  events: EventInput[];
  notices: NoticeRow[];
  audit: { ctx: Ctx; entry: AuditEntry };
  result: IntakeResult;
}

/**
 * Takes in one appeal from any channel: validation, de-duplication (idempotency key, or
 * same phone and text within minutes), routing, deadlines, history, audit, notices to the
 * handlers and an SMS with the tracking code.
 *
 * Everything it needs to know beforehand — the region, the routing candidates, the
 * handlers, the id — comes from caches and a reserved block of ids; one statement then
 * does the writing, shared with the intakes arriving at the same moment
 * (`intake-write.ts`; each round trip costs more than the work, see docs/appeals.md,
 * "Performance").
 */
export async function intakeAppeal(
  deps: Pick<Deps, 'db' | 'pii'>,
  ctx: Ctx,
  input: IntakeInput,
  random?: (n: number) => Uint8Array,
  opts: { quota?: boolean } = {},
): Promise<IntakeResult> {
  const prepared = await prepareIntake(deps, ctx, input, random);
  prepared.quota = opts.quota ?? false;
  const r = await writeIntakes(deps.db, prepared);
  if (r.refused === 'verify')
    throw new AppError('RATE_LIMITED', '该手机号码近期提交的诉求较多，请先获取短信验证码完成验证后再提交', {
      reason: 'phone_verification_required',
      field: 'phoneCode',
    });
  if (r.refused === 'full')
    throw new AppError('RATE_LIMITED', '该手机号码今日提交的诉求已达上限，请明日再试或拨打热线', {
      reason: 'phone_daily_limit',
    });
  return r;
}

export async function prepareIntake(
  deps: Pick<Deps, 'db' | 'pii'>,
  ctx: Ctx,
  input: IntakeInput,
  random: (n: number) => Uint8Array = (n) => randomBytes(n),
): Promise<PreparedIntake> {
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
  return {
    phoneHash,
    quota: false,
    idempotencyKey: input.idempotencyKey ?? null,
    dedupeHash,
    since: new Date(ctx.now.getTime() - DEDUPE_WINDOW_MS),
    row,
    events,
    notices: noticeRows(handlers, notice).map((n) => ({ ...n, key: id })),
    audit: { ctx, entry: auditEntry },
    result: { id, trackingCode: code, status, orgName: route.orgName, createdAt: ctx.now, duplicate: false },
  };
}

export const statusLabel = (s: AppealStatus) => APPEAL_STATUSES[s];
