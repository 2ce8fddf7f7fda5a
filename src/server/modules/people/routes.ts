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
    {
      schema: {
        tags,
        summary: '查询人员列表',
        querystring: personListQuery,
        response: { 200: page(personView) },
      },
    },
    (req) => persons.list(ctx(req), req.query),
  );
  app.post(
    '/api/persons',
    {
      schema: {
        tags,
        summary: '新建人员',
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
        summary: '按证件号码查找人员',
        body: z.object({ idNumber: z.string().trim().min(1).max(30) }).strict(),
        response: { 200: personDetail },
      },
    },
    (req) => persons.lookup(ctx(req), req.body.idNumber),
  );
  app.get(
    '/api/me/person',
    { schema: { tags, summary: '查询本人的人员信息', response: { 200: personDetail } } },
    (req) => persons.mine(ctx(req)),
  );
  app.get(
    '/api/persons/:id',
    { schema: { tags, summary: '查询人员详情', params: idParam, response: { 200: personDetail } } },
    (req) => persons.get(ctx(req), req.params.id),
  );
  app.patch(
    '/api/persons/:id',
    {
      schema: {
        tags,
        summary: '修改人员',
        params: idParam,
        body: personUpdate,
        response: { 200: personDetail },
      },
    },
    (req) => persons.update(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/persons/:id/reveal',
    {
      schema: {
        tags,
        summary: '查看人员的完整身份信息（留痕）',
        params: idParam,
        body: revealBody,
        response: { 200: revealView },
      },
    },
    async (req, reply) => {
      const r = await persons.reveal(ctx(req), req.params.id, req.body.reason);
      return reply.header('cache-control', 'no-store').send(r);
    },
  );

  app.get(
    '/api/memberships',
    {
      schema: {
        tags,
        summary: '查询组织关系列表',
        querystring: membershipListQuery,
        response: { 200: page(membershipView) },
      },
    },
    (req) => memberships.list(ctx(req), req.query),
  );
  app.post(
    '/api/memberships',
    { schema: { tags, summary: '申请加入组织', body: membershipCreate, response: { 201: membershipView } } },
    async (req, reply) => reply.status(201).send(await memberships.apply(ctx(req), req.body)),
  );
  app.post(
    '/api/memberships/:id/approve',
    {
      schema: {
        tags,
        summary: '批准入会（团）申请',
        params: idParam,
        body: membershipDecision,
        response: { 200: membershipView },
      },
    },
    (req) => memberships.approve(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/memberships/:id/reject',
    {
      schema: {
        tags,
        summary: '驳回入会（团）申请',
        params: idParam,
        body: membershipDecision,
        response: { 200: membershipView },
      },
    },
    (req) => memberships.reject(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/memberships/:id/leave',
    {
      schema: {
        tags,
        summary: '办理退出组织',
        params: idParam,
        body: membershipLeave,
        response: { 200: membershipView },
      },
    },
    (req) => memberships.leave(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/memberships/age-out',
    {
      schema: {
        tags,
        summary: '超龄退出（批量结束组织关系）',
        body: ageOutBody,
        response: { 200: z.object({ ended: z.number() }) },
      },
    },
    (req) => memberships.ageOut(ctx(req), req.body.orgId),
  );

  app.get(
    '/api/transfers',
    {
      schema: {
        tags,
        summary: '查询组织关系转接列表',
        querystring: transferListQuery,
        response: { 200: page(transferView) },
      },
    },
    (req) => transfers.list(ctx(req), req.query),
  );
  app.get(
    '/api/transfers/:id',
    { schema: { tags, summary: '查询组织关系转接详情', params: idParam, response: { 200: transferView } } },
    (req) => transfers.get(ctx(req), req.params.id),
  );
  app.get(
    '/api/transfers/targets',
    {
      schema: {
        tags,
        summary: '查询可转入的组织',
        querystring: z.object({ membershipId: id, q: z.string().trim().max(50).optional() }).strict(),
        response: { 200: z.array(z.object({ id: z.number(), name: z.string() })) },
      },
    },
    (req) => transfers.targets(ctx(req), req.query.membershipId, req.query.q),
  );
  app.post(
    '/api/transfers',
    { schema: { tags, summary: '发起组织关系转接', body: transferCreate, response: { 201: transferView } } },
    async (req, reply) => reply.status(201).send(await transfers.start(ctx(req), req.body)),
  );
  const transferActions = {
    approve: '批准组织关系转接',
    reject: '驳回组织关系转接',
    cancel: '撤销组织关系转接',
  };
  for (const action of ['approve', 'reject', 'cancel'] as const) {
    app.post(
      `/api/transfers/:id/${action}`,
      {
        schema: {
          tags,
          summary: transferActions[action],
          params: idParam,
          body: transferActionBody,
          response: { 200: transferView },
        },
      },
      (req) => transfers.act(ctx(req), req.params.id, action, req.body),
    );
  }

  app.get(
    '/api/people/stats',
    {
      schema: {
        tags,
        summary: '成员统计（按组织类型、层级或下级组织）',
        querystring: statsQuery,
        response: { 200: membershipStatsView },
      },
    },
    (req) => stats.memberships(ctx(req), req.query),
  );
  app.get(
    '/api/people/composition',
    {
      schema: {
        tags,
        summary: '人员构成统计',
        querystring: compositionQuery,
        response: { 200: compositionView },
      },
    },
    (req) => stats.composition(ctx(req), req.query),
  );
}
