import { z } from 'zod';
import {
  correctionBody,
  resultItem,
  resultsQuery,
  runAction,
  runCreate,
  runView,
  schemeInput,
  schemeUpdate,
  schemeView,
  scoresBody,
} from '../../../shared/contracts/assessment.js';
import { id, idParam } from '../../../shared/contracts/common.js';
import type { App } from '../../app.js';
import { audit } from '../../platform/audit.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { sendDownload } from '../../platform/http/files.js';
import { rankingDocx, rankingXlsx } from './export.js';
import * as repo from './repo.js';
import { createAssessmentService, RUN_TRANSITIONS, type RunAction } from './service.js';

/** 考核: schemes, runs, scores, results, explanations, rankings and notices. */
export function registerAssessmentRoutes(app: App, deps: Deps) {
  const svc = createAssessmentService(deps);
  const tags = ['考核 assessments'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);
  const explainView = z.record(z.string(), z.unknown());

  app.get(
    '/api/assessments/schemes',
    {
      schema: {
        tags,
        summary: '查询考核方案列表',
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.number(), name: z.string(), periodType: z.string() })),
          }),
        },
      },
    },
    (req) => svc.listSchemes(ctx(req)),
  );
  app.post(
    '/api/assessments/schemes',
    { schema: { tags, summary: '新建考核方案', body: schemeInput, response: { 201: schemeView } } },
    async (req, reply) => reply.status(201).send(await svc.createScheme(ctx(req), req.body)),
  );
  app.get(
    '/api/assessments/schemes/:id',
    { schema: { tags, summary: '查询考核方案详情', params: idParam, response: { 200: schemeView } } },
    (req) => svc.getScheme(ctx(req), req.params.id),
  );
  app.put(
    '/api/assessments/schemes/:id',
    {
      schema: {
        tags,
        summary: '修改考核方案',
        params: idParam,
        body: schemeUpdate,
        response: { 200: schemeView },
      },
    },
    (req) => svc.updateScheme(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/assessments/schemes/:id/runs',
    {
      schema: {
        tags,
        summary: '按考核方案计算一期考核',
        params: idParam,
        body: runCreate,
        response: { 200: runView },
      },
    },
    (req) => svc.compute(ctx(req), req.params.id, req.body.period),
  );
  app.get(
    '/api/assessments/runs',
    {
      schema: {
        tags,
        summary: '查询考核批次列表',
        querystring: z.object({ schemeId: id.optional() }).strict(),
        response: { 200: z.object({ items: z.array(runView) }) },
      },
    },
    (req) => svc.listRuns(ctx(req), req.query.schemeId),
  );
  app.get(
    '/api/assessments/runs/:id',
    { schema: { tags, summary: '查询考核批次详情', params: idParam, response: { 200: runView } } },
    (req) => svc.getRun(ctx(req), req.params.id),
  );
  app.post(
    '/api/assessments/runs/:id/actions/:action',
    {
      schema: {
        tags,
        summary: '推进考核批次（评审、结束、公示、发布）',
        params: z
          .object({ id, action: z.enum(Object.keys(RUN_TRANSITIONS) as [RunAction, ...RunAction[]]) })
          .strict(),
        body: runAction,
        response: { 200: runView },
      },
    },
    (req) => svc.act(ctx(req), req.params.id, req.params.action, req.body.version),
  );
  app.put(
    '/api/assessments/runs/:id/scores/:orgId',
    {
      schema: {
        tags,
        summary: '录入考核评分',
        params: z.object({ id, orgId: id }).strict(),
        body: scoresBody,
        response: { 200: explainView },
      },
    },
    (req) => svc.score(ctx(req), req.params.id, req.params.orgId, req.body),
  );
  app.post(
    '/api/assessments/runs/:id/corrections',
    {
      schema: {
        tags,
        summary: '更正单位的考核项数值',
        params: idParam,
        body: correctionBody,
        response: { 200: explainView },
      },
    },
    (req) => svc.correct(ctx(req), req.params.id, req.body),
  );
  app.get(
    '/api/assessments/runs/:id/units/:orgId',
    {
      schema: {
        tags,
        summary: '查看单位的得分明细与说明',
        params: z.object({ id, orgId: id }).strict(),
        response: { 200: explainView },
      },
    },
    (req) => svc.explain(ctx(req), req.params.id, req.params.orgId),
  );
  app.get(
    '/api/assessments/results',
    {
      schema: {
        tags,
        summary: '查询已发布的考核结果',
        querystring: resultsQuery,
        response: { 200: z.object({ items: z.array(resultItem) }) },
      },
    },
    (req) => svc.results(ctx(req), req.query),
  );
  app.get(
    '/api/assessments/runs/:id/export',
    {
      schema: {
        tags,
        summary: '导出考核排名通报（Word 或 Excel）',
        params: idParam,
        querystring: z.object({ format: z.enum(['docx', 'xlsx']) }).strict(),
      },
    },
    async (req, reply) => {
      const c = ctx(req);
      const run = await svc.getRun(c, req.params.id);
      const { items } = await svc.results(c, { schemeId: run.schemeId, period: run.period });
      const full = await repo.findRun(deps.db, run.id);
      const owner = (
        await deps.db.query<{ name: string }>(
          sql`SELECT o.name FROM assess_schemes s JOIN orgs o ON o.id = s.owner_org_id WHERE s.id = ${run.schemeId}`,
        )
      )[0]!;
      const vetoes = await deps.db.query<{ org_id: number; vetoes: { name: string }[] }>(
        sql`SELECT org_id, vetoes FROM assess_results WHERE run_id = ${run.id} AND vetoed`,
      );
      const vmap = new Map(vetoes.map((v) => [v.org_id, v.vetoes.map((x) => x.name)]));
      const notice = {
        title: `${run.schemeName}（${run.period}）考核结果通报`,
        ownerName: owner.name,
        period: run.period,
        status: run.status,
        grades: full.definition.grades,
        rows: items.map((r) => ({ ...r, vetoes: vmap.get(r.orgId) ?? [] })),
      };
      const docx = req.query.format === 'docx';
      const bytes = docx ? await rankingDocx(notice) : await rankingXlsx(notice);
      await audit(deps.db, c, {
        action: 'assess.export',
        entityType: 'export',
        entityId: null,
        after: { runId: run.id, format: req.query.format, rows: items.length },
      });
      return sendDownload(reply, {
        name: `${notice.title}.${req.query.format}`,
        mime: docx
          ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        bytes,
      });
    },
  );
}
