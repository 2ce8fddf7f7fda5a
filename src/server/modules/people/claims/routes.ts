import { idParam, page } from '../../../../shared/contracts/common.js';
import {
  personClaimDecision,
  personClaimListQuery,
  personClaimView,
} from '../../../../shared/contracts/personClaims.js';
import type { App } from '../../../app.js';
import type { Deps } from '../../../platform/deps.js';
import { ctxOf } from '../../../platform/http/context.js';
import { createClaimService } from './service.js';

/** 关联申请: the keeping organization's inbox of requests, and its decisions. */
export function registerClaimRoutes(app: App, deps: Deps) {
  const claims = createClaimService(deps);
  const tags = ['人员 people'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);

  app.get(
    '/api/person-claims',
    {
      schema: {
        tags,
        summary: '查询人员认领申请',
        querystring: personClaimListQuery,
        response: { 200: page(personClaimView) },
      },
    },
    (req) => claims.list(ctx(req), req.query),
  );
  app.post(
    '/api/person-claims/:id/approve',
    {
      schema: {
        tags,
        summary: '批准人员认领申请',
        params: idParam,
        body: personClaimDecision,
        response: { 200: personClaimView },
      },
    },
    (req) => claims.approve(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/person-claims/:id/reject',
    {
      schema: {
        tags,
        summary: '驳回人员认领申请',
        params: idParam,
        body: personClaimDecision,
        response: { 200: personClaimView },
      },
    },
    (req) => claims.reject(ctx(req), req.params.id, req.body),
  );
}
