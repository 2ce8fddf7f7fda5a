import { z } from 'zod';
import { UNIT_KINDS, UNIT_OWNERSHIP } from '../orgs.js';
import { id, paging, regionCode, text, version } from './common.js';

export const unitKind = z.enum(Object.keys(UNIT_KINDS) as [keyof typeof UNIT_KINDS]);
export const unitOwnership = z.enum(Object.keys(UNIT_OWNERSHIP) as [keyof typeof UNIT_OWNERSHIP]);

export const unitListQuery = z
  .object({
    kind: unitKind.optional(),
    ownership: unitOwnership.optional(),
    regionCode: z
      .string()
      .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, '行政区划代码应为2、4、6、9或12位数字')
      .optional(),
    orgId: id.optional(),
    covered: z.enum(['yes', 'no']).optional(),
    q: text(50).optional(),
    ...paging,
  })
  .strict();

export const unitCreate = z
  .object({
    name: text(200, 2),
    kind: unitKind,
    ownership: unitOwnership,
    creditCode: z.string().trim().toUpperCase().nullable().optional(),
    regionCode,
    orgId: id,
    headcount: z.number().int().min(0).max(10_000_000).default(0),
    address: text(200).nullable().optional(),
    coveringOrgIds: z.array(id).max(50).default([]),
  })
  .strict();

export const unitUpdate = unitCreate
  .omit({ orgId: true })
  .partial()
  .extend({ version, status: z.enum(['active', 'inactive']).optional() })
  .strict();

export const unitView = z.object({
  id: z.number(),
  name: z.string(),
  kind: unitKind,
  kindLabel: z.string(),
  ownership: unitOwnership,
  ownershipLabel: z.string(),
  creditCode: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  orgId: z.number(),
  orgName: z.string(),
  headcount: z.number(),
  address: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
  coveringOrgs: z.array(z.object({ id: z.number(), name: z.string(), type: z.string() })),
  version: z.number(),
});
export type UnitView = z.infer<typeof unitView>;
export type UnitCreate = z.infer<typeof unitCreate>;
export type UnitUpdate = z.infer<typeof unitUpdate>;
export type UnitListQuery = z.infer<typeof unitListQuery>;
