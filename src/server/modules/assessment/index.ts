import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { registerTodoSource } from '../../platform/inbox.js';
import { registerAssessmentRoutes } from './routes.js';
import { assessmentTodo } from './todo.js';

registerTodoSource({ kinds: ['assess.self', 'assess.review'], list: assessmentTodo });

/** The assessment module (考核). */
export function registerAssessment(app: App, deps: Deps): void {
  registerAssessmentRoutes(app, deps);
}
