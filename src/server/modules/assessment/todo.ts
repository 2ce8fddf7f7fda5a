/** Assessment to-do items: a self-assessment of one's own unit while open, reviews of direct subordinates that assessed themselves. */
import type { Actor } from '../../platform/actor.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { TodoItem } from '../../platform/inbox.js';

export async function assessmentTodo(q: Queryable, actor: Actor, _now: Date): Promise<TodoItem[]> {
  if (!actor.permissions.has('assess:score') || actor.orgId === 0) return [];
  const rows = await q.query<{
    run_id: number;
    org_id: number;
    org_name: string;
    name: string;
    period: string;
    mine: boolean;
  }>(
    sql`SELECT r.run_id, r.org_id, r.org_name, s.name, u.period, (r.org_id = ${actor.orgId}) AS mine
      FROM assess_results r JOIN assess_runs u ON u.id = r.run_id JOIN assess_schemes s ON s.id = u.scheme_id
      JOIN orgs o ON o.id = r.org_id
      WHERE u.status IN ('self_eval', 'review') AND s.definition->'items' @> '[{"kind":"manual"}]'
        AND ((r.org_id = ${actor.orgId} AND u.status = 'self_eval' AND r.self_scores = '{}'::jsonb)
          OR (o.parent_id = ${actor.orgId} AND r.self_scores <> '{}'::jsonb AND r.review_scores = '{}'::jsonb))
      LIMIT 100`,
  );
  return rows.map((r) => ({
    kind: r.mine ? 'assess.self' : 'assess.review',
    id: `${r.run_id}:${r.org_id}`,
    title: r.mine ? `${r.name}（${r.period}）自评` : `复核${r.org_name}${r.name}（${r.period}）`,
    dueAt: null,
    level: 'normal',
    href: `/assessments/runs/${r.run_id}/units/${r.org_id}`,
  }));
}
