import { z } from 'zod';
import { id, paging } from './common.js';
import { orgType } from './orgs.js';
import { unitKind, unitOwnership } from './units.js';

const regionPrefix = z.string().regex(/^\d{2,12}$/, '区划代码应为2-12位数字');

export const coverageStatsQuery = z
  .object({
    /** region to look into (its children are the rows when by=region) */
    regionCode: regionPrefix.optional(),
    by: z.enum(['region', 'orgType', 'ownership', 'kind']).default('region'),
    kind: unitKind.optional(),
    ownership: unitOwnership.optional(),
  })
  .strict();

export const coverageRow = z.object({
  key: z.string(),
  label: z.string(),
  units: z.number(),
  covered: z.number(),
  rate: z.number(),
  headcount: z.number(),
  coveredHeadcount: z.number(),
});

export const coverageStatsView = z.object({
  by: z.enum(['region', 'orgType', 'ownership', 'kind']),
  rows: z.array(coverageRow),
  total: coverageRow,
});

export const uncoveredQuery = z
  .object({
    regionCode: regionPrefix.optional(),
    kind: unitKind.optional(),
    ownership: unitOwnership.optional(),
    /** units not covered by an organization of this type (default: by none at all) */
    orgType: orgType.optional(),
    orgId: id.optional(),
    ...paging,
  })
  .strict();

export const uncoveredView = z.object({
  id: z.number(),
  name: z.string(),
  kind: unitKind,
  kindLabel: z.string(),
  ownership: unitOwnership,
  ownershipLabel: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  orgId: z.number(),
  orgName: z.string(),
  headcount: z.number(),
  /** registered persons employed there */
  registered: z.number(),
  coveringTypes: z.array(z.string()),
});

export type CoverageStatsQuery = z.infer<typeof coverageStatsQuery>;
export type CoverageRow = z.infer<typeof coverageRow>;
export type UncoveredQuery = z.infer<typeof uncoveredQuery>;
export type UncoveredView = z.infer<typeof uncoveredView>;
