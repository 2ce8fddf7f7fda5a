import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { registerOpen311Routes } from './open311.js';
import { registerAppealRoutes } from './routes.js';
import { registerAppealConfigRoutes } from './routes-config.js';
import { registerPublicAppealRoutes } from './routes-public.js';
import { registerAppealReportRoutes } from './routes-report.js';
import { scheduleSweep } from './supervision.js';
import './todo.js';

export { registerAppealJobs } from './notify.js';

/** The appeals module: staff and public routes, and the overdue sweep. */
export function registerAppeals(app: App, deps: Deps): void {
  registerAppealReportRoutes(app, deps);
  registerAppealConfigRoutes(app, deps);
  registerAppealRoutes(app, deps);
  registerPublicAppealRoutes(app, deps);
  registerOpen311Routes(app, deps);
  scheduleSweep(app, deps);
}
