/** The statistics to-do items: reports to fill or correct (own organization), reports to review (direct subordinates). */
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import { periodOfDate, shiftPeriod, windowOf } from '../../../shared/stats/period.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import { type TodoItem, todoLevel } from '../../platform/inbox.js';
import type { FormRow } from './repo.js';

const dueInstant = (ymd: string) => new Date(`${ymd}T17:30:00+08:00`);

export async function statsTodo(q: Queryable, actor: Actor, now: Date): Promise<TodoItem[]> {
  const items: TodoItem[] = [];
  if (actor.orgId === 0) return items;
  const today = shanghaiYmd(now);
  if (actor.permissions.has('stats:fill')) {
    const org = (
      await q.query<{ type: string; level: string }>(
        sql`SELECT type, level FROM orgs WHERE id = ${actor.orgId}`,
      )
    )[0];
    const forms = org
      ? await q.query<FormRow>(
          sql`SELECT * FROM stat_forms WHERE status = 'active' AND ${org.type} = ANY(org_types) AND ${org.level} = ANY(org_levels)`,
        )
      : [];
    for (const f of forms) {
      // the latest period whose window is open today
      const p = shiftPeriod(periodOfDate(f.period_type, today), -1);
      const w = windowOf(p, f.window);
      if (today < w.opens || today > w.locks) continue;
      const r = (
        await q.query<{ status: string }>(
          sql`SELECT status FROM stat_reports WHERE form_id = ${f.id} AND period = ${p.key} AND org_id = ${actor.orgId}`,
        )
      )[0];
      if (r && r.status !== 'draft' && r.status !== 'returned') continue;
      items.push({
        kind: r?.status === 'returned' ? 'stats.correct' : 'stats.fill',
        id: `${f.id}:${p.key}`,
        title: `${r?.status === 'returned' ? '修改退回的' : '填报'}${f.name}（${p.key}）`,
        dueAt: dueInstant(w.due).toISOString(),
        level: todoLevel(dueInstant(w.opens), dueInstant(w.due), now),
        href: `/stats/forms/${f.id}/report?period=${p.key}&orgId=${actor.orgId}`,
      });
    }
  }
  if (actor.permissions.has('stats:review')) {
    const rows = await q.query<{
      form_id: number;
      name: string;
      period: string;
      org_id: number;
      org_name: string;
      submitted_at: Date;
    }>(
      sql`SELECT r.form_id, f.name, r.period, r.org_id, o.name AS org_name, r.submitted_at
        FROM stat_reports r JOIN stat_forms f ON f.id = r.form_id JOIN orgs o ON o.id = r.org_id
        WHERE r.status = 'submitted' AND o.parent_id = ${actor.orgId} ORDER BY r.submitted_at LIMIT 100`,
    );
    for (const r of rows)
      items.push({
        kind: 'stats.review',
        id: `${r.form_id}:${r.period}:${r.org_id}`,
        title: `审核${r.org_name}${r.name}（${r.period}）`,
        dueAt: null,
        level: 'normal',
        href: `/stats/forms/${r.form_id}/report?period=${r.period}&orgId=${r.org_id}`,
      });
  }
  return items;
}
