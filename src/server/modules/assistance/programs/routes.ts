import { z } from 'zod';
import {
  cycleCreate,
  entitlementAction,
  paymentMark,
  programCreate,
  programUpdate,
  proposeBody,
  returnVisitBody,
} from '../../../../shared/contracts/assistance.js';
import { id, idParam } from '../../../../shared/contracts/common.js';
import type { App } from '../../../app.js';
import type { Deps } from '../../../platform/deps.js';
import { ctxOf } from '../../../platform/http/context.js';
import { sendCsv } from '../../../platform/http/files.js';
import { createEntitlementService, type EntitlementMove } from './entitlements.js';
import { createPaymentService } from './payments.js';
import { createProgramService } from './service.js';

/** Programs, cycles, entitlements, batches and payments. */
export function registerProgramRoutes(app: App, deps: Deps) {
  const programs = createProgramService(deps);
  const ents = createEntitlementService(deps);
  const pays = createPaymentService(deps);
  const tags = ['帮扶 assistance'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);
  const versionBody = z.object({ version: z.number().int().min(1) }).strict();

  app.get('/api/assistance/programs', { schema: { tags, summary: '帮扶项目列表' } }, (req) =>
    programs.list(ctx(req)),
  );
  app.post(
    '/api/assistance/programs',
    { schema: { tags, summary: '新建帮扶项目（资格与标准规则在保存时校验）', body: programCreate } },
    async (req, reply) => reply.status(201).send(await programs.create(ctx(req), req.body)),
  );
  app.patch(
    '/api/assistance/programs/:id',
    { schema: { tags, summary: '修改帮扶项目', params: idParam, body: programUpdate } },
    (req) => programs.update(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/assistance/programs/:id/cycles',
    { schema: { tags, summary: '新建帮扶批次', params: idParam, body: cycleCreate } },
    async (req, reply) =>
      reply.status(201).send(await programs.createCycle(ctx(req), req.params.id, req.body)),
  );
  app.get(
    '/api/assistance/cycles',
    {
      schema: { tags, summary: '帮扶批次列表', querystring: z.object({ programId: id.optional() }).strict() },
    },
    (req) => ents.cycles(ctx(req), req.query.programId),
  );
  app.get(
    '/api/assistance/cycles/:id',
    { schema: { tags, summary: '批次详情与救助名单（含重复救助提示）', params: idParam } },
    (req) => ents.cycle(ctx(req), req.params.id),
  );
  app.post(
    '/api/assistance/cycles/:id/compute',
    { schema: { tags, summary: '按规则计算救助名单', params: idParam, body: versionBody } },
    (req) => programs.compute(ctx(req), req.params.id, req.body.version),
  );
  app.post(
    '/api/assistance/cycles/:id/entitlements',
    { schema: { tags, summary: '提名救助对象（跨组织查重）', params: idParam, body: proposeBody } },
    async (req, reply) => reply.status(201).send(await ents.propose(ctx(req), req.params.id, req.body)),
  );
  app.post(
    '/api/assistance/entitlements/:id/:move',
    {
      schema: {
        tags,
        summary: '救助名单审核、审批或不予救助',
        params: z.object({ id, move: z.enum(['review', 'approve', 'reject']) }).strict(),
        body: entitlementAction,
      },
    },
    (req) => ents.move(ctx(req), req.params.id, req.params.move as EntitlementMove, req.body),
  );
  app.post(
    '/api/assistance/entitlements/:id/disburse',
    {
      schema: {
        tags,
        summary: '实物发放',
        params: idParam,
        body: paymentMark.pick({ version: true, paidOn: true, note: true }).strict(),
      },
    },
    (req) => pays.disburse(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/assistance/cycles/:id/batches',
    { schema: { tags, summary: '生成发放批次', params: idParam } },
    async (req, reply) => reply.status(201).send(await pays.createBatch(ctx(req), req.params.id)),
  );
  app.get(
    '/api/assistance/batches/:id',
    { schema: { tags, summary: '发放批次对账', params: idParam } },
    (req) => pays.batch(ctx(req), req.params.id),
  );
  app.post(
    '/api/assistance/batches/:id/export',
    { schema: { tags, summary: '导出银行文件（每批次一次）', params: idParam } },
    async (req, reply) => {
      const f = await pays.exportBankFile(ctx(req), req.params.id);
      return sendCsv(reply.header('cache-control', 'no-store'), f.name, f.csv);
    },
  );
  app.post(
    '/api/assistance/payments/:id',
    { schema: { tags, summary: '登记发放结果（已发放、退回）', params: idParam, body: paymentMark } },
    (req) => pays.mark(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/assistance/payments/:id/return-visit',
    { schema: { tags, summary: '帮扶回访', params: idParam, body: returnVisitBody } },
    (req) => pays.returnVisit(ctx(req), req.params.id, req.body),
  );
}
