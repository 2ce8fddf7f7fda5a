import { type Queryable, sql } from './db/index.js';

/**
 * Attempts per key (an actor, a code, …) counted in the database, so a limit holds across
 * processes and restarts. Windows are fixed; the count is a sliding estimate: this window's
 * attempts plus the previous window's, weighted by how much of it still overlaps the last
 * `windowMs`. Counting is one statement; the caller decides what over the limit means (and
 * should count outside a transaction it rolls back, or return instead of throwing).
 */
export async function countAttempt(q: Queryable, key: string, windowMs: number, now: Date): Promise<number> {
  const startMs = Math.floor(now.getTime() / windowMs) * windowMs;
  const start = new Date(startMs);
  const prev = new Date(startMs - windowMs);
  const rows = await q.query<{ n: number; prev: number | null }>(sql`WITH hit AS (
      INSERT INTO attempt_counters (key, window_start, n) VALUES (${key}, ${start}, 1)
      ON CONFLICT (key, window_start) DO UPDATE SET n = attempt_counters.n + 1 RETURNING n),
    old AS (DELETE FROM attempt_counters WHERE key = ${key} AND window_start < ${prev})
    SELECT (SELECT n FROM hit) AS n,
      (SELECT n FROM attempt_counters WHERE key = ${key} AND window_start = ${prev}) AS prev`);
  const r = rows[0]!;
  const overlap = 1 - (now.getTime() - startMs) / windowMs;
  return r.n + Math.floor((r.prev ?? 0) * overlap);
}
