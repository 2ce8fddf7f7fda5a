import { z } from 'zod';

/** One thing on a person's desk (工作台), from any module (`registerTodoSource`). */
export const todoItem = z.object({
  /** `module.what`, e.g. `appeal.sign` */
  kind: z.string(),
  id: z.union([z.number(), z.string()]),
  title: z.string(),
  /** when it is due (ISO), or null without a time limit */
  dueAt: z.string().nullable(),
  /** normal, warning (80 % of the time used), overdue */
  level: z.enum(['normal', 'warning', 'overdue']),
  /** the web app's path that opens it */
  href: z.string(),
  /** 紧急: listed above everything else */
  urgent: z.boolean().optional(),
});
export type TodoItemView = z.infer<typeof todoItem>;

/** `GET /api/me/todo`: the stable contract of the inbox. */
export const todoResponse = z.object({
  items: z.array(todoItem),
  /** per kind (every kind of every source, also 0) */
  counts: z.record(z.string(), z.number()),
});
export type TodoResponse = z.infer<typeof todoResponse>;
