import { z } from 'zod';
import {
  APPEAL_CHANNELS,
  APPEAL_GROUPS,
  APPEAL_PRIORITIES,
  APPEAL_STATUSES,
  type AppealChannel,
  type AppealGroup,
  SATISFACTION,
  type Satisfaction,
  SUPERVISION_LEVELS,
  type SupervisionLevel,
} from '../../../shared/appeals/constants.js';
import { appealListQuery } from '../../../shared/contracts/appeals.js';
import type { App } from '../../app.js';
import { requirePermission } from '../../platform/access.js';
import { audit } from '../../platform/audit.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { forReads } from '../../platform/http/reads.js';
import { appealConfig } from './config.js';
import { listRows, listWhere } from './query.js';
import { createStatsService, STATS_COLUMNS, statsQuery, statsRow } from './stats.js';
import { attachment, XLSX_MIME, xlsx } from './xlsx.js';

/** At most this many appeals go into one export. */
export const EXPORT_CAP = 50_000;

const local = (d: Date | null) =>
  d ? new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

/** Statistics (the three rates) and the Excel exports of lists and statistics. */
export function registerAppealReportRoutes(app: App, deps: Deps) {
  const stats = createStatsService(deps);
  const statsRead = forReads(deps, createStatsService);
  const tags = ['诉求统计 appeal statistics'];

  app.get(
    '/api/appeals/stats',
    {
      schema: {
        tags,
        summary: '诉求统计',
        querystring: statsQuery,
        response: { 200: z.object({ items: z.array(statsRow), summary: statsRow }) },
      },
    },
    async (req) => (await statsRead(req)).stats(ctxOf(req, deps.clock), req.query),
  );

  app.get(
    '/api/appeals/stats/export',
    { schema: { tags, summary: '导出诉求统计（CSV）', querystring: statsQuery } },
    async (req, reply) => {
      const ctx = ctxOf(req, deps.clock);
      const r = await stats.stats(ctx, req.query);
      const rows = [...r.items, r.summary].map((it) =>
        STATS_COLUMNS.map(([k]) => it[k] as string | number | null),
      );
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', attachment(`诉求统计-${req.query.groupBy}.xlsx`))
        .send(xlsx([{ name: '诉求统计', header: STATS_COLUMNS.map(([, l]) => l), rows }]));
    },
  );

  const exportQuery = appealListQuery.omit({ page: true, pageSize: true });
  app.get(
    '/api/appeals/export',
    { schema: { tags, summary: '导出诉求列表（CSV，按列表筛选条件）', querystring: exportQuery } },
    async (req, reply) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'appeal:read');
      const cfg = await appealConfig(deps.db);
      const rows = await listRows(
        deps.db,
        listWhere(ctx.actor, req.query, ctx.now),
        EXPORT_CAP,
        0,
        req.query.sort,
      );
      await deps.db.tx((tx) =>
        audit(tx, ctx, {
          action: 'appeal.export',
          entityType: 'appeal',
          entityId: null,
          after: { filters: req.query, rows: rows.length },
        }),
      );
      const sheet = {
        name: '诉求清单',
        header: [
          '查询码',
          '标题',
          '优先级',
          '状态',
          '诉求人群',
          '分类',
          '渠道',
          '事项发生地',
          '办理单位',
          '督办',
          '办理时限',
          '受理时间',
          '答复时间',
          '满意度',
        ],
        widths: [14, 40, 8, 10, 12, 16, 10, 16, 24, 10, 18, 18, 18, 12],
        rows: rows.map((r) => [
          r.tracking_code,
          r.title,
          APPEAL_PRIORITIES[r.priority],
          APPEAL_STATUSES[r.status],
          APPEAL_GROUPS[r.group_key as AppealGroup] ?? r.group_key,
          cfg.categories.get(r.category_code)?.name ?? r.category_code,
          APPEAL_CHANNELS[r.channel as AppealChannel] ?? r.channel,
          r.region_name,
          r.org_name,
          SUPERVISION_LEVELS[r.supervision_level as SupervisionLevel],
          local(r.due_at),
          local(r.created_at),
          local(r.replied_at),
          r.satisfaction ? SATISFACTION[r.satisfaction as Satisfaction] : '',
        ]),
      };
      return reply
        .header('content-type', XLSX_MIME)
        .header('content-disposition', attachment('诉求清单.xlsx'))
        .send(xlsx([sheet]));
    },
  );
}
