import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { SESSION_COOKIE } from '../../platform/http/auth.js';
import { ctxOf } from '../../platform/http/context.js';
import { liveHubOf, NoticeFeed } from '../../platform/live.js';
import { sessionAlive } from '../../platform/sessions.js';

/** Seconds between two keep-alive comments of a stream; each also checks that the session still lives. */
export const HEARTBEAT_MS = 25_000;

/**
 * `GET /api/me/events`: server-sent events for the signed-in user. `notices` when their
 * notices changed (new, read, closed by the work being done): the page reloads the bell and
 * the inbox. The stream does not count as activity: when the session ends (idle, expired,
 * signed out) the stream says `ended` and closes.
 */
export function registerLiveEvents(app: App, deps: Deps): void {
  const hub = liveHubOf(deps.db);
  const feed = new NoticeFeed(deps.db, hub, deps.config.livePollMs, (err) =>
    deps.log.error({ err }, 'live notice feed failed'),
  );
  app.addHook('onReady', async () => feed.start());
  app.addHook('preClose', async () => {
    hub.closeAll();
    await feed.stop();
  });

  app.get(
    '/api/me/events',
    {
      schema: { tags: ['工作台 inbox'], summary: '订阅实时通知（服务器推送事件流）', hide: false },
      config: { rateLimit: false },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, deps.clock);
      const token = req.cookies[SESSION_COOKIE];
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': req.id,
      });
      const send = (event: string, data: unknown) => {
        if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      let heartbeat: NodeJS.Timeout | undefined;
      let unsubscribe = () => {};
      const close = () => {
        if (heartbeat) clearInterval(heartbeat);
        unsubscribe();
        if (!res.writableEnded) res.end();
      };
      unsubscribe = hub.subscribe(ctx.actor.userId, (e) => send(e.type, e), close);
      res.write('retry: 3000\n\n');
      send('ready', { userId: ctx.actor.userId });
      heartbeat = setInterval(() => {
        const alive =
          ctx.actor.via !== 'session' || !token
            ? Promise.resolve(true)
            : sessionAlive(deps.db, token, deps.clock.now(), deps.config.sessionIdleMinutes);
        alive
          .then((ok) => {
            if (ok) {
              if (!res.writableEnded) res.write(': ping\n\n');
            } else {
              send('ended', {});
              close();
            }
          })
          .catch(() => close());
      }, HEARTBEAT_MS);
      heartbeat.unref();
      req.raw.on('close', close);
    },
  );
}
