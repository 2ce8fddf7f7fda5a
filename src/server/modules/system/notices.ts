import type { Ctx } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { type Col, insertRows } from '../../platform/db/rows.js';

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
  /** what the notice is about (e.g. an appeal's id), for the condition of `noticesInsert` */
  key?: number | null;
}

const NOTICE_COLS: Col[] = [
  ['user_id', 'bigint'],
  ['title', 'text'],
  ['body', 'text'],
  ['link', 'text'],
  ['dedupe_key', 'text'],
  ['created_at', 'timestamptz'],
];

/** The key a notice row travels with for `when` (e.g. its appeal's id), not inserted. */
const KEY_COL: Col[] = [['key', 'bigint']];

/**
 * In-app notices as one INSERT, for a statement of its own or a CTE of a larger one.
 * `when`: a condition (e.g. on an earlier CTE), which may name a row's `x.key`. Notices are
 * rows of the same database, so they are written in the business transaction itself, not
 * through the outbox.
 */
export function noticesInsert(rows: readonly NoticeRow[], now: Date, when: Sql = sql.raw('TRUE')): Sql {
  const cells = rows.map((r) => [
    r.userId,
    r.title,
    r.body,
    r.link ?? null,
    r.dedupeKey ?? null,
    now,
    r.key ?? null,
  ]);
  return sql`${insertRows('notifications', NOTICE_COLS, cells, when, KEY_COL)}
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

/**
 * Closes (marks read) the unread notices about one item (their `link`) when its work is
 * done: everyone's when the item moved on (`userIds` omitted), or only those of the users
 * given (the one who acted has seen it). Run it before writing the step's own new notices.
 */
export async function closeNotices(
  q: Queryable,
  now: Date,
  link: string,
  userIds?: readonly number[],
): Promise<void> {
  if (userIds && userIds.length === 0) return;
  await q.query(sql`UPDATE notifications SET read_at = ${now} WHERE link = ${link} AND read_at IS NULL
    ${userIds ? sql`AND user_id = ANY(${[...userIds]}::bigint[])` : sql``}`);
}
