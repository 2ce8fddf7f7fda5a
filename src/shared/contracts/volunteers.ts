import { z } from 'zod';
import { ACTIVITY_KIND_LIST } from '../volunteers/rules.js';
import { id, paging, regionCode, text, version } from './common.js';

const iso = z.iso.datetime({ offset: true });
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const hours = z.number().positive('时长须大于0').max(24, '单次时长不能超过24小时');
const phone = z.string().trim().min(5).max(20);
const idNumber = z.string().trim().min(15).max(20);

export const shiftInput = z
  .object({
    startsAt: iso,
    endsAt: iso,
    capacity: z.number().int().min(1).max(100_000),
  })
  .strict();

export const activityCreate = z
  .object({
    orgId: id,
    coOrgIds: z.array(id).max(20).default([]),
    title: text(100),
    description: z.string().max(5000).default(''),
    kind: z.enum(ACTIVITY_KIND_LIST as [string, ...string[]]),
    regionCode,
    address: z.string().trim().max(200).default(''),
    lat: z.number().min(-90).max(90).nullable().default(null),
    lng: z.number().min(-180).max(180).nullable().default(null),
    geofenceM: z.number().int().min(50).max(50_000).nullable().default(null),
    minAge: z.number().int().min(0).max(120).nullable().default(null),
    maxAge: z.number().int().min(0).max(120).nullable().default(null),
    skills: z.array(text(30)).max(20).default([]),
    groups: z.array(text(30)).max(20).default([]),
    recruitFrom: iso,
    recruitUntil: iso,
    recordsHours: z.boolean().default(true),
    hoursPerShift: z.number().positive().max(24).nullable().default(null),
    needsApproval: z.boolean().default(true),
    shifts: z.array(shiftInput).min(1, '至少一个班次').max(50),
  })
  .strict();
export type ActivityCreate = z.infer<typeof activityCreate>;

