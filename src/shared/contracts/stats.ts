import { z } from 'zod';
import { ORG_LEVELS, ORG_TYPES } from '../orgs.js';
import { PERIOD_TYPES } from '../stats/period.js';
import { id, text, version } from './common.js';

/** Statistics (统计报表): forms as data, reports, reviews, summaries. */

export const periodType = z.enum(
  Object.keys(PERIOD_TYPES) as [keyof typeof PERIOD_TYPES, ...(keyof typeof PERIOD_TYPES)[]],
);
export const cellType = z.enum(['integer', 'decimal', 'percent', 'text']);
export type CellType = z.infer<typeof cellType>;

export const disaggregationDef = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, '分组键应为小写字母开头的字母、数字或下划线'),
    label: text(40),
    options: z
      .array(
        z
          .object({
            code: z.string().regex(/^[A-Za-z0-9_]{1,16}$/, '分组选项编码应为字母、数字或下划线'),
            label: text(40),
          })
          .strict(),
      )
      .min(2, '分组至少两个选项')
      .max(12),
  })
  .strict();

export const cellDef = z
  .object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]{0,15}$/, '指标编码应为大写字母开头（如 B1）'),
    label: text(80),
    unit: z.string().trim().max(10).default(''),
    type: cellType,
    required: z.boolean().default(false),
    /** the header group the cell is shown under (the form's merged header) */
    section: z.string().trim().max(40).default(''),
    disaggregation: z.string().max(32).nullable().default(null),
    /** pre-filled from the indicators registry */
    prefill: z.string().max(64).nullable().default(null),
  })
  .strict();
export type CellDef = z.infer<typeof cellDef>;

export const ruleDef = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{1,24}$/, '规则编码应为字母、数字、下划线或连字符'),
    label: text(120),
    expr: text(1000),
    severity: z.enum(['error', 'warning']),
  })
  .strict();
export type RuleDef = z.infer<typeof ruleDef>;

export const windowDef = z
  .object({
    openDays: z.number().int().min(-366).max(366).default(-5),
    dueDays: z.number().int().min(0).max(366).default(10),
    graceDays: z.number().int().min(0).max(60).default(0),
    lockDays: z.number().int().min(0).max(730).default(60),
  })
  .strict();

export const formDefinition = z
  .object({
    cells: z.array(cellDef).min(1, '至少一个指标').max(300),
    disaggregations: z.array(disaggregationDef).max(10).default([]),
    rules: z.array(ruleDef).max(200).default([]),
  })
  .strict();
export type FormDefinition = z.infer<typeof formDefinition>;

export const formInput = z
  .object({
    code: z.string().regex(/^[A-Za-z0-9_-]{2,32}$/, '表号应为 2–32 位字母、数字、下划线或连字符'),
    name: text(100, 2),
    periodType,
    orgTypes: z
      .array(z.enum(Object.keys(ORG_TYPES) as [string, ...string[]]))
      .min(1)
      .max(12),
    orgLevels: z
      .array(z.enum(Object.keys(ORG_LEVELS) as [string, ...string[]]))
      .min(1)
      .max(5),
    window: windowDef.default({ openDays: -5, dueDays: 10, graceDays: 0, lockDays: 60 }),
    definition: formDefinition,
  })
  .strict();
export type FormInput = z.infer<typeof formInput>;
export const formUpdate = formInput.extend({ version }).strict();

export const formSummaryItem = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  periodType: z.string(),
});
export const formView = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  periodType,
  orgTypes: z.array(z.string()),
  orgLevels: z.array(z.string()),
  window: windowDef,
  definition: formDefinition,
  formVersion: z.number(),
  version: z.number(),
  status: z.string(),
});
export type FormView = z.infer<typeof formView>;

export const cellValue = z.union([z.number(), z.string().max(500), z.null()]);
export const valuesMap = z
  .record(z.string().max(40), cellValue)
  .refine((v) => Object.keys(v).length <= 2000, '单元格过多');

export const periodQuery = z.object({ period: z.string().max(10), orgId: id }).strict();
export const reportSave = z
  .object({
    values: valuesMap,
    /** reasons for overriding a pre-filled value, by cell key */
    overrides: z.record(z.string().max(40), text(300)).default({}),
    version: z.number().int().min(0),
  })
  .strict();
export const reportSubmit = z
  .object({
    /** explanations of warnings, by `ruleCode` or `ruleCode:option` */
    explanations: z.record(z.string().max(60), text(500, 2)).default({}),
    version,
  })
  .strict();
export const reportReview = z
  .object({
    decision: z.enum(['approve', 'return']),
    comment: z.string().trim().max(500).default(''),
    /** reasons attached to cells (退回) */
    cellReasons: z.record(z.string().max(40), text(300)).default({}),
    version,
  })
  .strict();
export const reportUnlock = z.object({ reason: text(300, 2), version }).strict();

export const issue = z.object({
  rule: z.string(),
  label: z.string(),
  severity: z.enum(['error', 'warning']),
  option: z.string().nullable(),
  message: z.string(),
  failed: z.boolean(),
});
export type Issue = z.infer<typeof issue>;

export const reportView = z.object({
  id: z.number().nullable(),
  formId: z.number(),
  formVersion: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  period: z.string(),
  status: z.string(),
  values: z.record(z.string(), cellValue),
  computed: z.record(z.string(), cellValue),
  overrides: z.record(z.string(), z.string()),
  explanations: z.record(z.string(), z.string()),
  cellReasons: z.record(z.string(), z.string()),
  issues: z.array(issue),
  due: z.string(),
  onTimeUntil: z.string(),
  submittedAt: z.string().nullable(),
  onTime: z.boolean().nullable(),
  returnCount: z.number(),
  version: z.number(),
  canEdit: z.boolean(),
  canReview: z.boolean(),
});
export type ReportView = z.infer<typeof reportView>;

export const summaryView = z.object({
  orgId: z.number(),
  period: z.string(),
  cells: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  expected: z.number(),
  submitted: z.number(),
  approved: z.number(),
});

export const completionNode = z.object({
  orgId: z.number(),
  orgName: z.string(),
  parentId: z.number().nullable(),
  expected: z.boolean(),
  status: z.enum(['none', 'draft', 'submitted', 'returned', 'approved', 'overdue', 'not_expected']),
  reportId: z.number().nullable(),
});
