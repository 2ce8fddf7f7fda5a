import { z } from 'zod';
import { MAX_FILE_BYTES } from '../../../shared/assistance/constants.js';
import type { CaseAction } from '../../../shared/assistance/machine.js';
import {
  caseActionBody,
  caseActionParams,
  caseCreate,
  caseDetail,
  caseListQuery,
  caseView,
  exitRuleBody,
  incomeBody,
  visitCreate,
} from '../../../shared/contracts/assistance.js';
import { id, idParam, page } from '../../../shared/contracts/common.js';
import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { rawUploadRoutes, sendDownload, uploadedBytes, uploadLimit } from '../../platform/http/files.js';
import { createIncomeService } from './cases/income.js';
import { createCaseService } from './cases/service.js';
import { createVisitService } from './cases/visits.js';
import { createRuleService } from './rules.js';

/** Household archives: list, detail, filing, the review chain, the visit, income, the exit rule. */
export function registerCaseRoutes(app: App, deps: Deps) {
  const cases = createCaseService(deps);
  const visits = createVisitService(deps);
  const income = createIncomeService(deps);
  const rules = createRuleService(deps);
  const tags = ['帮扶 assistance'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);

  app.get(
    '/api/assistance/cases',
    {
      schema: {
        tags,
        summary: '帮扶档案列表（申请人姓名脱敏）',
        querystring: caseListQuery,
        response: { 200: page(caseView) },
      },
    },
    (req) => cases.list(ctx(req), req.query),
  );
  app.post(
    '/api/assistance/cases',
    { schema: { tags, summary: '帮扶申请或临时救助登记', body: caseCreate, response: { 201: caseDetail } } },
    async (req, reply) => reply.status(201).send(await cases.create(ctx(req), req.body)),
  );
  app.get(
    '/api/assistance/cases/:id',
    {
      schema: {
        tags,
        summary: '帮扶档案详情（身份证号、银行账号脱敏）',
        params: idParam,
        response: { 200: caseDetail },
      },
    },
    (req) => cases.get(ctx(req), req.params.id),
  );
  app.post(
    '/api/assistance/cases/:id/actions/:action',
    {
      schema: {
        tags,
        summary: '档案流转：初审、审核、公示、在档、销档、解困等',
        params: caseActionParams,
        body: caseActionBody,
        response: { 200: caseDetail },
      },
    },
    (req) => cases.act(ctx(req), req.params.id, req.params.action as CaseAction, req.body),
  );
  app.post(
    '/api/assistance/cases/:id/visit',
    {
      schema: {
        tags,
        summary: '入户核查记录（照片与签字授权书）',
        params: idParam,
        body: visitCreate,
        response: { 200: caseDetail },
      },
    },
    (req) => visits.record(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/assistance/cases/:id/incomes',
    {
      schema: {
        tags,
        summary: '登记家庭月收入（并评估退出规则）',
        params: idParam,
        body: incomeBody,
        response: { 200: caseDetail },
      },
    },
    (req) => income.enter(ctx(req), req.params.id, req.body),
  );
  app.get(
    '/api/assistance/cases/:id/files/:fileId',
    { schema: { tags, summary: '下载档案附件', params: z.object({ id, fileId: id }).strict() } },
    async (req, reply) =>
      sendDownload(reply, await visits.download(ctx(req), req.params.id, req.params.fileId)),
  );
  rawUploadRoutes(app, MAX_FILE_BYTES, (scope) => {
    scope.post(
      '/api/assistance/cases/:id/files',
      {
        bodyLimit: uploadLimit(MAX_FILE_BYTES),
        schema: {
          tags,
          summary: '上传档案附件（原始文件为请求体）',
          params: idParam,
          querystring: z
            .object({ name: z.string().min(1).max(200), kind: z.enum(['photo', 'authorization', 'other']) })
            .strict(),
          response: {
            201: z.object({ id: z.number(), name: z.string(), size: z.number(), kind: z.string() }),
          },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(
            await visits.upload(ctx(req), req.params.id, req.query.kind, req.query.name, uploadedBytes(req)),
          ),
    );
  });

  const ruleView = z.object({
    expr: z.string(),
    months: z.number(),
    line: z.number(),
    version: z.number(),
    names: z.array(z.string()),
  });
  app.get(
    '/api/assistance/exit-rule',
    {
      schema: {
        tags,
        summary: '查看退出规则',
        querystring: z.object({ orgId: id.optional() }).strict(),
        response: { 200: ruleView },
      },
    },
    (req) => rules.getExit(ctx(req), req.query.orgId),
  );
  app.put(
    '/api/assistance/exit-rule',
    {
      schema: {
        tags,
        summary: '保存退出规则（表达式在保存时校验）',
        querystring: z.object({ orgId: id.optional() }).strict(),
        body: exitRuleBody,
        response: { 200: ruleView },
      },
    },
    (req) => rules.setExit(ctx(req), req.query.orgId, req.body),
  );
}
