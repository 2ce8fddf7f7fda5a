import { z } from 'zod';
import { idParam, page } from '../../../shared/contracts/common.js';
import { orgCreate, orgListQuery, orgMove, orgUpdate, orgView } from '../../../shared/contracts/orgs.js';
import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { createOrgService } from './service.js';

export function registerOrgRoutes(app: App, deps: Deps) {
  const orgs = createOrgService(deps);
  const tags = ['组织 orgs'];
  const detail = orgView.extend({ ancestors: z.array(z.object({ id: z.number(), name: z.string() })) });

  app.get(
    '/api/orgs',
    {
      schema: { tags, summary: '查询组织列表', querystring: orgListQuery, response: { 200: page(orgView) } },
    },
    (req) => orgs.list(ctxOf(req, deps.clock), req.query),
  );
  app.get(
    '/api/orgs/:id',
    { schema: { tags, summary: '查询组织详情', params: idParam, response: { 200: detail } } },
    (req) => orgs.get(ctxOf(req, deps.clock), req.params.id),
  );
  app.post(
    '/api/orgs',
    { schema: { tags, summary: '新建组织', body: orgCreate, response: { 201: orgView } } },
    async (req, reply) => reply.status(201).send(await orgs.create(ctxOf(req, deps.clock), req.body)),
  );
  app.patch(
    '/api/orgs/:id',
    { schema: { tags, summary: '修改组织', params: idParam, body: orgUpdate, response: { 200: orgView } } },
    (req) => orgs.update(ctxOf(req, deps.clock), req.params.id, req.body),
  );
  app.post(
    '/api/orgs/:id/move',
    {
      schema: { tags, summary: '调整组织的上级', params: idParam, body: orgMove, response: { 200: orgView } },
    },
    (req) => orgs.move(ctxOf(req, deps.clock), req.params.id, req.body),
  );
}
