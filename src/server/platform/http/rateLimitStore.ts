import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { type Db, sql } from '../db/index.js';

/**
 * A rate-limit store in PostgreSQL (`rate_limit_hits`, fixed windows), so that a limit holds
 * across every API process of a deployment instead of per process. One upsert per counted
 * request; old windows are dropped now and then by whoever counts.
 */
export function pgRateLimitStore(db: Db): FastifyRateLimitStoreCtor {
  class PgStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly prefix = '',
    ) {}

    incr(
      key: string,
      cb: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      const now = Date.now();
      const start = Math.floor(now / timeWindow) * timeWindow;
      db.query<{ hits: number }>(
        sql`INSERT INTO rate_limit_hits (key, window_start, hits) VALUES (${this.prefix + key}, ${new Date(start)}, 1)
            ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1 RETURNING hits`,
      ).then(
        (rows) => {
          cb(null, { current: rows[0]?.hits ?? 1, ttl: start + timeWindow - now });
          if (Math.random() < 0.001)
            void db
              .query(sql`DELETE FROM rate_limit_hits WHERE window_start < ${new Date(now - 3_600_000)}`)
              .catch(() => undefined);
        },
        (err: Error) => cb(err),
      );
    }

    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const r = (routeOptions as { routeInfo?: { method?: string; url?: string } }).routeInfo;
      return new PgStore(undefined, `${this.prefix}${r?.method ?? ''}${r?.url ?? ''}-`);
    }
  }
  return PgStore as unknown as FastifyRateLimitStoreCtor;
}
