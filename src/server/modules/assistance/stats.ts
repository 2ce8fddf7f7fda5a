import ExcelJS from 'exceljs';
import { z } from 'zod';
import {
  CASE_STATUSES,
  CATEGORIES,
  FILING_LEVELS,
  PROGRAM_KINDS,
} from '../../../shared/assistance/constants.js';
import { fenToYuan } from '../../../shared/assistance/rules.js';
import { id } from '../../../shared/contracts/common.js';
import type { App } from '../../app.js';
import { assertAccess, requirePermission } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit, exportAudit } from '../../platform/audit.js';
import { type Sql, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { sendDownload } from '../../platform/http/files.js';
import { caseScope } from './cases/repo.js';
import { entitlementScope } from './programs/repo.js';

const lab = (d: Record<string, string>, k: string) => d[k] ?? k;

/** Households by category, level and region; money by program and cycle; exits by month. */
export function createStatsService(deps: Deps) {
  const { db } = deps;
  const within = (orgId: number | undefined, alias: string): Sql =>
    orgId
      ? sql`${sql.raw(alias)}.org_id IN (SELECT d.id FROM orgs d WHERE d.path LIKE (SELECT x.path FROM orgs x WHERE x.id = ${orgId}) || '%')`
      : sql.raw('TRUE');

  return {
    async stats(ctx: Ctx, orgId?: number) {
      if (orgId) await assertAccess(db, ctx.actor, 'assist:read', 'org', [orgId]);
      requirePermission(ctx.actor, 'assist:read');
      const cw = sql`${caseScope(ctx.actor)} AND ${within(orgId, 'c')}`;
      const ew = sql`${entitlementScope(ctx.actor)} AND ${within(orgId, 'e')}`;
      const [byStatus, byCategory, byLevel, byRegion, money, exits, never] = await Promise.all([
        db.query<{ k: string; n: number }>(
          sql`SELECT c.status AS k, count(*)::int AS n FROM assist_cases c WHERE ${cw} GROUP BY 1 ORDER BY 1`,
        ),
        db.query<{ k: string; n: number }>(sql`SELECT c.category AS k, count(*)::int AS n FROM assist_cases c
          WHERE ${cw} AND c.status = 'archived' GROUP BY 1 ORDER BY 2 DESC`),
        db.query<{ k: string; n: number }>(sql`SELECT c.level AS k, count(*)::int AS n FROM assist_cases c
          WHERE ${cw} AND c.status = 'archived' GROUP BY 1 ORDER BY 1`),
        db.query<{ code: string; name: string; n: number }>(sql`SELECT r.code, r.name, count(*)::int AS n
          FROM assist_cases c JOIN regions r ON r.code = rpad(left(c.region_code, 6), 12, '0')
          WHERE ${cw} AND c.status = 'archived' GROUP BY 1, 2 ORDER BY 1`),
        db.query<{
          program: string;
          kind: string;
          cycle: string;
          n: number;
          approved: number;
          paid: number;
          returned: number;
        }>(sql`
          SELECT g.name AS program, g.kind, y.name AS cycle, count(*)::int AS n,
            coalesce(sum(e.amount) FILTER (WHERE e.status = 'approved'), 0)::float8 AS approved,
            coalesce(sum(p.amount) FILTER (WHERE p.status = 'paid'), 0)::float8 AS paid,
            coalesce(sum(p.amount) FILTER (WHERE p.status = 'returned'), 0)::float8 AS returned
          FROM assist_entitlements e JOIN assist_cycles y ON y.id = e.cycle_id JOIN assist_programs g ON g.id = y.program_id
          LEFT JOIN assist_payments p ON p.entitlement_id = e.id
          WHERE ${ew} AND e.status <> 'rejected' GROUP BY g.id, g.name, g.kind, y.id, y.name ORDER BY y.id`),
        db.query<{
          month: string;
          status: string;
          n: number;
        }>(sql`SELECT to_char(ev.at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
            ev.to_status AS status, count(*)::int AS n
          FROM assist_events ev JOIN assist_cases c ON c.id = ev.case_id
          WHERE ${cw} AND ev.to_status IN ('closed', 'relieved') GROUP BY 1, 2 ORDER BY 1, 2`),
        db.query<{
          n: number;
        }>(sql`SELECT count(*)::int AS n FROM assist_cases c WHERE ${cw} AND c.status = 'archived'
          AND NOT EXISTS (SELECT 1 FROM assist_entitlements e JOIN assist_payments p ON p.entitlement_id = e.id
            WHERE e.case_id = c.id AND p.status = 'paid')`),
      ]);
      return {
        byStatus: byStatus.map((r) => ({ key: r.k, label: lab(CASE_STATUSES, r.k), count: r.n })),
        byCategory: byCategory.map((r) => ({ key: r.k, label: lab(CATEGORIES, r.k), count: r.n })),
        byLevel: byLevel.map((r) => ({ key: r.k, label: lab(FILING_LEVELS, r.k), count: r.n })),
        byRegion: byRegion.map((r) => ({ key: r.code, label: r.name, count: r.n })),
        money: money.map((r) => ({
          program: r.program,
          kind: lab(PROGRAM_KINDS, r.kind),
          cycle: r.cycle,
          count: r.n,
          approved: fenToYuan(r.approved),
          paid: fenToYuan(r.paid),
          returned: fenToYuan(r.returned),
        })),
        exits: exits.map((r) => ({
          month: r.month,
          status: r.status,
          label: lab(CASE_STATUSES, r.status),
          count: r.n,
        })),
        neverAssisted: never[0]?.n ?? 0,
      };
    },
  };
}

export function registerStatsRoutes(app: App, deps: Deps) {
  const svc = createStatsService(deps);
  const tags = ['帮扶 assistance'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);
  const querystring = z.object({ orgId: id.optional() }).strict();
  app.get('/api/assistance/stats', { schema: { tags, summary: '帮扶统计', querystring } }, (req) =>
    svc.stats(ctx(req), req.query.orgId),
  );
  app.get(
    '/api/assistance/stats/export',
    { schema: { tags, summary: '导出帮扶统计（Excel）', querystring } },
    async (req, reply) => {
      const c = ctx(req);
      const s = await svc.stats(c, req.query.orgId);
      const wb = new ExcelJS.Workbook();
      const sheet = (name: string, header: string[], rows: (string | number)[][]) => {
        const ws = wb.addWorksheet(name);
        ws.addRow(header).font = { bold: true };
        for (const r of rows) ws.addRow(r);
        ws.columns.forEach((col) => {
          col.width = 16;
        });
      };
      sheet(
        '按类别',
        ['困难类别', '在档户数'],
        s.byCategory.map((r) => [r.label, r.count]),
      );
      sheet(
        '按层级',
        ['建档层级', '在档户数'],
        s.byLevel.map((r) => [r.label, r.count]),
      );
      sheet(
        '按地区',
        ['地区', '在档户数'],
        s.byRegion.map((r) => [r.label, r.count]),
      );
      sheet(
        '资金',
        ['项目', '类别', '批次', '人次', '已审批（元）', '已发放（元）', '退回（元）'],
        s.money.map((r) => [r.program, r.kind, r.cycle, r.count, r.approved, r.paid, r.returned]),
      );
      sheet(
        '退出',
        ['月份', '去向', '户数'],
        s.exits.map((r) => [r.month, r.label, r.count]),
      );
      const bytes = Buffer.from(await wb.xlsx.writeBuffer());
      await audit(deps.db, c, exportAudit(c.actor, 'assist.stats.export', req.query, s.byCategory.length));
      return sendDownload(reply, {
        name: '帮扶统计.xlsx',
        mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        bytes,
      });
    },
  );
}
