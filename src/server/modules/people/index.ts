import type { App } from '../../app.js';
import { registerScopedEntity } from '../../platform/access.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { registerTodoSource } from '../../platform/inbox.js';
import { registerClaimRoutes } from './claims/routes.js';
import { claimTodo } from './claims/service.js';
import { registerImportJob, registerImportRoutes } from './import/routes.js';
import { registerPeopleRoutes } from './routes.js';
import './todo.js';

// Rows of this module protected by data scope. A person is also visible through its live
// memberships: the people module checks persons with assertPersonAccess (scope.ts).
registerScopedEntity('person', 'persons', { orgId: sql.raw('t.org_id'), owner: sql.raw('t.user_id') });
registerScopedEntity('membership', 'memberships', { orgId: sql.raw('t.org_id') });
registerScopedEntity('import_job', 'import_jobs', {
  orgId: sql.raw('t.org_id'),
  owner: sql.raw('t.user_id'),
});
// a registration request (关联申请) is decided by the organization keeping the person's record
registerScopedEntity('person_claim', 'person_claims', {
  orgId: sql.raw('(SELECT kp.org_id FROM persons kp WHERE kp.id = t.person_id)'),
});
registerTodoSource({ kinds: ['person.claim'], list: (q, actor) => claimTodo(q, actor) });

/** Persons, memberships, transfers, statistics, imports and exports. */
export function registerPeopleModule(app: App, deps: Deps): void {
  registerPeopleRoutes(app, deps);
  registerImportRoutes(app, deps);
  registerClaimRoutes(app, deps);
}

/** Background jobs of the module (registered before the queue starts). */
export function registerPeopleJobs(deps: Deps): void {
  registerImportJob(deps);
}
