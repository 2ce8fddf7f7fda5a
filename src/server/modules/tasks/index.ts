import type { App } from '../../app.js';
import { registerScopedEntity } from '../../platform/access.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { registerDocumentRoutes } from './documents/routes.js';
import { registerNoticeRoutes } from './notices/routes.js';
import { registerTaskRoutes } from './routes.js';
import { scheduleTaskSweep } from './supervision.js';
import './todo.js';

export { sweepTasks } from './supervision.js';

// documents, meetings and notices belong to the organization that issued them (and their author);
// tasks have a predicate of their own (several organizations each): see access.ts
registerScopedEntity('task_document', 'task_documents', {
  orgId: sql.raw('t.org_id'),
  owner: sql.raw('t.created_by'),
});
registerScopedEntity('task_meeting', 'task_meetings', {
  orgId: sql.raw('t.org_id'),
  owner: sql.raw('t.created_by'),
});
registerScopedEntity('task_notice', 'task_notices', { orgId: sql.raw('t.org_id') });

/** The deployment-and-supervision module (部署督办): routes and the supervision sweep. */
export function registerTasks(app: App, deps: Deps): void {
  registerDocumentRoutes(app, deps);
  registerTaskRoutes(app, deps);
  registerNoticeRoutes(app, deps);
  scheduleTaskSweep(app, deps);
}
