import multipart from '@fastify/multipart';
import { z } from 'zod';
import { id, idParam, page } from '../../../../shared/contracts/common.js';
import { personListQuery } from '../../../../shared/contracts/people.js';
import {
  importErrorsQuery,
  importErrorView,
  importJobView,
  importListQuery,
  templateQuery,
} from '../../../../shared/contracts/peopleImport.js';
import { MAX_IMPORT_BYTES } from '../../../../shared/people/importColumns.js';
import type { App } from '../../../app.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, invalid } from '../../../platform/errors.js';
import { ctxOf } from '../../../platform/http/context.js';
import { runPeriodically } from '../../../platform/periodic.js';
import { sendSheet } from '../../../platform/sheets/sheets.js';
import { exportPersons } from './export.js';
import { IMPORT_TOPIC, requeueStuckImports, runImport } from './job.js';
import { createImportService } from './service.js';

export function registerImportRoutes(app: App, deps: Deps) {
  const imports = createImportService(deps);
  // jobs whose worker died are queued again and resume (job.ts)
  runPeriodically(app, deps, 'stuck imports', () => requeueStuckImports(deps));
  const tags = ['人员导入导出 people import/export'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);

  // multipart only in this scope, with the import's limits
  app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 10 },
    });
    (scope as App).post(
      '/api/people/imports',
      {
        schema: {
          tags,
          summary: '上传人员导入文件（后台处理）',
          querystring: z.object({ orgId: id }).strict(),
          response: { 202: importJobView },
        },
      },
      async (req, reply) => {
        const c = ctx(req);
        await imports.assertCanImport(c, req.query.orgId);
        if (!req.isMultipart()) throw invalid('请以 multipart/form-data 上传文件');
        let file: Awaited<ReturnType<typeof req.file>>;
        try {
          file = await req.file();
        } catch (e) {
          if (e instanceof AppError) throw e;
          const code = (e as { code?: string }).code;
          if (code === 'FST_REQ_FILE_TOO_LARGE')
            throw new AppError(
              'PAYLOAD_TOO_LARGE',
              `文件超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB 的上限，请拆分后导入`,
            );
          throw invalid('上传内容不正确', { reason: code });
        }
        if (!file) throw invalid('请选择要导入的文件', { field: 'file' });
        return reply.status(202).send(await imports.upload(c, req.query.orgId, file));
      },
    );
  });

  app.get(
    '/api/people/imports',
    {
      schema: {
        tags,
        summary: '查询人员导入记录',
        querystring: importListQuery,
        response: { 200: page(importJobView) },
      },
    },
    (req) => imports.list(ctx(req), req.query),
  );
  app.get(
    '/api/people/imports/:id',
    { schema: { tags, summary: '查询人员导入详情', params: idParam, response: { 200: importJobView } } },
    (req) => imports.get(ctx(req), req.params.id),
  );
  app.get(
    '/api/people/imports/:id/errors',
    {
      schema: {
        tags,
        summary: '人员导入的错误报告（表格或 JSON）',
        params: idParam,
        querystring: importErrorsQuery,
      },
    },
    async (req, reply) => {
      const c = ctx(req);
      if (req.query.format === 'json')
        return z.array(importErrorView).parse(await imports.errorList(c, req.params.id));
      return sendSheet(
        reply,
        req.query.format,
        `导入错误报告-${req.params.id}`,
        await imports.errorReport(c, req.params.id),
      );
    },
  );
  app.get(
    '/api/people/import-template',
    { schema: { tags, summary: '下载人员导入模板', querystring: templateQuery } },
    async (req, reply) => {
      ctx(req);
      return sendSheet(reply, req.query.format, '人员导入模板', imports.template());
    },
  );
  app.get(
    '/api/persons/export',
    {
      schema: {
        tags,
        summary: '导出人员名单（Excel 或 CSV）',
        querystring: personListQuery.omit({ page: true, pageSize: true }).extend({
          format: z.enum(['xlsx', 'csv']).default('xlsx'),
          reveal: z.enum(['true', 'false']).default('false'),
        }),
      },
    },
    async (req, reply) => {
      const { format, reveal, ...f } = req.query;
      const spec = await exportPersons(deps, ctx(req), f, reveal === 'true');
      return sendSheet(reply, format, '人员名单', spec);
    },
  );
}

/** The import job: one outbox row per uploaded file. */
export function registerImportJob(deps: Deps) {
  deps.jobs.on(IMPORT_TOPIC, async (p) => {
    await runImport(deps, Number(p.jobId));
  });
}
