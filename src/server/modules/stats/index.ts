import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { registerTodoSource } from '../../platform/inbox.js';
import { registerStatsRoutes } from './routes.js';
import { statsTodo } from './todo.js';

export { computeIndicators, INDICATOR_BY_KEY, INDICATORS, indicatorRecords } from './indicators.js';

registerTodoSource({ kinds: ['stats.fill', 'stats.correct', 'stats.review'], list: statsTodo });

/** The statistics module (统计报表). */
export function registerStats(app: App, deps: Deps): void {
  registerStatsRoutes(app, deps);
}
