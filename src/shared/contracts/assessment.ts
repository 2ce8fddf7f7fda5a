import { z } from 'zod';
import { schemeDefinition } from '../assessment/scheme.js';
import { ORG_LEVELS, ORG_TYPES } from '../orgs.js';
import { id, text, version } from './common.js';
import { periodType } from './stats.js';

/** Assessment (考核): schemes, runs, scores, results. */

export const schemeInput = z
  .object({
    name: text(60, 2),
    periodType,
    orgTypes: z
      .array(z.enum(Object.keys(ORG_TYPES) as [string, ...string[]]))
      .min(1)
      .max(12),
    orgLevels: z
      .array(z.enum(Object.keys(ORG_LEVELS) as [string, ...string[]]))
      .min(1)
      .max(5),
    definition: schemeDefinition,
  })
  .strict();
export type SchemeInput = z.infer<typeof schemeInput>;
export const schemeUpdate = schemeInput.extend({ version }).strict();

export const schemeView = schemeInput.extend({
  id: z.number(),
  ownerOrgId: z.number(),
  schemeVersion: z.number(),
  version: z.number(),
});

export const runCreate = z.object({ period: z.string().max(10) }).strict();
export const runView = z.object({
  id: z.number(),
  schemeId: z.number(),
  schemeName: z.string(),
  period: z.string(),
  status: z.string(),
  computedAt: z.string(),
  closedAt: z.string().nullable(),
  publicityFrom: z.string().nullable(),
  publicityUntil: z.string().nullable(),
  units: z.number(),
  version: z.number(),
});

export const resultsQuery = z.object({ schemeId: id.optional(), period: z.string().max(10) }).strict();
export const resultItem = z.object({
  orgId: z.number(),
  orgName: z.string(),
  score: z.number(),
  grade: z.string().nullable(),
  vetoed: z.boolean(),
  rank: z.number().nullable(),
});

const manual = z
  .object({
    score: z.number().min(0).max(100),
    evidence: z.string().trim().max(500).default(''),
    reason: z.string().trim().max(300).default(''),
  })
  .strict();
export const scoresBody = z
  .object({
    kind: z.enum(['self', 'review']),
    scores: z.record(z.string().max(24), manual).refine((v) => Object.keys(v).length <= 100, '评分项过多'),
    version,
  })
  .strict();
export const runAction = z.object({ version }).strict();
export const correctionBody = z
  .object({
    orgId: id,
    item: z.string().max(24),
    /** a corrected input value (computed item or veto) or hand score */
    value: z.number().min(0).max(1e9),
    reason: text(300, 2),
  })
  .strict();
