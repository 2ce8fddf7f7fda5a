import type { Actor } from './actor.js';
import type { Queryable } from './db/index.js';

/**
 * The inbox (工作台): each module contributes "what is this person's to do" through one small
 * interface; the home page, the bell and reminders read only `collectTodo`. A module
 * registers its source once at load (`registerTodoSource`), next to its scoped entities.
 */
export type TodoLevel = 'normal' | 'warning' | 'overdue';

export interface TodoItem {
  /** stable kind, `module.what` (e.g. `appeal.sign`, `task.report`); counts are keyed by it */
  kind: string;
  id: number | string;
  title: string;
  /** ISO time the item is due, or null when it has no time limit */
  dueAt: string | null;
  level: TodoLevel;
  /** the web app's path that opens the item */
  href: string;
  /** 紧急: shown above everything else */
  urgent?: boolean;
}

export interface TodoSource {
  /** the kinds this source may return; every one appears in `counts`, also when 0 */
  kinds: readonly string[];
  /** the actor's items; must apply the actor's permissions and data scope itself */
  list(q: Queryable, actor: Actor, now: Date): Promise<TodoItem[]>;
}

const sources: TodoSource[] = [];

export function registerTodoSource(source: TodoSource): void {
  sources.push(source);
}

/** The colour of a time limit: overdue past the due time, warning from 80 % of the allowed time. */
export function todoLevel(startedAt: Date | null, dueAt: Date | null, now: Date): TodoLevel {
  if (!dueAt) return 'normal';
  if (now.getTime() > dueAt.getTime()) return 'overdue';
  if (startedAt) {
    const span = dueAt.getTime() - startedAt.getTime();
    if (span > 0 && now.getTime() - startedAt.getTime() >= 0.8 * span) return 'warning';
  }
  return 'normal';
}

const LEVEL_RANK: Record<TodoLevel, number> = { overdue: 0, warning: 1, normal: 2 };

/** Urgent first, then overdue, 80 %, normal; within a level the earliest due first (none last). */
export function compareTodo(a: TodoItem, b: TodoItem): number {
  if (!!a.urgent !== !!b.urgent) return a.urgent ? -1 : 1;
  if (a.level !== b.level) return LEVEL_RANK[a.level] - LEVEL_RANK[b.level];
  if (a.dueAt !== b.dueAt) {
    if (a.dueAt === null) return 1;
    if (b.dueAt === null) return -1;
    return a.dueAt < b.dueAt ? -1 : 1;
  }
  return String(a.id).localeCompare(String(b.id));
}

/** Everything on the actor's desk, sorted by urgency, with a count per kind. */
export async function collectTodo(
  q: Queryable,
  actor: Actor,
  now: Date,
): Promise<{ items: TodoItem[]; counts: Record<string, number> }> {
  const counts: Record<string, number> = {};
  for (const s of sources) for (const k of s.kinds) counts[k] = 0;
  const lists = await Promise.all(sources.map((s) => s.list(q, actor, now)));
  const items = lists.flat().sort(compareTodo);
  for (const it of items) counts[it.kind] = (counts[it.kind] ?? 0) + 1;
  return { items, counts };
}
