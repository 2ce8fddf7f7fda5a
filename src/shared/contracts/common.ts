import { z } from 'zod';

// messages of validation errors in Simplified Chinese, on server and web alike
z.config(z.locales.zhCN());

export const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
export const idParam = z.object({ id }).strict();

/** Paging for list endpoints: page from 1, size capped. */
export const paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number() });

export const version = z.number().int().min(1);

export const text = (max: number, min = 1) => z.string().trim().min(min).max(max);

export const regionCode = z.string().regex(/^\d{12}$/, '行政区划代码应为12位数字');

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string(),
  }),
});
