import { z } from 'zod';
import { idParam, page } from '../../../../shared/contracts/common.js';
import {
  docCreate,
  docDetail,
  docListQuery,
  docView,
  draftView,
  extractView,
  matchUnitsBody,
  publishBody,
  unitMatch,
} from '../../../../shared/contracts/tasks.js';
import { MAX_UPLOAD_BYTES } from '../../../../shared/tasks/constants.js';
import type { App } from '../../../app.js';
import type { Deps } from '../../../platform/deps.js';
import { ctxOf } from '../../../platform/http/context.js';
import { rawUploadRoutes, uploadedBytes, uploadLimit } from '../../../platform/http/files.js';
import { createDocumentService } from './service.js';

/** Documents: paste or upload, decompose into a draft, publish the reviewed tasks. */
export function registerDocumentRoutes(app: App, deps: Deps) {
  const docs = createDocumentService(deps);
  const tags = ['部署督办 documents'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);

  app.get(
    '/api/task-docs',
    {
      schema: {
        tags,
        summary: '查询任务文件列表',
        querystring: docListQuery,
        response: { 200: page(docView) },
      },
    },
    (req) => docs.list(ctx(req), req.query),
  );
  app.get(
    '/api/task-docs/:id',
    { schema: { tags, summary: '查询任务文件详情', params: idParam, response: { 200: docDetail } } },
    (req) => docs.get(ctx(req), req.params.id),
  );
  app.post(
    '/api/task-docs/:id/decompose',
    {
      schema: {
        tags,
        summary: '分解任务文件（生成任务草稿）',
        params: idParam,
        response: { 200: draftView },
      },
    },
    (req) => docs.decompose(ctx(req), req.params.id),
  );
  app.post(
    '/api/task-docs/:id/publish',
    {
      schema: {
        tags,
        summary: '发布任务文件分解出的任务',
        params: idParam,
        body: publishBody,
        response: { 200: z.object({ taskIds: z.array(z.number()), version: z.number() }) },
      },
    },
    (req) => docs.publish(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/task-docs/match-units',
    {
      schema: {
        tags,
        summary: '按名称匹配基层单位',
        body: matchUnitsBody,
        response: { 200: z.array(unitMatch) },
      },
    },
    (req) => docs.match(ctx(req), req.body.names),
  );
  // pasted text may be long: this scope takes bodies up to the upload limit and answers clearly above it
  rawUploadRoutes(app, MAX_UPLOAD_BYTES, (s) => {
    s.post(
      '/api/task-docs',
      {
        bodyLimit: MAX_UPLOAD_BYTES * 2,
        schema: { tags, summary: '新建任务文件', body: docCreate, response: { 201: docView } },
      },
      async (req, reply) => reply.status(201).send(await docs.create(ctx(req), req.body)),
    );
    s.post(
      '/api/task-docs/extract',
      {
        bodyLimit: uploadLimit(MAX_UPLOAD_BYTES),
        schema: {
          tags,
          summary: '上传文件并提取正文与任务表',
          querystring: z.object({ name: z.string().min(1).max(200) }).strict(),
          response: { 200: extractView },
        },
      },
      (req) => docs.extract(ctx(req), req.query.name, uploadedBytes(req)),
    );
  });
}
