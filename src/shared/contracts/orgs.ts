import { z } from 'zod';
import { ORG_LEVELS, ORG_TYPES } from '../orgs.js';
import { id, paging, regionCode, text, version } from './common.js';

export const orgType = z.enum(Object.keys(ORG_TYPES) as [keyof typeof ORG_TYPES]);
export const orgLevel = z.enum(Object.keys(ORG_LEVELS) as [keyof typeof ORG_LEVELS]);

export const orgListQuery = z
  .object({
    parentId: z.union([id, z.literal('root')]).optional(),
    type: orgType.optional(),
    level: orgLevel.optional(),
    status: z.enum(['active', 'inactive']).optional(),
    q: text(50).optional(),
    ...paging,
  })
  .strict();

export const orgCreate = z
  .object({
    parentId: id.nullable(),
    name: text(100, 2),
    type: orgType,
    level: orgLevel,
    regionCode,
    takesAppeals: z.boolean().default(true),
    contactName: text(50).nullable().optional(),
    contactPhone: text(30).nullable().optional(),
    sort: z.number().int().min(0).max(100000).default(0),
  })
  .strict();

export const orgUpdate = z
  .object({
    version,
    name: text(100, 2).optional(),
    type: orgType.optional(),
    level: orgLevel.optional(),
    regionCode: regionCode.optional(),
    takesAppeals: z.boolean().optional(),
    contactName: text(50).nullable().optional(),
    contactPhone: text(30).nullable().optional(),
    sort: z.number().int().min(0).max(100000).optional(),
    status: z.enum(['active', 'inactive']).optional(),
  })
  .strict();

export const orgMove = z.object({ version, parentId: id }).strict();

export const orgView = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  name: z.string(),
  type: orgType,
  typeLabel: z.string(),
  level: orgLevel,
  levelLabel: z.string(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  status: z.enum(['active', 'inactive']),
  takesAppeals: z.boolean(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  sort: z.number(),
  depth: z.number(),
  hasChildren: z.boolean(),
  version: z.number(),
  abilities: z.object({ update: z.boolean(), move: z.boolean(), deactivate: z.boolean() }),
});
export type OrgView = z.infer<typeof orgView>;
export type OrgCreate = z.infer<typeof orgCreate>;
export type OrgUpdate = z.infer<typeof orgUpdate>;
export type OrgListQuery = z.infer<typeof orgListQuery>;
