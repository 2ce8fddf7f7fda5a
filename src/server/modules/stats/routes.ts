import { z } from 'zod';
import { idParam } from '../../../shared/contracts/common.js';
import {
  cellValue,
  completionNode,
  formInput,
  formSummaryItem,
  formUpdate,
  formView,
  periodQuery,
  reportReview,
  reportSave,
  reportSubmit,
  reportUnlock,
  reportView,
  summaryView,
} from '../../../shared/contracts/stats.js';
import type { App } from '../../app.js';
import { requirePermission } from '../../platform/access.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { sendDownload } from '../../platform/http/files.js';
import { createFormService } from './forms.js';
import { INDICATORS } from './indicators.js';
import { createReportService } from './reports.js';
import { createSummaryService } from './summary.js';

const cells = z.record(z.string(), cellValue);

/** 统计报表: forms, reports and their flow, summaries, completion, export. */
export function registerStatsRoutes(app: App, deps: Deps) {
  const forms = createFormService(deps);
  const reports = createReportService(deps);
  const sums = createSummaryService(deps);
  const tags = ['统计报表 stats'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);
  const at = { tags, params: idParam, querystring: periodQuery };

  app.get('/api/stats/indicators', { schema: { tags, summary: '查询可用的统计指标' } }, (req) => {
    requirePermission(ctx(req).actor, 'stats:read');
    return {
      items: INDICATORS.map((i) => ({ key: i.key, label: i.label, unit: i.unit, formula: i.formula })),
    };
  });
  app.get(
    '/api/stats/forms',
    {
      schema: {
        tags,
        summary: '查询统计报表列表',
        response: { 200: z.object({ items: z.array(formSummaryItem) }) },
      },
    },
    (req) => forms.list(ctx(req)),
  );
  app.post(
    '/api/stats/forms',
    { schema: { tags, summary: '新建统计报表', body: formInput, response: { 201: formView } } },
    async (req, reply) => reply.status(201).send(await forms.create(ctx(req), req.body)),
  );
  app.get(
    '/api/stats/forms/:id',
    { schema: { tags, summary: '查询统计报表定义', params: idParam, response: { 200: formView } } },
    (req) => forms.get(ctx(req), req.params.id),
  );
  app.put(
    '/api/stats/forms/:id',
    {
      schema: {
        tags,
        summary: '修改统计报表定义',
        params: idParam,
        body: formUpdate,
        response: { 200: formView },
      },
    },
    (req) => forms.update(ctx(req), req.params.id, req.body),
  );

  app.get(
    '/api/stats/forms/:id/report',
    { schema: { ...at, summary: '查询某组织某期的填报', response: { 200: reportView } } },
    (req) => reports.get(ctx(req), req.params.id, req.query.period, req.query.orgId),
  );
  app.put(
    '/api/stats/forms/:id/report',
    { schema: { ...at, summary: '保存填报（草稿）', body: reportSave, response: { 200: reportView } } },
    (req) => reports.save(ctx(req), req.params.id, req.query.period, req.query.orgId, req.body),
  );
  app.post(
    '/api/stats/forms/:id/report/submit',
    { schema: { ...at, summary: '提交填报', body: reportSubmit, response: { 200: reportView } } },
    (req) => reports.submit(ctx(req), req.params.id, req.query.period, req.query.orgId, req.body),
  );
  app.post(
    '/api/stats/forms/:id/report/review',
    {
      schema: { ...at, summary: '审核填报（通过或退回）', body: reportReview, response: { 200: reportView } },
    },
    (req) => reports.review(ctx(req), req.params.id, req.query.period, req.query.orgId, req.body),
  );
  app.post(
    '/api/stats/forms/:id/report/unlock',
    { schema: { ...at, summary: '解锁已提交的填报', body: reportUnlock, response: { 200: reportView } } },
    (req) => reports.unlock(ctx(req), req.params.id, req.query.period, req.query.orgId, req.body),
  );
  app.get(
    '/api/stats/forms/:id/report/history',
    {
      schema: {
        ...at,
        summary: '查询填报的修改历史',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: z.number(),
                version: z.number(),
                action: z.string(),
                status: z.string(),
                actorName: z.string(),
                values: cells.nullable(),
                comment: z.string(),
                cellReasons: z.record(z.string(), z.string()),
                explanations: z.record(z.string(), z.string()),
                at: z.string(),
              }),
            ),
          }),
        },
      },
    },
    (req) => reports.history(ctx(req), req.params.id, req.query.period, req.query.orgId),
  );
  app.get(
    '/api/stats/forms/:id/report/records',
    {
      schema: {
        tags,
        summary: '查询预填单元格的来源记录',
        params: idParam,
        querystring: periodQuery.extend({ cell: z.string().max(40) }).strict(),
        response: {
          200: z.object({
            indicator: z.string(),
            items: z.array(
              z.object({
                type: z.string(),
                id: z.number(),
                title: z.string(),
                note: z.string(),
                href: z.string(),
              }),
            ),
          }),
        },
      },
    },
    (req) => reports.records(ctx(req), req.params.id, req.query.period, req.query.orgId, req.query.cell),
  );

  app.get(
    '/api/stats/forms/:id/summary',
    { schema: { ...at, summary: '统计报表汇总', response: { 200: summaryView } } },
    (req) => sums.summary(ctx(req), req.params.id, req.query.period, req.query.orgId),
  );
  app.get(
    '/api/stats/forms/:id/drill',
    {
      schema: {
        ...at,
        summary: '汇总数据下钻（按下级组织）',
        response: {
          200: z.object({
            orgId: z.number(),
            period: z.string(),
            items: z.array(z.object({ orgId: z.number(), orgName: z.string(), cells })),
          }),
        },
      },
    },
    (req) => sums.drill(ctx(req), req.params.id, req.query.period, req.query.orgId),
  );
  app.get(
    '/api/stats/forms/:id/completion',
    {
      schema: {
        ...at,
        summary: '查询各组织的填报完成情况',
        response: { 200: z.object({ due: z.string(), items: z.array(completionNode) }) },
      },
    },
    (req) => sums.completion(ctx(req), req.params.id, req.query.period, req.query.orgId),
  );
  app.get(
    '/api/stats/forms/:id/export',
    { schema: { ...at, summary: '导出统计报表汇总（Excel）' } },
    async (req, reply) => {
      const f = await sums.exportXlsx(ctx(req), req.params.id, req.query.period, req.query.orgId);
      return sendDownload(reply, {
        name: f.name,
        mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        bytes: f.bytes,
      });
    },
  );
  app.post(
    '/api/stats/forms/:id/urge',
    { schema: { ...at, summary: '催报未提交的组织', response: { 200: z.object({ orgs: z.number() }) } } },
    (req) => sums.urge(ctx(req), req.params.id, req.query.period, req.query.orgId),
  );
}
