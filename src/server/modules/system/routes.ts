import { z } from 'zod';
import { idParam } from '../../../shared/contracts/common.js';
import type { App } from '../../app.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/context.js';

const started = Date.now();

/** Health, the user's in-app notifications, and (tests only) the controllable clock. */
export function registerSystemRoutes(app: App, deps: Deps) {
  const tags = ['系统 system'];
  app.get('/api/health', { schema: { tags }, config: { rateLimit: false } }, async () => {
    await deps.db.query(sql`SELECT 1`);
    return {
      status: 'ok',
      engine: deps.db.engine,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      time: deps.clock.now().toISOString(),
    };
  });

  app.get(
    '/api/notifications',
    { schema: { tags, querystring: z.object({ unread: z.enum(['true', 'false']).optional() }).strict() } },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      const rows = await deps.db.query<{
        id: number;
        title: string;
        body: string;
        link: string | null;
        read_at: Date | null;
        created_at: Date;
      }>(
        sql`SELECT id, title, body, link, read_at, created_at FROM notifications WHERE user_id = ${ctx.actor.userId}
        ${req.query.unread === 'true' ? sql`AND read_at IS NULL` : sql``} ORDER BY id DESC LIMIT 100`,
      );
      const unread = await deps.db.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM notifications WHERE user_id = ${ctx.actor.userId} AND read_at IS NULL`,
      );
      return {
        unread: unread[0]?.n ?? 0,
        items: rows.map((r) => ({
          id: r.id,
          title: r.title,
          body: r.body,
          link: r.link,
          readAt: r.read_at?.toISOString() ?? null,
          createdAt: r.created_at.toISOString(),
        })),
      };
    },
  );

  app.post('/api/notifications/:id/read', { schema: { tags, params: idParam } }, async (req, reply) => {
    const ctx = ctxOf(req, deps.clock);
    const r = await deps.db.query(
      sql`UPDATE notifications SET read_at = COALESCE(read_at, ${ctx.now}) WHERE id = ${req.params.id} AND user_id = ${ctx.actor.userId} RETURNING id`,
    );
    if (r.length === 0) throw new AppError('NOT_FOUND', '通知不存在');
    return reply.status(204).send();
  });

  if (deps.config.testClock) {
    app.post(
      '/api/test/clock',
      { schema: { tags, body: z.object({ to: z.iso.datetime({ offset: true }).nullable() }).strict() } },
      async (req) => {
        if (req.body.to === null) deps.clock.reset();
        else deps.clock.set(new Date(req.body.to));
        return { now: deps.clock.now().toISOString() };
      },
    );
  }
}

/** The in-app notice job: one notification per outbox row, however often it runs. */
export function registerNotifyJob(deps: Deps) {
  // every notice fetched at once in one INSERT; the outbox id keeps a relayed-twice notice single
  deps.jobs.onBatch('notify', async (jobs) => {
    const rows = jobs.map(({ payload: p, outboxId }) => [
      Number(p.userId),
      String(p.title),
      String(p.body),
      typeof p.link === 'string' ? p.link : null,
      `outbox-${outboxId}`,
    ]);
    const col = (i: number, type: string) => sql`${rows.map((r) => r[i])}::${sql.raw(type)}[]`;
    await deps.db.query(sql`INSERT INTO notifications (user_id, title, body, link, dedupe_key, created_at)
      SELECT u, t, b, l, k, ${deps.clock.now()}
      FROM unnest(${col(0, 'bigint')}, ${col(1, 'text')}, ${col(2, 'text')}, ${col(3, 'text')}, ${col(4, 'text')})
        AS x(u, t, b, l, k)
      ON CONFLICT (dedupe_key) DO NOTHING`);
    deps.log.info(
      { n: jobs.length, outboxIds: jobs.map((j) => j.outboxId) },
      'notifications delivered (in-app)',
    );
  });
}
