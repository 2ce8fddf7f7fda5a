import type { App } from '../../app.js';
import { registerScopedEntity } from '../../platform/access.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { registerAssistanceTodo } from './inbox.js';
import { registerProgramRoutes } from './programs/routes.js';
import { registerCaseRoutes } from './routes.js';
import { registerStatsRoutes } from './stats.js';

// a household archive belongs to the organization that filed it; programs, cycles and
// entitlements to the organization that runs or proposes them
registerScopedEntity('assist_case', 'assist_cases', {
  orgId: sql.raw('t.org_id'),
  owner: sql.raw('t.created_by'),
});
registerScopedEntity('assist_program', 'assist_programs', {
  orgId: sql.raw('t.org_id'),
  owner: sql.raw('t.created_by'),
});
registerScopedEntity('assist_cycle', 'assist_cycles', {
  orgId: sql.raw('t.org_id'),
  owner: sql.raw('t.created_by'),
});
registerScopedEntity('assist_entitlement', 'assist_entitlements', {
  orgId: sql.raw('t.org_id'),
  owner: sql.raw('t.created_by'),
});
registerScopedEntity('assist_batch', 'assist_batches', {
  orgId: sql.raw('t.org_id'),
  owner: sql.raw('t.created_by'),
});
registerAssistanceTodo();

/** Assistance for people in difficulty (惠民平台 · 帮扶). */
export function registerAssistance(app: App, deps: Deps): void {
  registerCaseRoutes(app, deps);
  registerProgramRoutes(app, deps);
  registerStatsRoutes(app, deps);
}
