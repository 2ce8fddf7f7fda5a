import type { App } from '../app.js';
import type { Deps } from '../platform/deps.js';
import { registerAppeals } from './appeals/index.js';
import { registerAssessment } from './assessment/index.js';
import { registerAssistance } from './assistance/index.js';
import { registerAuthRoutes } from './auth/routes.js';
import { registerCoverageRoutes } from './coverage/routes.js';
import { registerInboxRoutes } from './inbox/routes.js';
import { registerLogRoutes } from './logs/routes.js';
import { registerOnboarding } from './onboarding/index.js';
import { registerOrgRoutes } from './orgs/routes.js';
import { registerPeopleModule } from './people/index.js';
import { registerRegionRoutes } from './regions/routes.js';
import { registerStats } from './stats/index.js';
import { registerSystemRoutes } from './system/routes.js';
import { registerTasks } from './tasks/index.js';
import { registerUnitRoutes } from './units/routes.js';
import { registerUserRoutes } from './users/routes.js';
import { registerVolunteers } from './volunteers/index.js';

/** Every module's routes. A module registers its own; none reaches into another's tables. */
export function registerModules(app: App, deps: Deps): void {
  registerSystemRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerRegionRoutes(app, deps);
  registerOrgRoutes(app, deps);
  registerUnitRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerLogRoutes(app, deps);
  registerPeopleModule(app, deps);
  registerCoverageRoutes(app, deps);
  registerAppeals(app, deps);
  registerTasks(app, deps);
  registerInboxRoutes(app, deps);
  registerOnboarding(app, deps);
  registerStats(app, deps);
  registerAssessment(app, deps);
  registerVolunteers(app, deps);
  registerAssistance(app, deps);
}
