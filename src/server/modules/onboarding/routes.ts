import multipart from '@fastify/multipart';
import { z } from 'zod';
import { idParam, page } from '../../../shared/contracts/common.js';
import {
  checklistView,
  importKind,
  importListQuery,
  importQuery,
  importView,
  rowError,
  sheetFormat,
} from '../../../shared/contracts/onboarding.js';
import { MAX_ONBOARDING_BYTES } from '../../../shared/onboarding/columns.js';
import type { App } from '../../app.js';
import { audit, exportAudit } from '../../platform/audit.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/context.js';
import { sendSheet } from '../../platform/sheets/sheets.js';
import { checklist } from './checklist.js';
import { tooLarge } from './files.js';
import { createOnboardingService, requireKind } from './service.js';
import { exportSpec, sendTemplate, templateCsv, templateXlsx } from './sheets.js';

const kindParam = z.object({ kind: importKind }).strict();

/**
 * Going live: the first-run checklist, the templates, the imports (dry run or applied) with
 * their error reports, and the export of what is loaded in the templates' form.
 */
export function registerOnboardingRoutes(app: App, deps: Deps): void {
  const svc = createOnboardingService(deps);
  const tags = ['上线初始化 onboarding'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);

  app.get(
    '/api/onboarding/checklist',
    { schema: { tags, summary: '查询上线准备清单（按数据自动判定）', response: { 200: checklistView } } },
    async (req) => {
      const c = ctx(req);
      if (!c.actor.permissions.has('onboarding:read')) throw forbidden();
      return checklist(deps.db, { dataDir: deps.config.dataDir, now: c.now });
    },
  );

  app.get(
    '/api/onboarding/templates/:kind',
    { schema: { tags, summary: '下载初始化导入模板', params: kindParam, querystring: sheetFormat } },
    async (req, reply) => {
      requireKind(ctx(req).actor, req.params.kind);
      const { kind } = req.params;
      return req.query.format === 'csv'
        ? sendTemplate(reply, kind, 'csv', templateCsv(kind))
        : sendTemplate(reply, kind, 'xlsx', await templateXlsx(kind));
    },
  );

  app.register(async (scope) => {
    await scope.register(multipart, {
      limits: { fileSize: MAX_ONBOARDING_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 10 },
    });
    (scope as App).post(
      '/api/onboarding/imports/:kind',
      {
        schema: {
          tags,
          summary: '上传初始化导入文件（组织、单位或用户，可先预览）',
          params: kindParam,
          querystring: importQuery,
          response: { 200: importView },
        },
      },
      async (req) => {
        const c = ctx(req);
        requireKind(c.actor, req.params.kind);
        if (!req.isMultipart()) throw invalid('请以 multipart/form-data 上传文件');
        let file: Awaited<ReturnType<typeof req.file>>;
        try {
          file = await req.file();
        } catch (e) {
          const code = (e as { code?: string }).code;
          if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
          throw invalid('上传内容不正确', { reason: code });
        }
        if (!file) throw invalid('请选择要导入的文件', { field: 'file' });
        return svc.run(c, req.params.kind, file, req.query.dryRun === 'true');
      },
    );
  });

  app.get(
    '/api/onboarding/imports',
    {
      schema: {
        tags,
        summary: '查询初始化导入记录',
        querystring: importListQuery,
        response: { 200: page(importView) },
      },
    },
    (req) => svc.list(ctx(req), req.query),
  );
  app.get(
    '/api/onboarding/imports/:id',
    { schema: { tags, summary: '查询初始化导入详情', params: idParam, response: { 200: importView } } },
    async (req) => svc.view(await svc.get(ctx(req), req.params.id)),
  );
  app.get(
    '/api/onboarding/imports/:id/errors',
    {
      schema: {
        tags,
        summary: '初始化导入的错误报告（表格或 JSON）',
        params: idParam,
        querystring: z.object({ format: z.enum(['xlsx', 'csv', 'json']).default('xlsx') }).strict(),
      },
    },
    async (req, reply) => {
      const r = await svc.get(ctx(req), req.params.id);
      if (req.query.format === 'json') return z.array(rowError).parse(svc.view(r).errors);
      return sendSheet(reply, req.query.format, `导入错误报告-${r.id}`, svc.errorReport(r));
    },
  );

  app.get(
    '/api/onboarding/export/:kind',
    { schema: { tags, summary: '导出组织、单位或用户数据', params: kindParam, querystring: sheetFormat } },
    async (req, reply) => {
      const c = ctx(req);
      requireKind(c.actor, req.params.kind);
      const { spec, rows } = await exportSpec(deps, c, req.params.kind);
      await deps.db.tx((tx) =>
        audit(tx, c, exportAudit(c.actor, `onboarding.export_${req.params.kind}`, {}, rows)),
      );
      return sendSheet(reply, req.query.format, `${spec.name}导出`, spec);
    },
  );
}
