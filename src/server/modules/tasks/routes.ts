import { z } from 'zod';
import { id, idParam, page, paging } from '../../../shared/contracts/common.js';
import {
  escalateBody,
  eventView,
  liftBody,
  reportCreate,
  taskActionBody,
  taskActionParams,
  taskCreate,
  taskDetail,
  taskListQuery,
  taskSplit,
  taskUpdate,
  taskView,
  worklogQuery,
} from '../../../shared/contracts/tasks.js';
import { MAX_UPLOAD_BYTES } from '../../../shared/tasks/constants.js';
import type { App } from '../../app.js';
import { requirePermission } from '../../platform/access.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { rawUploadRoutes, sendDownload, uploadedBytes, uploadLimit } from '../../platform/http/files.js';
import { createProgressService } from './progress.js';
import { createTaskService } from './service.js';
import { createSplitService } from './split.js';
import { createSupervisionService, sweepTasks } from './supervision.js';

/** Tasks, progress reports, supervision and the work log. */
export function registerTaskRoutes(app: App, deps: Deps) {
  const tasks = createTaskService(deps);
  const progress = createProgressService(deps);
  const sup = createSupervisionService(deps);
  const splitter = createSplitService(deps);
  const tags = ['部署督办 tasks'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);

  app.get(
    '/api/tasks',
    {
      schema: {
        tags,
        summary: '查询任务列表',
        querystring: taskListQuery,
        response: { 200: page(taskView) },
      },
    },
    (req) => tasks.list(ctx(req), req.query),
  );
  app.post(
    '/api/tasks',
    { schema: { tags, summary: '新建任务', body: taskCreate, response: { 201: taskView } } },
    async (req, reply) => reply.status(201).send(await tasks.create(ctx(req), req.body)),
  );
  app.get(
    '/api/tasks/:id',
    { schema: { tags, summary: '查询任务详情', params: idParam, response: { 200: taskDetail } } },
    (req) => tasks.get(ctx(req), req.params.id),
  );
  app.patch(
    '/api/tasks/:id',
    { schema: { tags, summary: '修改任务', params: idParam, body: taskUpdate, response: { 200: taskView } } },
    (req) => tasks.update(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/tasks/:id/split',
    {
      schema: {
        tags,
        summary: '分解任务（下发子任务）',
        params: idParam,
        body: taskSplit,
        response: { 201: z.object({ parent: taskView, childIds: z.array(z.number()) }) },
      },
    },
    async (req, reply) => {
      const childIds = await splitter.split(ctx(req), req.params.id, req.body);
      return reply.status(201).send({ parent: await tasks.view(deps.db, ctx(req), req.params.id), childIds });
    },
  );
  app.post(
    '/api/tasks/:id/actions/:action',
    {
      schema: {
        tags,
        summary: '暂停、恢复或重新打开任务',
        params: taskActionParams,
        body: taskActionBody,
        response: { 200: taskView },
      },
    },
    (req) => tasks.act(ctx(req), req.params.id, req.params.action, req.body),
  );
  app.post(
    '/api/tasks/:id/reports',
    {
      schema: {
        tags,
        summary: '上报任务进展',
        params: idParam,
        body: reportCreate,
        response: {
          201: z.object({
            id: z.number(),
            status: z.string(),
            statusLabel: z.string(),
            progress: z.number(),
          }),
        },
      },
    },
    async (req, reply) => reply.status(201).send(await progress.report(ctx(req), req.params.id, req.body)),
  );
  app.post(
    '/api/tasks/:id/escalate',
    {
      schema: {
        tags,
        summary: '升级任务督办等级',
        params: idParam,
        body: escalateBody,
        response: { 200: taskView },
      },
    },
    async (req) => {
      await sup.escalate(ctx(req), req.params.id, req.body);
      return tasks.view(deps.db, ctx(req), req.params.id);
    },
  );
  app.post(
    '/api/tasks/:id/lift',
    {
      schema: { tags, summary: '解除任务督办', params: idParam, body: liftBody, response: { 200: taskView } },
    },
    async (req) => {
      await sup.lift(ctx(req), req.params.id, req.body);
      return tasks.view(deps.db, ctx(req), req.params.id);
    },
  );
  app.get(
    '/api/tasks/:id/timeline',
    {
      schema: {
        tags,
        summary: '查询任务时间线',
        params: idParam,
        querystring: z.object(paging).strict(),
        response: { 200: page(eventView) },
      },
    },
    (req) =>
      progress.events(ctx(req), {
        taskId: req.params.id,
        ...req.query,
        pageSize: Math.max(req.query.pageSize, 200),
      }),
  );
  app.get(
    '/api/task-worklog',
    {
      schema: {
        tags,
        summary: '查询任务工作日志',
        querystring: worklogQuery,
        response: { 200: page(eventView) },
      },
    },
    (req) => progress.events(ctx(req), req.query),
  );
  app.get(
    '/api/task-supervision',
    {
      schema: {
        tags,
        summary: '查询督办任务队列',
        querystring: z.object(paging).strict(),
        response: { 200: page(taskView) },
      },
    },
    (req) => sup.queue(ctx(req), req.query),
  );
  app.post(
    '/api/task-supervision/sweep',
    { schema: { tags, summary: '逾期任务自动督办（立即执行一次）' } },
    async (req) => {
      const c = ctx(req);
      requirePermission(c.actor, 'task:supervise');
      return sweepTasks(deps, c.now);
    },
  );

  app.get(
    '/api/tasks/:id/files/:fileId',
    { schema: { tags, summary: '下载任务附件', params: z.object({ id, fileId: id }).strict() } },
    async (req, reply) => {
      return sendDownload(reply, await progress.download(ctx(req), req.params.id, req.params.fileId));
    },
  );
  // attachments: the raw file as the body (application/octet-stream), its name in the query
  rawUploadRoutes(app, MAX_UPLOAD_BYTES, (scope) => {
    scope.post(
      '/api/tasks/:id/files',
      {
        bodyLimit: uploadLimit(MAX_UPLOAD_BYTES),
        schema: {
          tags,
          summary: '上传任务附件',
          params: idParam,
          querystring: z.object({ name: z.string().min(1).max(200) }).strict(),
          response: { 201: z.object({ id: z.number(), name: z.string(), size: z.number() }) },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await progress.upload(ctx(req), req.params.id, req.query.name, uploadedBytes(req))),
    );
  });
}
