import { z } from 'zod';
import { id, paging } from './common.js';

export const IMPORT_STATUS = {
  queued: '排队中',
  checking: '检查文件',
  importing: '导入中',
  done: '已完成',
  failed: '失败',
} as const;
export const importStatus = z.enum(Object.keys(IMPORT_STATUS) as [keyof typeof IMPORT_STATUS]);

export const importJobView = z.object({
  id: z.number(),
  orgId: z.number(),
  fileName: z.string(),
  fileFormat: z.enum(['csv', 'xlsx']),
  fileSize: z.number(),
  status: importStatus,
  statusLabel: z.string(),
  totalRows: z.number().nullable(),
  processedRows: z.number(),
  percent: z.number(),
  personsCreated: z.number(),
  personsExisting: z.number(),
  membershipsCreated: z.number(),
  membershipsExisting: z.number(),
  errorRows: z.number(),
  message: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type ImportJobView = z.infer<typeof importJobView>;

export const importListQuery = z.object({ orgId: id.optional(), ...paging }).strict();
export const importErrorsQuery = z
  .object({ format: z.enum(['xlsx', 'csv', 'json']).default('xlsx') })
  .strict();
export const importErrorView = z.object({
  row: z.number(),
  column: z.string().nullable(),
  message: z.string(),
});
export const templateQuery = z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }).strict();
