import { z } from 'zod';
import {
  CASE_STATUS_LIST,
  CATEGORIES,
  CAUSES,
  EMPLOYMENT,
  HEALTH,
  HOUSING,
  MAX_MEMBERS,
  MAX_YUAN,
  PROGRAM_KINDS,
  RELATIONS,
  SCHOOLING,
} from '../assistance/constants.js';
import { CASE_ACTION_LIST } from '../assistance/machine.js';
import { id, paging, text, version } from './common.js';

const keys = <T extends Record<string, string>>(o: T) =>
  Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

/** Yuan with at most two decimals, never negative. */
export const yuan = z
  .number({ error: '金额应为数字' })
  .min(0, '金额不能为负数')
  .max(MAX_YUAN, '金额过大')
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, '金额最多两位小数');

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

export const caseStatus = z.enum(CASE_STATUS_LIST as [string, ...string[]]);
export const category = z.enum(keys(CATEGORIES));

export const memberInput = z
  .object({
    name: text(50),
    idNumber: z.string().trim().min(1).max(30),
    relation: z.enum(keys(RELATIONS)),
    schooling: z.enum(keys(SCHOOLING)).default('none'),
    monthlyIncome: yuan,
  })
  .strict();

export const caseCreate = z
  .object({
    orgId: id,
    /** a 临时救助 record instead of an application for the archive */
    temporary: z.boolean().default(false),
    category,
    primaryCause: z.enum(keys(CAUSES)),
    secondaryCauses: z
      .array(z.enum(keys(CAUSES)))
      .max(5)
      .default([]),
    health: z.enum(keys(HEALTH)),
    housing: z.enum(keys(HOUSING)),
    employment: z.enum(keys(EMPLOYMENT)),
    description: z.string().trim().max(2000).default(''),
    /** the applicant first (relation 本人), then the family */
    members: z.array(memberInput).min(1).max(MAX_MEMBERS),
    bank: z
      .object({ bankName: text(50), account: z.string().trim().min(1).max(40) })
      .strict()
      .optional(),
  })
  .strict();
export type CaseCreate = z.infer<typeof caseCreate>;

export const caseListQuery = z
  .object({
    status: caseStatus.optional(),
    orgId: id.optional(),
    category: category.optional(),
    /** stale: not verified for 12 months; exit: proposed for 解困; never: archived and never assisted */
    flag: z.enum(['stale', 'exit', 'never']).optional(),
    ...paging,
  })
  .strict();

export const caseView = z.object({
  id: z.number(),
  applicantName: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  orgId: z.number(),
  orgName: z.string(),
  level: z.string(),
  stale: z.boolean(),
  exitProposed: z.boolean(),
  updatedAt: z.string(),
});

export const memberView = z.object({
  personId: z.number(),
  name: z.string(),
  idNumber: z.string(),
  relation: z.string(),
  schooling: z.string(),
  monthlyIncome: z.number(),
});

export const eventView = z.object({
  id: z.number(),
  at: z.string(),
  actorName: z.string(),
  action: z.string(),
  actionLabel: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
});

export const caseDetail = caseView.extend({
  primaryCause: z.string(),
  secondaryCauses: z.array(z.string()),
  health: z.string(),
  housing: z.string(),
  employment: z.string(),
  description: z.string(),
  bankName: z.string().nullable(),
  bankAccount: z.string().nullable(),
  monthlyIncome: z.number(),
  perCapitaIncome: z.number(),
  publicityStart: z.string().nullable(),
  publicityUntil: z.string().nullable(),
  exitNote: z.string().nullable(),
  endReason: z.string().nullable(),
  version: z.number(),
  members: z.array(memberView),
  incomes: z.array(z.object({ month: z.string(), total: z.number(), perCapita: z.number() })),
  files: z.array(
    z.object({
      id: z.number(),
      kind: z.string(),
      name: z.string(),
      size: z.number(),
      visitId: z.number().nullable(),
    }),
  ),
  visits: z.array(
    z.object({ id: z.number(), visitedOn: z.string(), visitors: z.string(), findings: z.string() }),
  ),
  entitlements: z.array(
    z.object({
      id: z.number(),
      cycleName: z.string(),
      beneficiaryName: z.string(),
      amount: z.number(),
      status: z.string(),
      paymentStatus: z.string().nullable(),
    }),
  ),
  timeline: z.array(eventView),
  actions: z.array(z.string()),
});
export type CaseDetail = z.infer<typeof caseDetail>;

export const caseActionParams = z
  .object({ id, action: z.enum(CASE_ACTION_LIST as [string, ...string[]]) })
  .strict();
export const caseActionBody = z
  .object({
    version,
    note: z.string().trim().max(1000).optional(),
    /** an objection received through the appeals module */
    appealId: id.optional(),
  })
  .strict();

export const visitCreate = z
  .object({
    version,
    visitedOn: ymd,
    visitors: text(200),
    findings: text(2000),
    fileIds: z.array(id).min(1).max(20),
  })
  .strict();

export const incomeBody = z
  .object({ version, month, total: yuan, members: z.number().int().min(1).max(MAX_MEMBERS).optional() })
  .strict();

export const exitRuleBody = z
  .object({
    version: z.number().int().min(0),
    expr: text(500),
    months: z.number().int().min(1).max(36),
    line: yuan,
  })
  .strict();

export const programKind = z.enum(keys(PROGRAM_KINDS));
export const amountRule = z.object({ when: text(500), amount: yuan, label: text(50) }).strict();
export const programCreate = z
  .object({
    orgId: id,
    name: text(100),
    kind: programKind,
    target: z.enum(['household', 'student']),
    mode: z.enum(['cash', 'in_kind']),
    eligibility: text(1000),
    amounts: z.array(amountRule).min(1).max(20),
  })
  .strict();
export const programUpdate = programCreate.omit({ orgId: true }).partial().extend({ version }).strict();

export const cycleCreate = z
  .object({
    name: text(100),
    periodStart: ymd,
    periodEnd: ymd,
    budget: yuan,
    orgBudgets: z
      .array(z.object({ orgId: id, budget: yuan }).strict())
      .max(200)
      .default([]),
  })
  .strict();

export const proposeBody = z
  .object({
    name: text(50),
    idNumber: z.string().trim().min(1).max(30),
    amount: yuan,
    caseId: id.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

export const entitlementAction = z.object({ version, note: z.string().trim().max(500).optional() }).strict();

export const paymentMark = z
  .object({
    version,
    status: z.enum(['paid', 'returned']),
    paidOn: ymd.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

export const returnVisitBody = z
  .object({
    visitedOn: ymd,
    satisfaction: z.enum([
      'very_satisfied',
      'satisfied',
      'basically_satisfied',
      'unsatisfied',
      'very_unsatisfied',
    ]),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

export const statsQuery = z.object({ orgId: id.optional() }).strict();
export { PROGRAM_KINDS };