export const shiftView = z.object({
  id: z.number(),
  seq: z.number(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number(),
  signedUp: z.number(),
  waitlisted: z.number(),
});

export const activityView = z.object({
  id: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  coOrgIds: z.array(z.number()),
  title: z.string(),
  description: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  regionCode: z.string(),
  address: z.string(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  geofenceM: z.number().nullable(),
  minAge: z.number().nullable(),
  maxAge: z.number().nullable(),
  skills: z.array(z.string()),
  groups: z.array(z.string()),
  recruitFrom: z.string(),
  recruitUntil: z.string(),
  recordsHours: z.boolean(),
  hoursPerShift: z.number().nullable(),
  needsApproval: z.boolean(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.string(),
  phase: z.enum(['upcoming', 'recruiting', 'waiting', 'ongoing', 'ended', 'closed', 'cancelled']),
  summary: z.string().nullable(),
  photos: z.array(z.string()),
  capacity: z.number(),
  signedUp: z.number(),
  pending: z.number(),
  version: z.number(),
  shifts: z.array(shiftView),
});
export type ActivityView = z.infer<typeof activityView>;

export const activityListQuery = z
  .object({
    ...paging,
    orgId: id.optional(),
    q: z.string().trim().max(50).optional(),
    phase: z.enum(['open', 'closed', 'cancelled']).optional(),
  })
  .strict();

export const activityAction = z
  .object({
    version,
    summary: z.string().trim().max(5000).optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
export const activityActionParams = z.object({ id, action: z.enum(['close', 'cancel']) }).strict();

export const signupView = z.object({
  id: z.number(),
  activityId: z.number(),
  shiftId: z.number(),
  shiftSeq: z.number(),
  personId: z.number(),
  name: z.string(),
  idMask: z.string(),
  phoneMask: z.string().nullable(),
  status: z.string(),
  statusLabel: z.string(),
  confirmedAt: z.string().nullable(),
  signedInAt: z.string().nullable(),
  signedOutAt: z.string().nullable(),
  signInVia: z.string().nullable(),
  farFlag: z.boolean(),
  farMeters: z.number().nullable(),
  noShow: z.boolean(),
  hours: z.number(),
  reason: z.string().nullable(),
  version: z.number(),
});
export type SignupView = z.infer<typeof signupView>;

export const signupActionParams = z
  .object({
    id,
    action: z.enum(['approve', 'reject', 'sign-in', 'sign-out', 'no-show', 'backfill']),
  })
  .strict();
export const signupActionBody = z
  .object({
    version,
    reason: z.string().trim().max(500).optional(),
    at: iso.optional(),
    hours: hours.optional(),
  })
  .strict();

export const checkinCode = z.object({
  shiftId: z.number(),
  token: z.string(),
  code6: z.string(),
  url: z.string(),
  expiresAt: z.string(),
});

export const messageBody = z.object({ body: text(300) }).strict();

// ---- public (no login) ----

export const publicActivityQuery = z
  .object({
    regionCode: regionCode.optional(),
    status: z.enum(['recruiting']).default('recruiting'),
  })
  .strict();

/** The stable contract of the public list. */
export const publicActivityItem = z.object({
  id: z.number(),
  title: z.string(),
  kind: z.string(),
  orgName: z.string(),
  regionCode: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number(),
  signedUp: z.number(),
});

export const publicActivityDetail = publicActivityItem.extend({
  kindLabel: z.string(),
  description: z.string(),
  address: z.string(),
  minAge: z.number().nullable(),
  maxAge: z.number().nullable(),
  skills: z.array(z.string()),
  recruitFrom: z.string(),
  recruitUntil: z.string(),
  recordsHours: z.boolean(),
  hoursPerShift: z.number().nullable(),
  recruiting: z.boolean(),
  shifts: z.array(shiftView),
});

export const smsCodeRequest = z.object({ phone }).strict();

export const publicSignup = z
  .object({
    shiftIds: z.array(id).min(1, '请选择班次').max(50),
    name: text(50),
    idNumber,
    phone,
    smsCode: z.string().regex(/^\d{6}$/, '验证码为6位数字'),
  })
  .strict();

export const passBody = z.object({ pass: z.string().min(20).max(100) }).strict();

export const publicSignupResult = z.object({
  pass: z.string(),
  signups: z.array(
    z.object({ id: z.number(), shiftId: z.number(), status: z.string(), statusLabel: z.string() }),
  ),
});

export const mySignup = z.object({
  id: z.number(),
  activityId: z.number(),
  title: z.string(),
  shiftId: z.number(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  confirmedAt: z.string().nullable(),
  signedInAt: z.string().nullable(),
  signedOutAt: z.string().nullable(),
  hours: z.number(),
});

export const publicCheckin = z
  .object({
    pass: z.string().min(20).max(100),
    action: z.enum(['in', 'out']),
    token: z.string().max(200).optional(),
    code: z
      .string()
      .regex(/^\d{6}$/, '签到码为6位数字')
      .optional(),
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
  })
  .strict();

export const checkinResult = z.object({
  signupId: z.number(),
  title: z.string(),
  action: z.enum(['in', 'out']),
  at: z.string(),
  farFlag: z.boolean(),
  hours: z.number(),
  message: z.string(),
});

// ---- hours ----

/** The stable contract of a person's hours. */
export const volunteerHours = z.object({
  total: z.number(),
  credited: z.number(),
  backfilled: z.number(),
  imported: z.number(),
  revoked: z.number(),
  stars: z.number().int().min(0).max(5),
});
export type VolunteerHours = z.infer<typeof volunteerHours>;

export const ledgerEntry = z.object({
  id: z.number(),
  kind: z.string(),
  kindLabel: z.string(),
  hours: z.number(),
  servedOn: z.string(),
  orgName: z.string(),
  activityId: z.number().nullable(),
  activityTitle: z.string().nullable(),
  reason: z.string().nullable(),
  source: z.string().nullable(),
  revokesId: z.number().nullable(),
  correctsId: z.number().nullable(),
  revoked: z.boolean(),
  createdAt: z.string(),
});

export const hoursImport = z
  .object({
    orgId: id,
    hours: z.number().positive().max(10_000),
    servedOn: ymd,
    source: text(200),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();

export const revokeBody = z.object({ reason: text(500) }).strict();
export const correctBody = z.object({ hours: z.number().positive().max(10_000), reason: text(500) }).strict();

export const myVolunteer = z.object({
  person: z.object({ id: z.number(), name: z.string(), idMask: z.string() }),
  hours: volunteerHours,
  nextStar: z.object({ stars: z.number(), hours: z.number() }).nullable(),
  ledger: z.array(ledgerEntry),
  signups: z.array(mySignup),
  fiveStar: z
    .object({ id: z.number(), status: z.string(), publicizeUntil: z.string().nullable() })
    .nullable(),
  certificates: z.array(z.object({ number: z.string(), issuedAt: z.string(), hours: z.number() })),
});

export const certificateIssue = z
  .object({
    orgId: id.optional(),
    from: ymd.optional(),
    to: ymd.optional(),
  })
  .strict();
export const certificateView = z.object({
  number: z.string(),
  hours: z.number(),
  issuedAt: z.string(),
  orgName: z.string(),
  pdfUrl: z.string(),
});
export const certificateParam = z.object({ number: z.string().min(1).max(40) }).strict();
export const certificateVerify = z.object({
  genuine: z.literal(true),
  number: z.string(),
  name: z.string(),
  idMask: z.string(),
  hours: z.number(),
  periodFrom: z.string().nullable(),
  periodTo: z.string(),
  orgName: z.string(),
  issuedAt: z.string(),
});

export const fiveStarApply = z.object({ statement: z.string().trim().max(2000).default('') }).strict();
export const fiveStarReview = z
  .object({ version, decision: z.enum(['approve', 'reject']), reason: z.string().trim().max(500).optional() })
  .strict();
export const fiveStarView = z.object({
  id: z.number(),
  personId: z.number(),
  name: z.string(),
  orgName: z.string(),
  status: z.string(),
  hoursAtApply: z.number(),
  statement: z.string(),
  publicizeUntil: z.string().nullable(),
  reason: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
});

export const treeStatsQuery = z.object({ orgId: id.optional() }).strict();
export const treeStatsRow = z.object({
  orgId: z.number(),
  orgName: z.string(),
  activities: z.number(),
  hours: z.number(),
  volunteers: z.number(),
  hoursPerVolunteer: z.number(),
});

export const ruleView = z.object({
  id: z.number(),
  regionPrefix: z.string(),
  validFrom: z.string(),
  minShare: z.number(),
  maxDailyHours: z.number(),
  excludedKinds: z.array(z.string()),
  travelExcluded: z.boolean(),
  starThresholds: z.array(z.number()),
  note: z.string().nullable(),
});
export const ruleCreate = z
  .object({
    regionPrefix: z.string().regex(/^\d{0,12}$/, '区划前缀应为0-12位数字'),
    validFrom: ymd,
    minShare: z.number().min(0).max(1),
    maxDailyHours: z.number().positive().max(24),
    excludedKinds: z
      .array(z.enum(ACTIVITY_KIND_LIST as [string, ...string[]]))
      .max(10)
      .default([]),
    travelExcluded: z.boolean().default(true),
    starThresholds: z.array(z.number().positive().max(100_000)).length(5),
    note: z.string().trim().max(200).optional(),
  })
  .strict();
