import { z } from 'zod';
import {
  DISABILITY_CATEGORIES,
  EDUCATION,
  GENDERS,
  HARDSHIP_LEVELS,
  MEMBERSHIP_ROLES,
  MEMBERSHIP_STATUS,
  PERSON_GROUPS,
  POLITICAL_STATUS,
} from '../people/dicts.js';
import { TRANSFER_ACTIONS, TRANSFER_SIDES, TRANSFER_STATUS } from '../people/transfers.js';
import { id, paging, regionCode, text, version } from './common.js';

const keys = <T extends Record<string, unknown>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
export const gender = z.enum(keys(GENDERS));
export const education = z.enum(keys(EDUCATION));
export const politicalStatus = z.enum(keys(POLITICAL_STATUS));
export const personGroup = z.enum(keys(PERSON_GROUPS));
export const disabilityCategory = z.enum(keys(DISABILITY_CATEGORIES));
export const hardshipLevel = z.enum(keys(HARDSHIP_LEVELS));
export const membershipRole = z.enum(keys(MEMBERSHIP_ROLES));
export const membershipStatus = z.enum(keys(MEMBERSHIP_STATUS));
export const transferStatus = z.enum(keys(TRANSFER_STATUS));
export const transferSide = z.enum(keys(TRANSFER_SIDES));
export const transferAction = z.enum(keys(TRANSFER_ACTIONS));
export const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

const personFields = {
  name: text(50),
  phone: text(30).nullable().optional(),
  ethnicity: text(20).nullable().optional(),
  education: education.nullable().optional(),
  politicalStatus: politicalStatus.nullable().optional(),
  frontline: z.boolean().optional(),
  groups: z.array(personGroup).max(20).optional(),
  disability: z
    .object({ category: disabilityCategory, grade: z.number().int().min(1).max(4) })
    .strict()
    .nullable()
    .optional(),
  hardshipLevel: hardshipLevel.nullable().optional(),
  employerUnitId: id.nullable().optional(),
  regionCode: regionCode.nullable().optional(),
  address: text(200).nullable().optional(),
};

export const personCreate = z
  .object({
    ...personFields,
    idNumber: z.string().trim().min(1).max(30),
    gender: gender.optional(),
    birthDate: ymd.optional(),
    /** the organization registering the person */
    orgId: id,
    /** also make the person a member of orgId (role defaults to the type's member role) */
    membership: z.object({ role: membershipRole.optional(), joinedOn: ymd.optional() }).strict().optional(),
  })
  .strict();

export const personUpdate = z.object({ ...personFields, name: text(50).optional(), version }).strict();

export const personListQuery = z
  .object({
    q: text(50).optional(),
    orgId: id.optional(),
    /** with the subtree of orgId */
    subtree: z.enum(['true', 'false']).optional(),
    role: membershipRole.optional(),
    group: personGroup.optional(),
    gender: gender.optional(),
    frontline: z.enum(['true', 'false']).optional(),
    employerUnitId: id.optional(),
    ...paging,
  })
  .strict();

export const personView = z.object({
  id: z.number(),
  name: z.string(),
  gender,
  genderLabel: z.string(),
  birthDate: z.string(),
  age: z.number(),
  /** masked: 110105********1234 */
  idNumber: z.string(),
  /** masked: 138****5678 */
  phone: z.string().nullable(),
  ethnicity: z.string().nullable(),
  education: education.nullable(),
  politicalStatus: politicalStatus.nullable(),
  frontline: z.boolean(),
  groups: z.array(z.object({ code: personGroup, label: z.string() })),
  disability: z
    .object({ category: disabilityCategory, categoryLabel: z.string(), grade: z.number() })
    .nullable(),
  hardshipLevel: hardshipLevel.nullable(),
  employer: z.object({ id: z.number(), name: z.string() }).nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  address: z.string().nullable(),
  orgId: z.number(),
  orgName: z.string(),
  version: z.number(),
  abilities: z.object({ update: z.boolean(), reveal: z.boolean(), apply: z.boolean() }),
});

export const membershipView = z.object({
  id: z.number(),
  personId: z.number(),
  personName: z.string(),
  orgId: z.number(),
  orgName: z.string(),
  orgType: z.string(),
  role: membershipRole,
  roleLabel: z.string(),
  status: membershipStatus,
  statusLabel: z.string(),
  joinedOn: z.string().nullable(),
  leftOn: z.string().nullable(),
  endReason: z.string().nullable(),
  note: z.string().nullable(),
  version: z.number(),
  abilities: z.object({ approve: z.boolean(), leave: z.boolean(), transfer: z.boolean() }),
});

