import { idParam, page } from '../../../shared/contracts/common.js';
import { unitCreate, unitListQuery, unitUpdate, unitView } from '../../../shared/contracts/units.js';
import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { sendCsv } from '../../platform/http/files.js';
import { createUnitService } from './service.js';

export function registerUnitRoutes(app: App, deps: Deps) {
  const units = createUnitService(deps);
  const tags = ['基层单位 units'];
  app.get(
    '/api/units',
    {
      schema: {
        tags,
        summary: '查询基层单位列表',
        querystring: unitListQuery,
        response: { 200: page(unitView) },
      },
    },
    (req) => units.list(ctxOf(req, deps.clock), req.query),
  );
  app.get(
    '/api/units/export',
    { schema: { tags, summary: '导出基层单位（CSV，按列表筛选条件）', querystring: unitListQuery } },
    async (req, reply) => {
      const csv = await units.exportCsv(ctxOf(req, deps.clock), req.query);
      return sendCsv(reply, '基层单位.csv', csv);
    },
  );
  app.get(
    '/api/units/:id',
    { schema: { tags, summary: '查询基层单位详情', params: idParam, response: { 200: unitView } } },
    (req) => units.get(ctxOf(req, deps.clock), req.params.id),
  );
  app.post(
    '/api/units',
    { schema: { tags, summary: '新建基层单位', body: unitCreate, response: { 201: unitView } } },
    async (req, reply) => reply.status(201).send(await units.create(ctxOf(req, deps.clock), req.body)),
  );
  app.patch(
    '/api/units/:id',
    {
      schema: {
        tags,
        summary: '修改基层单位',
        params: idParam,
        body: unitUpdate,
        response: { 200: unitView },
      },
    },
    (req) => units.update(ctxOf(req, deps.clock), req.params.id, req.body),
  );
}
