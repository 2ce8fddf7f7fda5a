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

  app.get('/api/assistance/programs', { schema: { tags } }, (req) => programs.list(ctx(req)));
  app.post('/api/assistance/programs', { schema: { tags, body: programCreate } }, async (req, reply) =>
    reply.status(201).send(await programs.create(ctx(req), req.body)),
  );
  app.patch(
    '/api/assistance/programs/:id',
    { schema: { tags, params: idParam, body: programUpdate } },
    (req) => programs.update(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/assistance/programs/:id/cycles',
    { schema: { tags, params: idParam, body: cycleCreate } },
    async (req, reply) =>
      reply.status(201).send(await programs.createCycle(ctx(req), req.params.id, req.body)),
  );
  app.get(
    '/api/assistance/cycles',
    { schema: { tags, querystring: z.object({ programId: id.optional() }).strict() } },
    (req) => ents.cycles(ctx(req), req.query.programId),
  );
  app.get('/api/assistance/cycles/:id', { schema: { tags, params: idParam } }, (req) =>
    ents.cycle(ctx(req), req.params.id),
  );
  app.post(
    '/api/assistance/cycles/:id/compute',
    { schema: { tags, params: idParam, body: versionBody } },
    (req) => programs.compute(ctx(req), req.params.id, req.body.version),
  );
  app.post(
    '/api/assistance/cycles/:id/entitlements',
    { schema: { tags, params: idParam, body: proposeBody } },
    async (req, reply) => reply.status(201).send(await ents.propose(ctx(req), req.params.id, req.body)),
  );
  app.post(
    '/api/assistance/entitlements/:id/:move',
    {
      schema: {
        tags,
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
        params: idParam,
        body: paymentMark.pick({ version: true, paidOn: true, note: true }).strict(),
      },
    },
    (req) => pays.disburse(ctx(req), req.params.id, req.body),
  );
  app.post('/api/assistance/cycles/:id/batches', { schema: { tags, params: idParam } }, async (req, reply) =>
    reply.status(201).send(await pays.createBatch(ctx(req), req.params.id)),
  );
  app.get('/api/assistance/batches/:id', { schema: { tags, params: idParam } }, (req) =>
    pays.batch(ctx(req), req.params.id),
  );
  app.post(
    '/api/assistance/batches/:id/export',
    { schema: { tags, params: idParam } },
    async (req, reply) => {
      const f = await pays.exportBankFile(ctx(req), req.params.id);
      return sendCsv(reply.header('cache-control', 'no-store'), f.name, f.csv);
    },
  );
  app.post('/api/assistance/payments/:id', { schema: { tags, params: idParam, body: paymentMark } }, (req) =>
    pays.mark(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/assistance/payments/:id/return-visit',
    { schema: { tags, params: idParam, body: returnVisitBody } },
    (req) => pays.returnVisit(ctx(req), req.params.id, req.body),
  );
}
