import { MEMBERSHIP_ROLES } from '../../../shared/people/dicts.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { registerTodoSource, type TodoItem } from '../../platform/inbox.js';
import { orgIdInScope } from './scope.js';

/**
 * What the people module puts on a person's desk (工作台): transfers waiting for the
 * receiving side (the receiving organization in scope, membership:approve), applications
 * to join waiting for approval (the organization in scope, membership:approve), and the
 * actor's own imports still queued or running. None of them has a time limit.
 */
export const PEOPLE_TODO_KINDS = ['people.transfer', 'people.application', 'people.import'] as const;
type Kind = (typeof PEOPLE_TODO_KINDS)[number];
export const PEOPLE_TODO_LIMIT = 200;

interface Row {
  kind: Kind;
  id: number;
  person_id: number | null;
  name: string;
  org_name: string;
  role: string | null;
}

const roleName = (role: string | null) =>
  role ? ((MEMBERSHIP_ROLES as Record<string, string>)[role] ?? role) : '';

export async function peopleTodo(q: Queryable, actor: Actor, _now: Date): Promise<TodoItem[]> {
  const parts: Sql[] = [];
  if (actor.permissions.has('membership:approve')) {
    parts.push(sql`(SELECT 'people.transfer'::text AS kind, t.id, t.person_id, p.name, o.name AS org_name, t.role
      FROM transfers t JOIN persons p ON p.id = t.person_id JOIN orgs o ON o.id = t.from_org_id
      WHERE t.status = 'pending' AND ${orgIdInScope(actor, sql.raw('t.to_org_id'))}
      ORDER BY t.id LIMIT ${PEOPLE_TODO_LIMIT})`);
    parts.push(sql`(SELECT 'people.application'::text AS kind, m.id, m.person_id, p.name, o.name AS org_name, m.role
      FROM memberships m JOIN persons p ON p.id = m.person_id JOIN orgs o ON o.id = m.org_id
      WHERE m.status = 'pending' AND ${orgIdInScope(actor, sql.raw('m.org_id'))}
      ORDER BY m.id LIMIT ${PEOPLE_TODO_LIMIT})`);
  }
  if (actor.permissions.has('person:import'))
    parts.push(sql`(SELECT 'people.import'::text AS kind, j.id, NULL::bigint AS person_id, j.file_name AS name,
        o.name AS org_name, NULL::text AS role
      FROM import_jobs j JOIN orgs o ON o.id = j.org_id
      WHERE j.user_id = ${actor.userId} AND j.status IN ('queued', 'checking', 'importing')
      ORDER BY j.id LIMIT ${PEOPLE_TODO_LIMIT})`);
  if (parts.length === 0) return [];
  const rows = await q.query<Row>(sql.join(parts, ' UNION ALL '));
  return rows.map((r) => ({
    kind: r.kind,
    id: r.id,
    title:
      r.kind === 'people.transfer'
        ? `转接待审批：${r.name}（${roleName(r.role)}，由${r.org_name}转入）`
        : r.kind === 'people.application'
          ? `入会待审批：${r.name}（${r.org_name}${roleName(r.role)}）`
          : `导入进行中：${r.name}（${r.org_name}）`,
    dueAt: null,
    level: 'normal',
    href:
      r.kind === 'people.transfer'
        ? '/people/transfers'
        : r.kind === 'people.application'
          ? `/people/${r.person_id}`
          : '/people/import',
  }));
}

registerTodoSource({ kinds: PEOPLE_TODO_KINDS, list: peopleTodo });
