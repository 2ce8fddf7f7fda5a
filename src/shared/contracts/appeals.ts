import { z } from 'zod';
import {
  APPEAL_CHANNELS,
  APPEAL_GROUPS,
  APPEAL_PRIORITIES,
  APPEAL_STATUSES,
  CATEGORY_KINDS,
  SATISFACTION,
} from '../appeals/constants.js';
import { APPEAL_ACTIONS } from '../appeals/machine.js';
import { ORG_LEVELS, ORG_TYPES } from '../orgs.js';
import { id, paging, regionCode, text, version } from './common.js';

const keys = <T extends Record<string, unknown>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const appealGroup = z.enum(keys(APPEAL_GROUPS));
export const appealChannel = z.enum(keys(APPEAL_CHANNELS));
export const appealPriority = z.enum(keys(APPEAL_PRIORITIES));
export const appealStatus = z.enum(keys(APPEAL_STATUSES));
export const satisfaction = z.enum(keys(SATISFACTION));
export const categoryKind = z.enum(keys(CATEGORY_KINDS));
export const appealAction = z.enum(keys(APPEAL_ACTIONS));
export const categoryCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,19}$/, '分类编码不正确');
export const light = z.enum(['green', 'yellow', 'red', 'none']);
const iso = z.string();

// ---------- public (no login) ----------

export const publicAppealCreate = z
  .object({
    content: text(2000, 5),
    group: appealGroup,
    categoryCode,
    regionCode,
    phone: text(30),
    name: text(30).optional(),
    anonymous: z.boolean().default(false),
    confidential: z.boolean().default(false),
    idempotencyKey: z
      .string()
      .regex(/^[\w-]{8,64}$/, '幂等键应为8到64位字母、数字、下划线或连字符')
      .optional(),
  })
  .strict();
export type PublicAppealCreate = z.infer<typeof publicAppealCreate>;

export const publicAppealCreated = z.object({
  trackingCode: z.string(),
  status: appealStatus,
  statusLabel: z.string(),
  orgName: z.string().nullable(),
  createdAt: iso,
  duplicate: z.boolean(),
});

export const trackingParam = z.object({ trackingCode: z.string().min(1).max(20) }).strict();
export const phone4Query = z.object({ phone4: z.string().regex(/^\d{4}$/, '请输入手机号码后四位') }).strict();

export const publicAppealView = z.object({
  trackingCode: z.string(),
  status: appealStatus,
  statusLabel: z.string(),
  categoryName: z.string(),
  orgName: z.string().nullable(),
  createdAt: iso,
  dueAt: iso.nullable(),
  reply: z.object({ text: z.string(), at: iso, orgName: z.string().nullable() }).nullable(),
  history: z.array(z.object({ at: iso, text: z.string() })),
  satisfaction: satisfaction.nullable(),
  satisfactionLabel: z.string().nullable(),
  canRate: z.boolean(),
});
export type PublicAppealView = z.infer<typeof publicAppealView>;

export const publicRating = z
  .object({
    phone4: z.string().regex(/^\d{4}$/, '请输入手机号码后四位'),
    satisfaction,
    comment: text(500).optional(),
  })
  .strict();

export const categoryNode: z.ZodType<CategoryNode> = z
  .lazy(() =>
    z.object({
      code: z.string(),
      name: z.string(),
      kind: categoryKind,
      children: z.array(categoryNode),
    }),
  )
  .meta({ id: 'CategoryNode', description: '诉求分类（含下级分类）' });
export interface CategoryNode {
  code: string;
  name: string;
  kind: z.infer<typeof categoryKind>;
  children: CategoryNode[];
}

// ---------- staff ----------

export const appealCreate = publicAppealCreate
  .extend({
    channel: z.enum(['hotline', 'visit', 'letter', 'api']),
    priority: appealPriority.default('normal'),
  })
  .strict();
export type AppealCreate = z.infer<typeof appealCreate>;

/** Statuses as a comma-separated list: `status=dispatched,accepted`. */
const statusList = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(appealStatus).max(20));

export const appealListQuery = z
  .object({
    q: text(60).optional(),
    status: statusList.optional(),
    categoryCode: categoryCode.optional(),
    group: appealGroup.optional(),
    channel: appealChannel.optional(),
    orgId: id.optional(),
    /** orgId and every organization below it */
    withChildren: z.enum(['true', 'false']).optional(),
    regionCode: regionCode.optional(),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    overdue: z.enum(['true', 'false']).optional(),
    light: light.optional(),
    supervision: z.coerce.number().int().min(1).max(3).optional(),
    trackingCode: z.string().max(20).optional(),
    priority: appealPriority.optional(),
    /** created: newest first (default); priority: 紧急 first, then newest; due: the earliest time limit first */
    sort: z.enum(['created', 'priority', 'due']).optional(),
    ...paging,
  })
  .strict();
export type AppealListQuery = z.infer<typeof appealListQuery>;

