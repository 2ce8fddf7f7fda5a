import { bornOnOrBefore } from '../../../../shared/people/rules.js';
import { type Db, sql } from '../../../platform/db/index.js';

const NEVER = '1970-01-01';
let refreshing: Promise<void> | undefined;

/**
 * Recomputes member_stats from the memberships for the business date `today` (the age bands
 * move on with it). Writers wait for the few seconds it takes; the triggers keep it exact after.
 */
export async function refreshMemberStats(db: Db, today: string): Promise<void> {
  await db.tx(async (tx) => {
    const meta = await tx.query<{ as_of: string }>(
      sql`SELECT as_of FROM member_stats_meta WHERE id = 1 FOR UPDATE`,
    );
    if (meta[0]?.as_of === today) return;
    await tx.query(sql`LOCK TABLE memberships IN SHARE MODE`);
    const c28 = bornOnOrBefore(today, 28);
    const c35 = bornOnOrBefore(today, 35);
    await tx.query(
      sql`UPDATE member_stats_meta SET as_of = ${today}, cut28 = ${c28}, cut35 = ${c35} WHERE id = 1`,
    );
    await tx.query(sql`DELETE FROM member_stats`);
    await tx.query(sql`INSERT INTO member_stats (org_id, role, status, n, women, frontline, under28, under35)
      SELECT org_id, role, status, count(*), count(*) FILTER (WHERE gender = 'F'), count(*) FILTER (WHERE frontline),
        count(*) FILTER (WHERE birth_date > ${c28}::date), count(*) FILTER (WHERE birth_date > ${c35}::date)
      FROM memberships WHERE status IN ('active', 'pending') GROUP BY 1, 2, 3`);
  });
}

/**
 * The date the statistics' age bands refer to. Computed at once the first time; when the date
 * has moved on since, recomputed in the background while the previous day's bands are served.
 */
export async function memberStatsAsOf(
  db: Db,
  today: string,
  log: { error(o: unknown, m?: string): void },
): Promise<string> {
  const asOf =
    (await db.query<{ as_of: string }>(sql`SELECT as_of FROM member_stats_meta WHERE id = 1`))[0]?.as_of ??
    NEVER;
  if (asOf === today) return asOf;
  if (asOf === NEVER) {
    await refreshMemberStats(db, today);
    return today;
  }
  if (!refreshing) {
    refreshing = refreshMemberStats(db, today)
      .catch((err) => log.error({ err }, 'member statistics refresh failed'))
      .finally(() => {
        refreshing = undefined;
      });
  }
  return asOf;
}
