import { z } from 'zod';
import { paging } from './common.js';

export const importKind = z.enum(['orgs', 'units', 'users']);
export const sheetFormat = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }).strict();
export const importQuery = z.object({ dryRun: z.enum(['true', 'false']).default('true') }).strict();
export const importListQuery = z.object({ kind: importKind.optional(), ...paging }).strict();

export const rowError = z.object({ row: z.number(), column: z.string().nullable(), message: z.string() });

export interface PreviewNode {
  key: string;
  name: string;
  /** existing: context only (a parent the file hangs under) */
  action: 'create' | 'update' | 'unchanged' | 'existing';
  row: number | null;
  children: PreviewNode[];
}
export const previewNode: z.ZodType<PreviewNode> = z.lazy(() =>
  z.object({
    key: z.string(),
    name: z.string(),
    action: z.enum(['create', 'update', 'unchanged', 'existing']),
    row: z.number().nullable(),
    children: z.array(previewNode),
  }),
);
// A recursive schema must be a named component of the OpenAPI document: registered here, it is
// written once under components.schemas and referenced from every route that carries it.
z.globalRegistry.add(previewNode, { id: 'PreviewNode' });

export const importView = z.object({
  id: z.number(),
  kind: importKind,
  fileName: z.string(),
  dryRun: z.boolean(),
  status: z.enum(['previewed', 'applied', 'refused']),
  totalRows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  errorRows: z.number(),
  message: z.string().nullable(),
  createdAt: z.string(),
  /** the first errors (all of them in the error report) */
  errors: z.array(rowError),
  /** the resulting tree (organizations) or list, as far as it fits */
  preview: z.array(previewNode).nullable(),
  previewTruncated: z.boolean(),
});
export type ImportView = z.infer<typeof importView>;

export const checklistItem = z.object({
  key: z.string(),
  title: z.string(),
  done: z.boolean(),
  detail: z.string(),
  link: z.string(),
});
export const checklistView = z.object({ items: z.array(checklistItem), done: z.number(), total: z.number() });
export type ChecklistView = z.infer<typeof checklistView>;