export const appealListItem = z.object({
  id: z.number(),
  trackingCode: z.string(),
  title: z.string(),
  status: appealStatus,
  statusLabel: z.string(),
  group: appealGroup,
  groupLabel: z.string(),
  categoryCode: z.string(),
  categoryName: z.string(),
  channel: appealChannel,
  channelLabel: z.string(),
  priority: appealPriority,
  regionCode: z.string(),
  regionName: z.string().nullable(),
  orgId: z.number(),
  orgName: z.string(),
  supervisionLevel: z.number(),
  supervisionLabel: z.string(),
  light,
  dueAt: iso.nullable(),
  createdAt: iso,
  repliedAt: iso.nullable(),
  satisfaction: satisfaction.nullable(),
  version: z.number(),
});
export type AppealListItem = z.infer<typeof appealListItem>;

export const appealEventView = z.object({
  id: z.number(),
  at: iso,
  actorName: z.string(),
  action: z.string(),
  actionLabel: z.string(),
  fromStatus: appealStatus.nullable(),
  toStatus: appealStatus.nullable(),
  orgName: z.string().nullable(),
  targetOrgName: z.string().nullable(),
  note: z.string().nullable(),
  publicText: z.string().nullable(),
  files: z.array(z.object({ id: z.number(), name: z.string(), size: z.number(), mime: z.string() })),
});

export const appealDetail = appealListItem.extend({
  content: z.string(),
  submitter: z.object({
    hidden: z.boolean(),
    name: z.string().nullable(),
    phone: z.string().nullable(),
    anonymous: z.boolean(),
    confidential: z.boolean(),
  }),
  routing: z.object({ auto: z.boolean(), reason: z.string(), ruleName: z.string().nullable() }),
  deadlines: z.object({
    signDueAt: iso.nullable(),
    returnDueAt: iso.nullable(),
    dueAt: iso.nullable(),
    warnAt: iso.nullable(),
    visitDueAt: iso.nullable(),
  }),
  reply: z.string().nullable(),
  extension: z.object({
    requestedDays: z.number().nullable(),
    reason: z.string().nullable(),
    approvedDays: z.number(),
  }),
  suspendedAt: iso.nullable(),
  reopenCount: z.number(),
  mergedInto: z.object({ id: z.number(), trackingCode: z.string() }).nullable(),
  visitNote: z.string().nullable(),
  events: z.array(appealEventView),
  assists: z.array(
    z.object({
      id: z.number(),
      orgId: z.number(),
      orgName: z.string(),
      status: z.enum(['pending', 'done']),
      request: z.string(),
      reply: z.string().nullable(),
      version: z.number(),
    }),
  ),
  files: z.array(z.object({ id: z.number(), name: z.string(), size: z.number(), mime: z.string(), at: iso })),
  abilities: z.object({ actions: z.array(appealAction), reveal: z.boolean() }),
});
export type AppealDetail = z.infer<typeof appealDetail>;

const base = { version, note: text(2000).optional(), fileIds: z.array(id).max(20).optional() };
const reason = text(1000, 2);

/** Bodies of the staff actions, by action. */
export const actionBodies = {
  dispatch: z.object({ ...base, orgId: id }).strict(),
  accept: z.object(base).strict(),
  return: z.object({ ...base, reason }).strict(),
  start: z.object(base).strict(),
  note: z.object({ ...base, note: text(2000) }).strict(),
  assist: z.object({ ...base, orgIds: z.array(id).min(1).max(10), note: text(1000) }).strict(),
  transfer: z.object({ ...base, orgId: id, reason }).strict(),
  extend_request: z.object({ ...base, days: z.number().int().min(1).max(30), reason }).strict(),
  extend_approve: z.object({ ...base, days: z.number().int().min(1).max(30).optional() }).strict(),
  extend_reject: z.object({ ...base, reason }).strict(),
  suspend: z.object({ ...base, reason }).strict(),
  resume: z.object(base).strict(),
  reply: z.object({ ...base, reply: text(4000, 2) }).strict(),
  visit: z.object({ ...base, satisfaction }).strict(),
  close: z.object(base).strict(),
  reopen: z.object({ ...base, reason }).strict(),
  supervise: z.object({ ...base, level: z.enum(['urge', 'supervise', 'listed']), note: text(1000) }).strict(),
  merge: z.object({ ...base, intoId: id }).strict(),
} as const;
export type StaffAction = keyof typeof actionBodies;
export type ActionBody<A extends StaffAction> = z.infer<(typeof actionBodies)[A]>;

export const assistReplyBody = z.object({ version, reply: text(2000, 2) }).strict();

export const byPhoneQuery = z.object({ phone: text(30) }).strict();

export const orgOption = z.object({
  id: z.number(),
  name: z.string(),
  type: z.enum(keys(ORG_TYPES)),
  level: z.enum(keys(ORG_LEVELS)),
});

/** The public form's submission: an appeal, and the SMS code when the phone must be verified (issue 12). */
export const publicAppealSubmit = publicAppealCreate
  .extend({
    phoneCode: z
      .string()
      .regex(/^\d{6}$/, '短信验证码应为6位数字')
      .optional(),
  })
  .strict();
export type PublicAppealSubmit = z.infer<typeof publicAppealSubmit>;

/** A request for an SMS verification code to a mobile number. */
export const phoneCodeRequest = z.object({ phone: text(30) }).strict();
