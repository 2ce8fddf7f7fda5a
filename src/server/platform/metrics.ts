import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sql } from './db/index.js';
import type { Deps } from './deps.js';

/**
 * Prometheus metrics at `/metrics` (outside `/api`, so no session is involved): request
 * latency by route, and at each scrape the outbox's backlog and lag, the job queue's depth
 * the connection pool and the standby's lag. Only loopback callers, or callers with the configured token
 * (`NIUDAI_METRICS_TOKEN`, sent as `Authorization: Bearer …`), may read it.
 */
export function installMetrics(app: FastifyInstance, deps: Pick<Deps, 'db' | 'config' | 'reads'>): Registry {
  const { db, config, reads } = deps;
  const registry = new Registry();
  const http = new Histogram({
    name: 'niudai_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'niudai_http_server_errors_total',
    help: 'Answers with a 5xx status',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const outboxPending = gauge('niudai_outbox_pending', 'Outbox rows not yet handed to the job queue');
  const outboxLag = gauge('niudai_outbox_lag_seconds', 'Age of the oldest outbox row not yet handed over');
  const queueDepth = gauge('niudai_job_queue_depth', 'Jobs waiting or retrying, by queue', ['queue']);
  const pool = gauge('niudai_db_pool_connections', 'Database pool connections by state', ['state']);
  const replicaLag = gauge('niudai_replica_lag_seconds', 'Replay lag of the standby (absent without one)');
  const replicaUp = gauge('niudai_replica_up', '1 when the standby answers');
  const fallbacks = gauge(
    'niudai_replica_fallback_reads',
    'Reads sent to the primary because the standby was down or behind (since start)',
  );

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const labels = { method: req.method, route, status: String(reply.statusCode) };
    http.observe(labels, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) errors.inc({ route });
  });

  const collect = async () => {
    const [o] = await db.query<{ n: number; lag: number | null }>(
      sql`SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS lag
          FROM outbox WHERE dispatched_at IS NULL`,
    );
    outboxPending.set(o?.n ?? 0);
    outboxLag.set(o?.lag ?? 0);
    queueDepth.reset();
    const boss = await db.query<{ t: string | null }>(sql`SELECT to_regclass('pgboss.job')::text AS t`);
    if (boss[0]?.t) {
      const rows = await db.query<{ name: string; n: number }>(
        sql`SELECT name, count(*)::int AS n FROM pgboss.job WHERE state IN ('created', 'retry') GROUP BY name`,
      );
      for (const r of rows) queueDepth.set({ queue: r.name }, r.n);
    }
    const r = await reads.status();
    if (r) {
      replicaUp.set(r.ok ? 1 : 0);
      if (Number.isFinite(r.lagSeconds)) replicaLag.set(r.lagSeconds);
      fallbacks.set(reads.fallbacks);
    }
    const s = db.poolStats?.();
    if (s) {
      pool.set({ state: 'total' }, s.total);
      pool.set({ state: 'idle' }, s.idle);
      pool.set({ state: 'waiting' }, s.waiting);
      pool.set({ state: 'max' }, s.max);
    }
  };

  app.get('/metrics', { schema: { hide: true }, config: { rateLimit: false } }, async (req, reply) => {
    const loopback = ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');
    const token = config.metricsToken;
    const given = req.headers.authorization;
    if (!(token ? given === `Bearer ${token}` : loopback)) {
      return reply
        .status(403)
        .send({ error: { code: 'FORBIDDEN', message: '无权读取监控指标', requestId: req.id } });
    }
    await collect();
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
  return registry;
}
