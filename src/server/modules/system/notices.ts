import type { Ctx } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';

/** An in-app notice (the bell in the web shell). */
export interface Notice {
  title: string;
  body: string;
  link?: string | null;
}

/** One notice for one user; `dedupeKey` keeps a notice written twice (a retried job) single. */
export interface NoticeRow extends Notice {
  userId: number;
  dedupeKey?: string | null;
}

/**
 * In-app notices as one INSERT, for a statement of its own or a CTE of a larger one.
 * `when`: a condition (e.g. on an earlier CTE). Notices are rows of the same database, so
 * they are written in the business transaction itself, not through the outbox.
 */
export function noticesInsert(rows: readonly NoticeRow[], now: Date, when: Sql = sql.raw('TRUE')): Sql {
  const col = <T>(pick: (r: NoticeRow) => T, type: string) => sql`${rows.map(pick)}::${sql.raw(type)}[]`;
  return sql`INSERT INTO notifications (user_id, title, body, link, dedupe_key, created_at)
    SELECT u, t, b, l, k, ${now}::timestamptz
    FROM unnest(${col((r) => r.userId, 'bigint')}, ${col((r) => r.title, 'text')}, ${col((r) => r.body, 'text')},
      ${col((r) => r.link ?? null, 'text')}, ${col((r) => r.dedupeKey ?? null, 'text')}) AS x(u, t, b, l, k)
    WHERE ${when}
    ON CONFLICT (dedupe_key) DO NOTHING`;
}

/** The same notice for each of some users (each once), as rows for `noticesInsert`. */
export const noticeRows = (userIds: readonly number[], n: Notice): NoticeRow[] =>
  [...new Set(userIds)].map((userId) => ({ userId, ...n }));

/** Writes the same notice for each of some users, in the caller's transaction. */
export async function notify(
  q: Queryable,
  ctx: Pick<Ctx, 'now'>,
  userIds: readonly number[],
  n: Notice,
): Promise<void> {
  if (userIds.length > 0) await q.query(noticesInsert(noticeRows(userIds, n), ctx.now));
}
