import { daysToYmd, shanghaiDays, shanghaiInstant, ymdToDays } from '../../../shared/calendar/ymd.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import { registerTodoSource, type TodoItem, todoLevel } from '../../platform/inbox.js';
import { taskScope } from './access.js';

/**
 * What the tasks module puts on a unit's desk (工作台): the open tasks the actor's own
 * organization leads or co-handles, for a holder of task:report. Each task is listed once,
 * under the most pressing of: under 督办 (督办 or 挂牌督办; 挂牌督办 is urgent), 逾期, or a
 * report or the due date within the next `TASK_TODO_HORIZON_DAYS` days (待报送).
 */
export const TASK_TODO_KINDS = ['task.supervised', 'task.overdue', 'task.report'] as const;
type Kind = (typeof TASK_TODO_KINDS)[number];

export const TASK_TODO_HORIZON_DAYS = 7;
export const TASK_TODO_LIMIT = 300;

const PREFIX: Record<Kind, string> = {
  'task.supervised': '督办中',
  'task.overdue': '已逾期',
  'task.report': '待报送',
};

interface Row {
  id: number;
  title: string;
  status: string;
  escalation: number;
  due_date: string | null;
  next_report_due: string | null;
  created_at: Date;
  last_report_at: Date | null;
}

/** The end (24:00 Asia/Shanghai) of a civil date: a task's date is met through that day. */
const endOf = (ymd: string): Date => shanghaiInstant((ymdToDays(ymd) ?? 0) + 1, 0);

const earliest = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : a < b ? a : b;

/** The kind a task is listed under, or null when it is not pressing yet. */
export function taskTodoKind(
  r: Pick<Row, 'status' | 'escalation' | 'due_date' | 'next_report_due'>,
  today: string,
  horizon: string,
): Kind | null {
  if (r.escalation >= 2) return 'task.supervised';
  if (r.status === 'overdue' || (r.due_date !== null && r.due_date < today)) return 'task.overdue';
  const next = earliest(r.next_report_due, r.due_date);
  return next !== null && next <= horizon ? 'task.report' : null;
}

export async function taskTodo(q: Queryable, actor: Actor, now: Date): Promise<TodoItem[]> {
  if (!actor.permissions.has('task:report')) return [];
  const todayDays = shanghaiDays(now);
  const today = daysToYmd(todayDays);
  const horizon = daysToYmd(todayDays + TASK_TODO_HORIZON_DAYS);
  const rows =
    await q.query<Row>(sql`SELECT t.id, t.title, t.status, t.escalation, t.due_date, t.next_report_due,
      t.created_at, t.last_report_at
    FROM tasks t
    WHERE t.status IN ('not_started', 'in_progress', 'overdue')
      AND EXISTS (SELECT 1 FROM task_orgs o WHERE o.task_id = t.id AND o.role IN ('lead', 'co') AND o.org_id = ${actor.orgId})
      AND ${taskScope(actor)}
      AND (t.escalation >= 2 OR t.status = 'overdue' OR t.due_date <= ${horizon} OR t.next_report_due <= ${horizon})
    ORDER BY t.escalation DESC, LEAST(t.due_date, t.next_report_due) ASC NULLS LAST, t.id
    LIMIT ${TASK_TODO_LIMIT}`);
  const items: TodoItem[] = [];
  for (const r of rows) {
    const kind = taskTodoKind(r, today, horizon);
    if (!kind) continue;
    const dueYmd = kind === 'task.report' ? earliest(r.next_report_due, r.due_date) : r.due_date;
    const due = dueYmd ? endOf(dueYmd) : null;
    items.push({
      kind,
      id: r.id,
      title: `${PREFIX[kind]}：${r.title}`,
      dueAt: due ? due.toISOString() : null,
      level: r.status === 'overdue' ? 'overdue' : todoLevel(r.last_report_at ?? r.created_at, due, now),
      href: `/tasks/${r.id}`,
      urgent: r.escalation >= 3,
    });
  }
  return items;
}

registerTodoSource({ kinds: TASK_TODO_KINDS, list: taskTodo });
