/**
 * Attempt counters kept in the database (table `throttle`), so that a limit holds across
 * every process of a deployment and across restarts: a key (e.g. `lookup:<tracking code>`)
 * counts hits within a window that starts at its first hit.
 */
import type { App } from '../app.js';
import { type Queryable, sql } from './db/index.js';
import type { Deps } from './deps.js';
import { runPeriodically } from './periodic.js';

export interface Limit {
  key: string;
  /** hits allowed within the window */
  max: number;
  windowMs: number;
}

/** The first limit already used up at `now`, if any (one query for all of them). */
export async function exceeded(
  q: Queryable,
  limits: readonly Limit[],
  now: Date,
): Promise<Limit | undefined> {
  if (limits.length === 0) return undefined;
  const rows = await q.query<{ key: string; hits: number }>(
    sql`SELECT key, hits FROM throttle WHERE key = ANY(${limits.map((l) => l.key)}::text[]) AND window_end > ${now}`,
  );
  const hits = new Map(rows.map((r) => [r.key, r.hits]));
  return limits.find((l) => (hits.get(l.key) ?? 0) >= l.max);
}

/** Counts one hit on each limit's key (a window that has ended starts again). */
export async function hit(q: Queryable, limits: readonly Limit[], now: Date): Promise<void> {
  if (limits.length === 0) return;
  await q.query(sql`INSERT INTO throttle (key, window_end, hits)
    SELECT k, ${now}::timestamptz + make_interval(secs => w / 1000.0), 1
    FROM unnest(${limits.map((l) => l.key)}::text[], ${limits.map((l) => l.windowMs)}::bigint[]) AS x(k, w)
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN throttle.window_end <= ${now} THEN 1 ELSE throttle.hits + 1 END,
      window_end = CASE WHEN throttle.window_end <= ${now} THEN excluded.window_end ELSE throttle.window_end END`);
}

/** Deletes the counters whose window has ended, periodically (in the processes that run jobs). */
export function sweepThrottle(app: App, deps: Deps): void {
  runPeriodically(app, deps, 'throttle sweep', () =>
    deps.db.query(sql`DELETE FROM throttle WHERE window_end < ${deps.clock.now()}`),
  );
}
