import { z } from 'zod';
import { APPEAL_ACTIONS } from '../../../shared/appeals/machine.js';
import {
  actionBodies,
  appealCreate,
  appealDetail,
  appealListItem,
  appealListQuery,
  assistReplyBody,
  byPhoneQuery,
  type StaffAction,
} from '../../../shared/contracts/appeals.js';
import { idParam, page } from '../../../shared/contracts/common.js';
import type { App } from '../../app.js';
import { requirePermission } from '../../platform/access.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/context.js';
import { rawUploadRoutes, sendDownload, uploadedBytes, uploadLimit } from '../../platform/http/files.js';
import { forReads } from '../../platform/http/reads.js';
import { createActionService } from './actions.js';
import { appealConfig } from './config.js';
import { createFileService, MAX_FILE_BYTES } from './files.js';
import { intakeAppeal } from './intake.js';
import { createQueryService } from './query.js';
import { sweepOverdue } from './supervision.js';

const created = z.object({
  id: z.number(),
  trackingCode: z.string(),
  status: z.string(),
  orgName: z.string().nullable(),
  createdAt: z.string(),
  duplicate: z.boolean(),
});
const fileView = z.object({ id: z.number(), name: z.string(), size: z.number(), mime: z.string() });

/** Staff endpoints: intake, queues and search, detail, every lifecycle action, files. */
export function registerAppealRoutes(app: App, deps: Deps) {
  const query = createQueryService(deps);
  // the list and search: read-only, read-heavy, so from the standby when there is one
  const listing = forReads(deps, createQueryService);
  const actions = createActionService(deps);
  const files = createFileService(deps);
  const tags = ['诉求 appeals'];

  app.get(
    '/api/appeals',
    {
      schema: {
        tags,
        summary: '查询诉求列表',
        querystring: appealListQuery,
        response: { 200: page(appealListItem) },
      },
    },
    async (req) => (await listing(req)).list(ctxOf(req, deps.clock), req.query),
  );

  app.post(
    '/api/appeals',
    {
      schema: {
        tags,
        summary: '受理诉求（坐席登记）',
        body: appealCreate,
        response: { 200: created, 201: created },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'appeal:intake');
      const r = await intakeAppeal(deps, ctx, req.body);
      return reply.status(r.duplicate ? 200 : 201).send({ ...r, createdAt: r.createdAt.toISOString() });
    },
  );

  // a POST so that the phone travels in the body, never in a URL (logs, proxies, history)
  app.post(
    '/api/appeals/by-phone',
    {
      schema: {
        tags,
        summary: '按来电号码查询诉求',
        body: byPhoneQuery,
        response: { 200: page(appealListItem) },
      },
    },
    (req) => query.byPhone(ctxOf(req, deps.clock), req.body.phone),
  );

  app.get(
    '/api/appeals/:id',
    { schema: { tags, summary: '查询诉求详情', params: idParam, response: { 200: appealDetail } } },
    (req) => query.get(ctxOf(req, deps.clock), req.params.id),
  );

  app.post(
    '/api/appeals/:id/reveal',
    {
      schema: {
        tags,
        summary: '查看诉求人完整姓名与电话（留痕）',
        params: idParam,
        response: { 200: z.object({ name: z.string().nullable(), phone: z.string() }) },
      },
    },
    (req) => query.reveal(ctxOf(req, deps.clock), req.params.id),
  );

  for (const action of Object.keys(actionBodies) as StaffAction[]) {
    app.post(
      `/api/appeals/:id/${action.replaceAll('_', '-')}`,
      {
        schema: {
          tags,
          summary: `办理诉求：${APPEAL_ACTIONS[action]}`,
          params: idParam,
          body: actionBodies[action],
          response: {
            200: appealDetail,
            204: z.null().describe('诉求已移出调用者的数据范围（如退单、转办）'),
          },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req, deps.clock);
        await actions.act(ctx, req.params.id, action, req.body as never);
        // after a return or a transfer the appeal may have left the caller's scope
        const after = await query.get(ctx, req.params.id).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'NOT_FOUND') return null;
          throw err;
        });
        return after ? after : reply.status(204).send(null);
      },
    );
  }

  app.post(
    '/api/appeals/assists/:id/reply',
    {
      schema: {
        tags,
        summary: '协办单位答复',
        params: idParam,
        body: assistReplyBody,
        response: { 200: appealDetail },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      const appealId = await actions.assistReply(ctx, req.params.id, req.body);
      return query.get(ctx, appealId);
    },
  );

  app.get(
    '/api/appeal-config',
    { schema: { tags, summary: '查询诉求配置（分类、派单与时限规则）' } },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'appeal:read');
      const cfg = await appealConfig(deps.db);
      return { categories: cfg.tree(), rules: cfg.rules, sla: cfg.sla, center: cfg.center };
    },
  );

  app.post(
    '/api/appeals/sweep',
    {
      schema: {
        tags,
        summary: '超时诉求自动催办（立即执行一次）',
        response: { 200: z.object({ urged: z.number() }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'appeal:supervise');
      return { urged: await sweepOverdue(deps, ctx.now) };
    },
  );

  app.get(
    '/api/appeals/:id/files/:fileId',
    {
      schema: {
        tags,
        summary: '下载诉求附件',
        params: z.object({ id: idParam.shape.id, fileId: idParam.shape.id }).strict(),
      },
    },
    async (req, reply) => {
      return sendDownload(
        reply,
        await files.download(ctxOf(req, deps.clock), req.params.id, req.params.fileId),
      );
    },
  );

  // uploads: the raw file as the body (application/octet-stream), its name in the query
  rawUploadRoutes(app, MAX_FILE_BYTES, (scope) => {
    scope.post(
      '/api/appeals/:id/files',
      {
        bodyLimit: uploadLimit(MAX_FILE_BYTES),
        schema: {
          tags,
          summary: '上传诉求附件',
          params: idParam,
          querystring: z.object({ name: z.string().min(1).max(200) }).strict(),
          response: { 201: fileView },
        },
      },
      async (req, reply) => {
        const f = await files.upload(
          ctxOf(req, deps.clock),
          req.params.id,
          req.query.name,
          uploadedBytes(req),
        );
        return reply.status(201).send(f);
      },
    );
  });
}
