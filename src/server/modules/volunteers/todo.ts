import { sql } from '../../platform/db/index.js';
import { registerTodoSource, type TodoItem, todoLevel } from '../../platform/inbox.js';
import { activityScope } from './repo.js';

/**
 * The module's to-do items: sign-ups waiting for approval (due when recruitment closes),
 * activities ended and not closed yet (due 7 days after the end), 5★ applications to review.
 */
registerTodoSource({
  kinds: ['activity.approve', 'activity.close', 'volunteer.five_star'],
  async list(q, actor, now) {
    const items: TodoItem[] = [];
    if (actor.permissions.has('activity:write')) {
      const pend = await q.query<{
        id: number;
        title: string;
        n: number;
        recruit_from: Date;
        recruit_until: Date;
      }>(sql`SELECT a.id, a.title,
          a.recruit_from, a.recruit_until, count(*)::int AS n
        FROM activities a JOIN activity_signups g ON g.activity_id = a.id AND g.status = 'pending'
        WHERE a.status = 'published' AND ${activityScope(actor)} GROUP BY a.id ORDER BY a.recruit_until LIMIT 100`);
      for (const r of pend)
        items.push({
          kind: 'activity.approve',
          id: r.id,
          title: `「${r.title}」${r.n}人报名待审核`,
          dueAt: r.recruit_until.toISOString(),
          level: todoLevel(r.recruit_from, r.recruit_until, now),
          href: `/activities/${r.id}`,
        });
      const ended = await q.query<{
        id: number;
        title: string;
        ends_at: Date;
      }>(sql`SELECT a.id, a.title, a.ends_at FROM activities a
        WHERE a.status = 'published' AND a.ends_at < ${now} AND ${activityScope(actor)} ORDER BY a.ends_at LIMIT 100`);
      for (const r of ended) {
        const due = new Date(r.ends_at.getTime() + 7 * 86_400_000);
        items.push({
          kind: 'activity.close',
          id: r.id,
          title: `「${r.title}」已结束，待结项`,
          dueAt: due.toISOString(),
          level: todoLevel(r.ends_at, due, now),
          href: `/activities/${r.id}`,
        });
      }
    }
    if (actor.permissions.has('volunteer:review')) {
      const s = actor.scope;
      const scope = s.all
        ? sql.raw('TRUE')
        : sql.or([
            ...(s.orgIds.length ? [sql`f.org_id = ANY(${s.orgIds}::bigint[])`] : []),
            ...(s.subtrees.length
              ? [
                  sql`EXISTS (SELECT 1 FROM orgs so WHERE so.id = f.org_id AND so.path LIKE ANY(${s.subtrees.map((p) => `${p}%`)}::text[]))`,
                ]
              : []),
          ]);
      const apps = await q.query<{
        id: number;
        name: string;
        created_at: Date;
      }>(sql`SELECT f.id, p.name, f.created_at
        FROM vol_five_star f JOIN persons p ON p.id = f.person_id WHERE f.status = 'applied' AND ${scope} ORDER BY f.id LIMIT 100`);
      for (const r of apps)
        items.push({
          kind: 'volunteer.five_star',
          id: r.id,
          title: `${r.name}申请五星志愿者，待评审`,
          dueAt: null,
          level: 'normal',
          href: '/volunteers/five-star',
        });
    }
    return items;
  },
});
