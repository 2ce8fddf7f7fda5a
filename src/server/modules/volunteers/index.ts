import type { App } from '../../app.js';
import { registerScopedEntity } from '../../platform/access.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { registerVolunteerRoutes } from './routes.js';
import { registerPublicVolunteerRoutes } from './routes-public.js';
import './todo.js';

export { seedDemoVolunteers } from './seed.js';
export { registerVolunteerJobs } from './sms.js';

// an activity belongs to its organizing organization (co-organizers see it through repo.activityScope)
registerScopedEntity('activity', 'activities', {
  orgId: sql.raw('t.org_id'),
  owner: sql.raw('t.created_by'),
});

/** Activities and volunteers (活动平台 · 志愿服务): staff routes and the public phone pages' routes. */
export function registerVolunteers(app: App, deps: Deps): void {
  registerVolunteerRoutes(app, deps);
  registerPublicVolunteerRoutes(app, deps);
}
