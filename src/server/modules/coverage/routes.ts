import { page } from '../../../shared/contracts/common.js';
import {
  coverageStatsQuery,
  coverageStatsView,
  uncoveredQuery,
  uncoveredView,
} from '../../../shared/contracts/coverage.js';
import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { forReads } from '../../platform/http/reads.js';
import { createCoverageService } from './service.js';

export function registerCoverageRoutes(app: App, deps: Deps) {
  // read-only dashboards: read from the standby when there is one (see forReads)
  const coverage = forReads(deps, createCoverageService);
  const tags = ['组织覆盖 coverage'];
  app.get(
    '/api/coverage/stats',
    {
      schema: {
        tags,
        summary: '组织覆盖率统计',
        querystring: coverageStatsQuery,
        response: { 200: coverageStatsView },
      },
    },
    async (req) => (await coverage(req)).stats(ctxOf(req, deps.clock), req.query),
  );
  app.get(
    '/api/coverage/uncovered',
    {
      schema: {
        tags,
        summary: '查询未覆盖的基层单位',
        querystring: uncoveredQuery,
        response: { 200: page(uncoveredView) },
      },
    },
    async (req) => (await coverage(req)).uncovered(ctxOf(req, deps.clock), req.query),
  );
}
