import type { AppealStatus } from '../../../shared/appeals/constants.js';
import { auditInsertEach } from '../../platform/audit.js';
import { Batcher } from '../../platform/db/batcher.js';
import { type Db, type Queryable, sql } from '../../platform/db/index.js';
import { insertRows, rowsOf } from '../../platform/db/rows.js';
import { noticesInsert } from '../system/notices.js';
import { APPEAL_COLS, type IntakeResult, type PreparedIntake } from './intake.js';
import { messageRow, outboxInsert } from './notify.js';
import { QUOTA } from './phoneQuota.js';
import { eventsInsert } from './repo.js';

/**
 * Most appeals written by one statement, and statements under way at once per process. One
 * at a time: the intakes arriving meanwhile wait for it and go together in the next, so a
 * moderately busy process writes a few per statement instead of one each in two statements
 * at once, which cost more database time per appeal and kept two backends on the cores
 * with the process. The most a process takes in is unchanged (about half the bare insert's
 * on two cores either way, docs/appeals.md).
 */
const BATCH = 32;
const PARALLEL = 1;

const DUP_COLS = [
  ['aid', 'bigint'],
  ['phone_hash', 'text'],
  ['idempotency_key', 'text'],
  ['dedupe_hash', 'text'],
  ['since', 'timestamptz'],
  ['quota', 'boolean'],
] as const;

/**
 * Writes prepared intakes in one autocommit statement — no BEGIN, no COMMIT, no read
 * before the write. `appeal_duplicate` takes each submitter's lock and then reads with a
 * fresh snapshot, so a double submit committed meanwhile by another statement is seen;
 * the appeals that repeat none are written with their history, notices, SMS outbox row
 * and audit event (each event on a chain of its own); for the others, the appeal they
 * repeat is answered. The statement's text does not depend on how many it writes (one
 * array per column), so it is prepared once per connection.
 */
export async function writeBatch(db: Queryable, items: readonly PreparedIntake[]): Promise<IntakeResult[]> {
  const now = items[0]!.audit.ctx.now;
  const newIds = sql`SELECT aid FROM dup WHERE dup IS NULL`;
  // appeal_admit: the duplicate check and, for public intake, the phone's allowance
  // (phoneQuota.ts), in the same statement under the submitter's lock
  const r = await db.query<{ aid: string | number; dup: string | number | null }>(
    sql`WITH
      dup AS (SELECT x.aid, appeal_admit(x.phone_hash, x.idempotency_key, x.dedupe_hash, x.since, x.quota,
          ${now}::timestamptz, ${new Date(now.getTime() + QUOTA.windowMs)}::timestamptz,
          ${QUOTA.free}::int, ${QUOTA.verifiedMax}::int) AS dup
        FROM ${rowsOf(
          DUP_COLS,
          items.map((p) => [p.result.id, p.phoneHash, p.idempotencyKey, p.dedupeHash, p.since, p.quota]),
        )} AS x),
      a AS (${insertRows(
        'appeals',
        APPEAL_COLS,
        items.map((p) => p.row),
        sql`x.id IN (${newIds})`,
      )} RETURNING id),
      e AS (${eventsInsert(
        items.flatMap((p) => p.events),
        sql`x.appeal_id IN (SELECT id FROM a)`,
      )}),
      n AS (${noticesInsert(
        items.flatMap((p) => p.notices),
        now,
        sql`x.key IN (SELECT id FROM a)`,
      )}),
      o AS (${outboxInsert(
        items.map((p) => messageRow(p.result.id, 'received')),
        now,
        sql`(x.payload->>'appealId')::bigint IN (SELECT id FROM a)`,
      )}),
      au AS (${auditInsertEach(
        items.map((p) => p.audit),
        sql`x.entity_id::bigint IN (SELECT id FROM a)`,
      )})
    SELECT aid, dup FROM dup`.prepared('appeal_intake'),
  );
  const dupOf = new Map(r.map((x) => [Number(x.aid), x.dup === null ? null : Number(x.dup)]));
  return Promise.all(
    items.map((p) => {
      const dup = dupOf.get(p.result.id);
      if (dup === -1 || dup === -2) return { ...p.result, refused: dup === -1 ? 'verify' : 'full' };
      return dup === null || dup === undefined ? p.result : existing(db, dup);
    }),
  );
}

async function existing(q: Queryable, id: number): Promise<IntakeResult> {
  const r = await q.query<{
    id: number;
    tracking_code: string;
    status: AppealStatus;
    org_name: string;
    created_at: Date;
    dispatched: boolean;
  }>(
    sql`SELECT a.id, a.tracking_code, a.status, o.name AS org_name, a.created_at, a.status <> 'pending_dispatch' AS dispatched
      FROM appeals a JOIN orgs o ON o.id = a.org_id WHERE a.id = ${id}`,
  );
  const a = r[0]!;
  return {
    id: a.id,
    trackingCode: a.tracking_code,
    status: a.status,
    orgName: a.dispatched ? a.org_name : null,
    createdAt: a.created_at,
    duplicate: true,
  };
}

/**
 * One batcher per database: the intakes of a process that arrive while its statements run
 * are written together by the next one. Two submissions of one phone never share a
 * statement, so the later one's `appeal_duplicate` sees the earlier one committed.
 */
const batchers = new WeakMap<Db, Batcher<PreparedIntake, IntakeResult>>();

export function writeIntakes(db: Db, item: PreparedIntake): Promise<IntakeResult> {
  let b = batchers.get(db);
  if (!b) {
    b = new Batcher({
      write: (items) => writeBatch(db, items),
      max: BATCH,
      parallel: PARALLEL,
      key: (p) => p.phoneHash,
    });
    batchers.set(db, b);
  }
  return b.submit(item);
}
