import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { registerTodoSource } from '../../platform/inbox.js';
import { checklist } from './checklist.js';
import { registerOnboardingRoutes } from './routes.js';

/** Where the checklist looks for backups (the data folder of the process that registered the module). */
let dataDir = './data';

// the platform administrator's to-do: the first-run checklist, while items are open
registerTodoSource({
  kinds: ['onboarding.checklist'],
  async list(q, actor, now) {
    if (!actor.permissions.has('onboarding:read')) return [];
    const c = await checklist(q, { dataDir, now });
    if (c.done === c.total) return [];
    return [
      {
        kind: 'onboarding.checklist',
        id: 'checklist',
        title: `完成上线清单（已完成 ${c.done}/${c.total}）`,
        dueAt: null,
        level: 'normal',
        href: '/onboarding',
      },
    ];
  },
});

/** Going live: init (CLI), bulk imports, the first-run checklist. */
export function registerOnboarding(app: App, deps: Deps): void {
  dataDir = deps.config.dataDir;
  registerOnboardingRoutes(app, deps);
}
