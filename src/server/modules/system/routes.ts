import { z } from 'zod';
import { idParam } from '../../../shared/contracts/common.js';
import type { App } from '../../app.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/context.js';
import { pendingMigrations } from '../../platform/migrate.js';
import { noticesInsert } from './notices.js';

const started = Date.now();

/** Health, the user's in-app notifications, and (tests only) the controllable clock. */
export function registerSystemRoutes(app: App, deps: Deps) {
  const tags = ['系统 system'];
  app.get(
    '/api/health',
    { schema: { tags, summary: '健康检查（数据库可达，返回引擎与版本）' }, config: { rateLimit: false } },
    async () => {
      await deps.db.query(sql`SELECT 1`);
      return {
        status: 'ok',
        engine: deps.db.engine,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
        time: deps.clock.now().toISOString(),
      };
    },
  );

  // liveness: the process answers (no database call, so a slow database does not get it restarted)
  app.get(
    '/api/health/live',
    { schema: { tags, summary: '存活检查（进程可应答）' }, config: { rateLimit: false } },
    async () => ({ status: 'ok' }),
  );
  // readiness: the database answers and every migration is applied
  app.get(
    '/api/health/ready',
    { schema: { tags, summary: '就绪检查（数据库可达且迁移已全部执行）' }, config: { rateLimit: false } },
    async (_req, reply) => {
      try {
        const pending = await pendingMigrations(deps.db);
        if (pending.length > 0)
          return reply.status(503).send({ status: 'not-ready', reason: 'migrations', pending });
        return { status: 'ready', engine: deps.db.engine };
      } catch {
        return reply.status(503).send({ status: 'not-ready', reason: 'database' });
      }
    },
  );

  app.get(
    '/api/notifications',
    {
      schema: {
        tags,
        summary: '查询我的站内通知',
        querystring: z.object({ unread: z.enum(['true', 'false']).optional() }).strict(),
      },
    },
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

  app.post(
    '/api/notifications/:id/read',
    { schema: { tags, summary: '标记通知为已读', params: idParam } },
    async (req, reply) => {
      const ctx = ctxOf(req, deps.clock);
      const r = await deps.db.query(
        sql`UPDATE notifications SET read_at = COALESCE(read_at, ${ctx.now}) WHERE id = ${req.params.id} AND user_id = ${ctx.actor.userId} RETURNING id`,
      );
      if (r.length === 0) throw new AppError('NOT_FOUND', '通知不存在');
      return reply.status(204).send();
    },
  );

  // 全部已读: every unread notice of the caller
  app.post('/api/notifications/read-all', { schema: { tags, summary: '全部通知标为已读' } }, async (req) => {
    const ctx = ctxOf(req, deps.clock);
    const r = await deps.db.query(
      sql`UPDATE notifications SET read_at = ${ctx.now} WHERE user_id = ${ctx.actor.userId} AND read_at IS NULL RETURNING id`,
    );
    return { read: r.length };
  });

  if (deps.config.testClock) {
    app.post(
      '/api/test/clock',
      {
        schema: {
          tags,
          summary: '设置测试时钟（仅测试环境）',
          body: z.object({ to: z.iso.datetime({ offset: true }).nullable() }).strict(),
        },
      },
      async (req) => {
        if (req.body.to === null) deps.clock.reset();
        else deps.clock.set(new Date(req.body.to));
        return { now: deps.clock.now().toISOString() };
      },
    );
  }
}

/**
 * The in-app notice job. Notices are written in the business transaction now
 * (`./notices.ts`); this drains the `notify` outbox rows written before that, one notice
 * per row however often it runs.
 */
export function registerNotifyJob(deps: Deps) {
  deps.jobs.onBatch('notify', async (jobs) => {
    const rows = jobs.map(({ payload: p, outboxId }) => ({
      userId: Number(p.userId),
      title: String(p.title),
      body: String(p.body),
      link: typeof p.link === 'string' ? p.link : null,
      dedupeKey: `outbox-${outboxId}`,
    }));
    await deps.db.query(noticesInsert(rows, deps.clock.now()));
  });
}
