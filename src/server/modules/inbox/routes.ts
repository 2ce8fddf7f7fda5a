import { todoResponse } from '../../../shared/contracts/inbox.js';
import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { collectTodo } from '../../platform/inbox.js';
import { registerLiveEvents } from './events.js';

/** `GET /api/me/todo`: the caller's inbox across modules (stable contract); `GET /api/me/events`: live changes. */
export function registerInboxRoutes(app: App, deps: Deps): void {
  app.get(
    '/api/me/todo',
    {
      schema: { tags: ['工作台 inbox'], summary: '查询我的待办（工作台）', response: { 200: todoResponse } },
    },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      return collectTodo(deps.db, ctx.actor, ctx.now);
    },
  );
  registerLiveEvents(app, deps);
}
