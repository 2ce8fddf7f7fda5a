import { formatTrackingCode } from '../../../shared/trackingCode.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { registerTodoSource, type TodoItem, type TodoLevel, todoLevel } from '../../platform/inbox.js';
import { appealScope } from './repo.js';

/**
 * What the appeals module puts on a person's desk (工作台). Desk items of an organization
 * (to dispatch, sign, handle, reply, a co-handling part) are the actor's when the appeal
 * sits at the actor's own organization and the actor holds the permission of the step;
 * the seat's return visits and the supervisors' extension decisions are everything of
 * that kind in the actor's scope (they act on any of them).
 */
export const APPEAL_TODO_KINDS = [
  'appeal.dispatch',
  'appeal.sign',
  'appeal.handle',
  'appeal.reply',
  'appeal.assist',
  'appeal.visit',
  'appeal.extension',
] as const;
type Kind = (typeof APPEAL_TODO_KINDS)[number];

/** Per kind at most this many items are listed (urgent and earliest due first). */
export const APPEAL_TODO_LIMIT = 200;

const PREFIX: Record<Kind, string> = {
  'appeal.dispatch': '待派单',
  'appeal.sign': '待签收',
  'appeal.handle': '待办理',
  'appeal.reply': '待答复',
  'appeal.assist': '待协办',
  'appeal.visit': '待回访',
  'appeal.extension': '延期待审批',
};

interface Row {
  kind: Kind;
  id: number;
  appeal_id: number;
  title: string;
  tracking_code: string;
  priority: string;
  started_at: Date | null;
  warn_at: Date | null;
  due_at: Date | null;
}

function branch(kind: Kind, where: Sql, started: string, due: string, warn: string | null): Sql {
  return sql`(SELECT ${kind}::text AS kind, a.id, a.id AS appeal_id, a.title, a.tracking_code, a.priority,
      ${sql.raw(started)} AS started_at, ${sql.raw(warn ?? 'NULL::timestamptz')} AS warn_at, ${sql.raw(due)} AS due_at
    FROM appeals a WHERE ${where}
    ORDER BY (a.priority = 'urgent') DESC, ${sql.raw(due)} ASC NULLS LAST, a.id LIMIT ${APPEAL_TODO_LIMIT})`;
}

/** The level of an item: the appeal's own 80 % mark (`warn_at`, in working days) when it has one. */
export function appealTodoLevel(r: Pick<Row, 'started_at' | 'warn_at' | 'due_at'>, now: Date): TodoLevel {
  if (r.due_at && now.getTime() > r.due_at.getTime()) return 'overdue';
  if (r.warn_at) return now.getTime() >= r.warn_at.getTime() ? 'warning' : 'normal';
  return todoLevel(r.started_at, r.due_at, now);
}

export async function appealTodo(q: Queryable, actor: Actor, now: Date): Promise<TodoItem[]> {
  const can = (p: Parameters<typeof actor.permissions.has>[0]) => actor.permissions.has(p);
  const mine = sql`a.org_id = ${actor.orgId} AND ${appealScope(actor)}`;
  const parts: Sql[] = [];
  if (can('appeal:dispatch'))
    parts.push(
      branch(
        'appeal.dispatch',
        sql`a.status = 'pending_dispatch' AND ${mine}`,
        'a.created_at',
        'NULL::timestamptz',
        null,
      ),
    );
  if (can('appeal:handle')) {
    parts.push(
      branch(
        'appeal.sign',
        sql`a.status = 'dispatched' AND ${mine}`,
        'a.dispatched_at',
        'a.sign_due_at',
        null,
      ),
    );
    parts.push(
      branch(
        'appeal.handle',
        sql`a.status = 'accepted' AND ${mine}`,
        'a.accepted_at',
        'a.due_at',
        'a.warn_at',
      ),
    );
    parts.push(
      branch(
        'appeal.reply',
        sql`a.status = 'handling' AND ${mine}`,
        'a.accepted_at',
        'a.due_at',
        'a.warn_at',
      ),
    );
    parts.push(sql`(SELECT 'appeal.assist'::text AS kind, x.id, a.id AS appeal_id, a.title, a.tracking_code, a.priority,
        x.requested_at AS started_at, a.warn_at, a.due_at
      FROM appeal_assists x JOIN appeals a ON a.id = x.appeal_id
      WHERE x.status = 'pending' AND x.org_id = ${actor.orgId} AND a.status IN ('accepted', 'handling', 'suspended')
        AND ${scopeWhere(actor, { orgId: sql.raw('x.org_id') })}
      ORDER BY (a.priority = 'urgent') DESC, a.due_at ASC NULLS LAST, x.id LIMIT ${APPEAL_TODO_LIMIT})`);
  }
  if (can('appeal:intake'))
    parts.push(
      branch(
        'appeal.visit',
        sql`a.status = 'replied' AND ${appealScope(actor)}`,
        'a.replied_at',
        'a.visit_due_at',
        null,
      ),
    );
  if (can('appeal:supervise'))
    parts.push(
      branch(
        'appeal.extension',
        sql`a.extension_requested_days IS NOT NULL AND a.status IN ('accepted', 'handling', 'suspended') AND ${appealScope(actor)}`,
        'a.accepted_at',
        'a.due_at',
        'a.warn_at',
      ),
    );
  if (parts.length === 0) return [];
  const rows = await q.query<Row>(sql.join(parts, ' UNION ALL '));
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    title: `${PREFIX[r.kind]}：${r.title}（${formatTrackingCode(r.tracking_code)}）`,
    dueAt: r.due_at ? r.due_at.toISOString() : null,
    level: appealTodoLevel(r, now),
    href: `/appeals/${r.appeal_id}`,
    urgent: r.priority === 'urgent',
  }));
}

registerTodoSource({ kinds: APPEAL_TODO_KINDS, list: appealTodo });
