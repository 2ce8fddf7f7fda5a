import { z } from 'zod';
import { id, idParam, page } from '../../../shared/contracts/common.js';
import {
  ageOutBody,
  compositionQuery,
  compositionView,
  membershipCreate,
  membershipDecision,
  membershipLeave,
  membershipListQuery,
  membershipStatsView,
  membershipView,
  personCreate,
  personCreated,
  personDetail,
  personListQuery,
  personUpdate,
  personView,
  revealBody,
  revealView,
  statsQuery,
  transferActionBody,
  transferCreate,
  transferListQuery,
  transferView,
} from '../../../shared/contracts/people.js';
import { personClaimed } from '../../../shared/contracts/personClaims.js';
import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { createMembershipService } from './memberships/service.js';
import { createPersonService } from './persons/service.js';
import { createStatsService } from './stats/service.js';
import { createTransferService } from './transfers/service.js';

export function registerPeopleRoutes(app: App, deps: Deps) {
  const persons = createPersonService(deps);
  const memberships = createMembershipService(deps);
  const transfers = createTransferService(deps);
  const stats = createStatsService(deps);
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);
  const tags = ['人员 people'];

  app.get(
    '/api/persons',
    { schema: { tags, querystring: personListQuery, response: { 200: page(personView) } } },
    (req) => persons.list(ctx(req), req.query),
  );
  app.post(
    '/api/persons',
    {
      schema: {
        tags,
        body: personCreate,
        response: { 200: personCreated, 201: personCreated, 202: personClaimed },
      },
    },
    async (req, reply) => {
      const r = await persons.create(ctx(req), req.body);
      // 202: registered by an organization outside the caller's scope; a 关联申请 was filed
      if (r.kind === 'claim') {
        const { kind: _k, ...claim } = r;
        return reply.status(202).send(claim);
      }
      const { kind: _k, ...person } = r;
      return reply.status(person.existing ? 200 : 201).send(person);
    },
  );
  app.post(
    '/api/persons/lookup',
    {
      schema: {
        tags,
        body: z.object({ idNumber: z.string().trim().min(1).max(30) }).strict(),
        response: { 200: personDetail },
      },
    },
    (req) => persons.lookup(ctx(req), req.body.idNumber),
  );
  app.get('/api/me/person', { schema: { tags, response: { 200: personDetail } } }, (req) =>
    persons.mine(ctx(req)),
  );
  app.get('/api/persons/:id', { schema: { tags, params: idParam, response: { 200: personDetail } } }, (req) =>
    persons.get(ctx(req), req.params.id),
  );
  app.patch(
    '/api/persons/:id',
    { schema: { tags, params: idParam, body: personUpdate, response: { 200: personDetail } } },
    (req) => persons.update(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/persons/:id/reveal',
    { schema: { tags, params: idParam, body: revealBody, response: { 200: revealView } } },
    async (req, reply) => {
      const r = await persons.reveal(ctx(req), req.params.id, req.body.reason);
      return reply.header('cache-control', 'no-store').send(r);
    },
  );

  app.get(
    '/api/memberships',
    { schema: { tags, querystring: membershipListQuery, response: { 200: page(membershipView) } } },
    (req) => memberships.list(ctx(req), req.query),
  );
  app.post(
    '/api/memberships',
    { schema: { tags, body: membershipCreate, response: { 201: membershipView } } },
    async (req, reply) => reply.status(201).send(await memberships.apply(ctx(req), req.body)),
  );
  app.post(
    '/api/memberships/:id/approve',
    { schema: { tags, params: idParam, body: membershipDecision, response: { 200: membershipView } } },
    (req) => memberships.approve(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/memberships/:id/reject',
    { schema: { tags, params: idParam, body: membershipDecision, response: { 200: membershipView } } },
    (req) => memberships.reject(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/memberships/:id/leave',
    { schema: { tags, params: idParam, body: membershipLeave, response: { 200: membershipView } } },
    (req) => memberships.leave(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/memberships/age-out',
    { schema: { tags, body: ageOutBody, response: { 200: z.object({ ended: z.number() }) } } },
    (req) => memberships.ageOut(ctx(req), req.body.orgId),
  );

  app.get(
    '/api/transfers',
    { schema: { tags, querystring: transferListQuery, response: { 200: page(transferView) } } },
    (req) => transfers.list(ctx(req), req.query),
  );
  app.get(
    '/api/transfers/:id',
    { schema: { tags, params: idParam, response: { 200: transferView } } },
    (req) => transfers.get(ctx(req), req.params.id),
  );
  app.get(
    '/api/transfers/targets',
    {
      schema: {
        tags,
        querystring: z.object({ membershipId: id, q: z.string().trim().max(50).optional() }).strict(),
        response: { 200: z.array(z.object({ id: z.number(), name: z.string() })) },
      },
    },
    (req) => transfers.targets(ctx(req), req.query.membershipId, req.query.q),
  );
  app.post(
    '/api/transfers',
    { schema: { tags, body: transferCreate, response: { 201: transferView } } },
    async (req, reply) => reply.status(201).send(await transfers.start(ctx(req), req.body)),
  );
  for (const action of ['approve', 'reject', 'cancel'] as const) {
    app.post(
      `/api/transfers/:id/${action}`,
      { schema: { tags, params: idParam, body: transferActionBody, response: { 200: transferView } } },
      (req) => transfers.act(ctx(req), req.params.id, action, req.body),
    );
  }

  app.get(
    '/api/people/stats',
    { schema: { tags, querystring: statsQuery, response: { 200: membershipStatsView } } },
    (req) => stats.memberships(ctx(req), req.query),
  );
  app.get(
    '/api/people/composition',
    { schema: { tags, querystring: compositionQuery, response: { 200: compositionView } } },
    (req) => stats.composition(ctx(req), req.query),
  );
}