export const personDetail = personView.extend({ memberships: z.array(membershipView) });

export const personCreated = personDetail.extend({ existing: z.boolean() });

export const revealBody = z.object({ reason: text(200).optional() }).strict();
export const revealView = z.object({ idNumber: z.string(), phone: z.string().nullable() });

export const membershipCreate = z
  .object({
    personId: id,
    orgId: id,
    role: membershipRole.optional(),
    joinedOn: ymd.optional(),
    note: text(200).optional(),
  })
  .strict();
export const membershipDecision = z.object({ version, note: text(200).optional() }).strict();
export const membershipLeave = z.object({ version, reason: text(100), leftOn: ymd.optional() }).strict();
export const membershipListQuery = z
  .object({
    orgId: id.optional(),
    personId: id.optional(),
    status: membershipStatus.optional(),
    role: membershipRole.optional(),
    ...paging,
  })
  .strict();
export const ageOutBody = z.object({ orgId: id }).strict();

/** by the sending side or the person: membershipId; by the receiving side: the person's full ID number */
export const transferCreate = z
  .object({
    membershipId: id.optional(),
    idNumber: z.string().trim().min(1).max(30).optional(),
    toOrgId: id,
    reason: text(200).optional(),
  })
  .strict();
export const transferActionBody = z.object({ version, note: text(200).optional() }).strict();
export const transferListQuery = z
  .object({
    orgId: id.optional(),
    personId: id.optional(),
    status: transferStatus.optional(),
    direction: z.enum(['in', 'out']).optional(),
    ...paging,
  })
  .strict();

const orgRef = z.object({ id: z.number(), name: z.string() });
export const transferView = z.object({
  id: z.number(),
  person: z.object({ id: z.number(), name: z.string(), idNumber: z.string() }),
  membershipId: z.number(),
  fromOrg: orgRef,
  toOrg: orgRef,
  role: membershipRole,
  roleLabel: z.string(),
  initiatedBy: transferSide,
  initiatedByLabel: z.string(),
  status: transferStatus,
  statusLabel: z.string(),
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
  history: z.array(
    z.object({
      action: transferAction,
      actionLabel: z.string(),
      side: transferSide,
      sideLabel: z.string(),
      toStatus: transferStatus,
      actorName: z.string(),
      note: z.string().nullable(),
      at: z.string(),
    }),
  ),
  abilities: z.object({ approve: z.boolean(), reject: z.boolean(), cancel: z.boolean() }),
});

export const statsQuery = z
  .object({ orgId: id.optional(), by: z.enum(['type', 'level', 'org']).default('type') })
  .strict();
const share = z.number().min(0).max(1);
export const membershipStatsView = z.object({
  orgId: z.number().nullable(),
  /** the date the age bands refer to */
  asOf: z.string(),
  rows: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      role: membershipRole,
      roleLabel: z.string(),
      active: z.number(),
      women: z.number(),
      under28: z.number(),
      under35: z.number(),
      frontline: z.number(),
      pending: z.number(),
    }),
  ),
  totals: z.object({ active: z.number(), pending: z.number(), persons: z.number().nullable() }),
});
export const compositionQuery = z
  .object({ orgId: id.optional(), by: z.enum(['level', 'org']).default('level') })
  .strict();
export const compositionView = z.object({
  orgId: z.number().nullable(),
  asOf: z.string(),
  rows: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      role: membershipRole,
      roleLabel: z.string(),
      total: z.number(),
      frontline: z.number(),
      women: z.number(),
      under35: z.number(),
      frontlineShare: share,
      womenShare: share,
      under35Share: share,
    }),
  ),
});

export type PersonCreate = z.infer<typeof personCreate>;
export type PersonUpdate = z.infer<typeof personUpdate>;
export type PersonListQuery = z.infer<typeof personListQuery>;
export type PersonView = z.infer<typeof personView>;
export type PersonDetail = z.infer<typeof personDetail>;
export type MembershipView = z.infer<typeof membershipView>;
export type MembershipCreate = z.infer<typeof membershipCreate>;
export type MembershipListQuery = z.infer<typeof membershipListQuery>;
export type TransferView = z.infer<typeof transferView>;
export type TransferListQuery = z.infer<typeof transferListQuery>;
export type StatsQuery = z.infer<typeof statsQuery>;
export type CompositionQuery = z.infer<typeof compositionQuery>;
