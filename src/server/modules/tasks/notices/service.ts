/** Rankings of responsible units per period and the notices (通报) that freeze them. */
import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import type { NoticeCreate, NoticeView } from '../../../../shared/contracts/tasks.js';
import { computeRanking, lastCompletePeriod, type RankInput } from '../../../../shared/tasks/ranking.js';
import { assertAccess, scopeWhere } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, type Sql, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { forbidden, notFound } from '../../../platform/errors.js';
import { taskScope } from '../access.js';
import { notifyUnits } from '../events.js';

interface Period {
  from: string;
  to: string;
  orgId?: number;
}

/** Tasks of the organization's subtree (deployed there or led there) that the actor sees. */
function within(ctx: Ctx, orgId: number | undefined): Sql {
  const conds = [taskScope(ctx.actor)];
  if (orgId)
    conds.push(sql`EXISTS (SELECT 1 FROM task_orgs wx JOIN orgs wo ON wo.id = wx.org_id
      WHERE wx.task_id = t.id AND wo.path LIKE (SELECT path FROM orgs WHERE id = ${orgId}) || '%')`);
  return sql.and(conds);
}

async function rank(q: Queryable, ctx: Ctx, p: Period) {
  const rows = await q.query<{
    id: number;
    title: string;
    org_id: number;
    org_name: string;
    due_date: string;
    completed_date: string | null;
    escalation: number;
  }>(sql`SELECT t.id, t.title, x.org_id, o.name AS org_name, t.due_date, t.completed_date, t.escalation
    FROM tasks t JOIN task_orgs x ON x.task_id = t.id AND x.role = 'lead' JOIN orgs o ON o.id = x.org_id
    WHERE ${within(ctx, p.orgId)} AND t.due_date IS NOT NULL AND t.due_date <= ${p.to} AND t.status <> 'paused'
    ORDER BY t.due_date, t.id`);
  // what is not completed yet counts as open at the end of the period (or today, if earlier)
  const asOf = [p.to, shanghaiYmd(ctx.now)].sort()[0]!;
  const input: RankInput[] = rows.map((r) => ({
    orgId: r.org_id,
    orgName: r.org_name,
    dueDate: r.due_date,
    completedDate: r.completed_date && r.completed_date <= asOf ? r.completed_date : null,
    escalation: r.escalation,
  }));
  const ranking = computeRanking(input, { from: p.from, to: p.to, asOf });
  const overdue = rows
    .filter((r) => r.due_date < asOf && !(r.completed_date && r.completed_date <= r.due_date))
    .filter((r) => !r.completed_date || r.completed_date >= p.from)
    .map((r) => ({
      taskId: r.id,
      title: r.title,
      orgName: r.org_name,
      dueDate: r.due_date,
      escalation: r.escalation,
    }));
  return { ranking, overdue };
}

interface NoticeRow {
  id: number;
  org_id: number;
  org_name: string;
  title: string;
  period_from: string;
  period_to: string;
  comment: string;
  ranking: NoticeView['ranking'];
  overdue: NoticeView['overdue'];
  created_by_name: string;
  created_at: Date;
}

const present = (r: NoticeRow): NoticeView => ({
  id: r.id,
  org: { id: r.org_id, name: r.org_name },
  title: r.title,
  from: r.period_from,
  to: r.period_to,
  comment: r.comment,
  ranking: r.ranking,
  overdue: r.overdue,
  createdBy: r.created_by_name,
  createdAt: r.created_at.toISOString(),
});

/** A notice is read by its issuer's scope and by every organization below the issuer (the ranked ones). */
function noticeScope(ctx: Ctx): Sql {
  return sql.or([
    scopeWhere(ctx.actor, { orgId: sql.raw('n.org_id') }),
    sql`${ctx.actor.orgPath} LIKE (SELECT path FROM orgs WHERE id = n.org_id) || '%'`,
  ]);
}

const SELECT = sql`SELECT n.*, o.name AS org_name, u.display_name AS created_by_name
  FROM task_notices n JOIN orgs o ON o.id = n.org_id JOIN users u ON u.id = n.created_by`;

export function createNoticeService(deps: Deps) {
  const { db } = deps;
  return {
    /** The ranking of a period; without dates, of the last complete month (the period is answered too). */
    async ranking(ctx: Ctx, q: Partial<Period>) {
      if (!ctx.actor.permissions.has('task:read')) throw forbidden();
      if (q.orgId) await assertAccess(db, ctx.actor, 'task:read', 'org', [q.orgId]);
      const period = q.from && q.to ? { from: q.from, to: q.to } : lastCompletePeriod(shanghaiYmd(ctx.now));
      return { ...(await rank(db, ctx, { ...period, orgId: q.orgId })), period };
    },

    /** Issues a notice: the period's ranking frozen with the leader's comments; the units are told. */
    async create(ctx: Ctx, body: NoticeCreate): Promise<NoticeView> {
      const id = await db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'task:supervise', 'org', [body.orgId]);
        const { ranking, overdue } = await rank(tx, ctx, { from: body.from, to: body.to, orgId: body.orgId });
        const r = await tx.query<{
          id: number;
        }>(sql`INSERT INTO task_notices (org_id, title, period_from, period_to, comment,
            ranking, overdue, created_by, created_at)
          VALUES (${body.orgId}, ${body.title}, ${body.from}, ${body.to}, ${body.comment}, ${JSON.stringify(ranking)}::jsonb,
            ${JSON.stringify(overdue)}::jsonb, ${ctx.actor.userId}, ${ctx.now}) RETURNING id`);
        const nid = r[0]!.id;
        await audit(tx, ctx, {
          action: 'task_notice.create',
          entityType: 'task_notice',
          entityId: nid,
          orgId: body.orgId,
          after: {
            title: body.title,
            from: body.from,
            to: body.to,
            units: ranking.length,
            overdue: overdue.length,
          },
        });
        await notifyUnits(
          tx,
          ctx,
          ranking.map((x) => x.orgId),
          {
            title: `【通报】${body.title}`,
            body: `统计期间 ${body.from} 至 ${body.to}`,
            link: `/tasks/notices/${nid}`,
          },
        );
        return nid;
      });
      return this.get(ctx, id);
    },

    async list(ctx: Ctx, f: { page: number; pageSize: number }) {
      if (!ctx.actor.permissions.has('task:read')) throw forbidden();
      const rows = await db.query<NoticeRow>(
        sql`${SELECT} WHERE ${noticeScope(ctx)} ORDER BY n.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
      );
      const n = await db.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM task_notices n WHERE ${noticeScope(ctx)}`,
      );
      return { items: rows.map(present), total: n[0]?.n ?? 0 };
    },

    async get(ctx: Ctx, id: number): Promise<NoticeView> {
      const row = (await db.query<NoticeRow>(sql`${SELECT} WHERE n.id = ${id} AND ${noticeScope(ctx)}`))[0];
      if (!row) throw notFound('通报');
      if (!ctx.actor.permissions.has('task:read')) throw forbidden();
      return present(row);
    },
  };
}
