import { createHash } from 'node:crypto';
import type { Actor, Ctx } from './actor.js';
import { type Checkpoint, type CheckpointConfig, readCheckpoints } from './auditCheckpoint.js';
import { type Queryable, type Sql, sql } from './db/index.js';
import { type Col, rowsOf } from './db/rows.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number | null;
  orgId?: number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/**
 * The audit event of an export: who took which rows out (the filters and the count), under
 * the exporter's organization so that its administrators see it too.
 */
export const exportAudit = (
  actor: Pick<Actor, 'orgId'>,
  action: string,
  filters: object,
  rows: number,
): AuditEntry => ({
  action,
  entityType: 'export',
  entityId: null,
  orgId: actor.orgId,
  after: { filters: { ...filters, page: undefined, pageSize: undefined }, rows },
});

const GENESIS = '0'.repeat(64);
/** Keys never written to the audit trail, whatever a caller passes. */
const SECRET_KEYS = /(password|_enc$|_hash$|token|secret)/i;
/** Advisory lock class of the chains: (7001, chain) guards the tail of one chain. */
const CHAIN_LOCK = 7001;
/** Most chains appended to at once (the peak number of concurrently auditing transactions). */
export const AUDIT_CHAINS = 64;

/** JSON with sorted keys, so a value read back from jsonb hashes the same. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i++) s += (i ? ',' : '') + canonical(value[i]);
    return `${s}]`;
  }
  return `{${members(value as Record<string, unknown>, Object.keys(value).sort())}}`;
}

/** `"key":value` of the keys given (in their order) whose values are not undefined, comma-separated. */
function members(obj: Record<string, unknown>, keys: readonly string[]): string {
  let s = '';
  for (const k of keys) {
    const v = obj[k];
    if (v !== undefined) s += `${s ? ',' : ''}${JSON.stringify(k)}:${canonical(v)}`;
  }
  return s;
}

/** The value as stored (secret keys left out, JSON types only) and its JSON text. */
interface Scrubbed {
  value: Record<string, unknown>;
  json: string;
}

function scrub(v: Record<string, unknown> | null | undefined): Scrubbed | null {
  if (!v) return null;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) if (!SECRET_KEYS.test(k) && val !== undefined) out[k] = val;
  const json = JSON.stringify(out);
  return { value: JSON.parse(json) as Record<string, unknown>, json };
}

/** The hashed content of an event (the chain number is not part of it: the links guard it). */
interface Row {
  at: Date;
  actor_id: number | null;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string | null;
  org_id: number | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  ip: string | null;
  prev_hash: string;
}

/** sha256(prev_hash ⏎ canonical event): the same formula since the first event. */
function digest(r: Row): string {
  const body = canonical({ ...r, at: r.at.toISOString() });
  return createHash('sha256').update(`${r.prev_hash}\n${body}`).digest('hex');
}

/**
 * The canonical body around its prev_hash value, so the database can finish the digest
 * once it has read the chain's tail: digest = sha256(prev ⏎ head + prev + tail), where
 * head + prev + tail is canonical(event) (the audit tests verify the chains both ways).
 */
function bodyAround(r: Omit<Row, 'prev_hash'>): { head: string; tail: string } {
  const o: Record<string, unknown> = { ...r, at: r.at.toISOString() };
  const keys = Object.keys(o).sort();
  const first = keys.filter((k) => k < 'prev_hash'); // sorted: the keys before it, then the rest
  const before = members(o, first);
  const after = members(o, keys.slice(first.length));
  return { head: `{${before}${before ? ',' : ''}"prev_hash":"`, tail: `"${after ? ',' : ''}${after}}` };
}

/**
 * The chain an append goes to: the first one no other transaction is appending to (chain 0
 * whenever appends do not overlap; a chain this transaction already holds counts as free),
 * or chain 0 when all are busy (the append then waits for it).
 */
const chainToUse = sql`COALESCE((SELECT k FROM generate_series(0, ${AUDIT_CHAINS - 1}) AS k
  WHERE pg_try_advisory_xact_lock(${CHAIN_LOCK}, k) LIMIT 1), 0)`;

/**
 * The INSERT of one audit event at the tail of a chain, as one statement: it picks a chain,
 * locks it until the transaction ends and reads its tail after the lock (the
 * `audit_chain_tail` function, a fresh snapshot), then finishes the hash itself. Appending
 * costs no round trip of its own. `when`: a condition (e.g. on an earlier CTE), to use it
 * inside a larger statement.
 */
export function auditInsert(ctx: Ctx, e: AuditEntry, when: Sql = sql.raw('TRUE')): Sql {
  const { row, before, after } = auditRow(ctx, e);
  const { head, tail } = bodyAround(row);
  return sql`INSERT INTO audit_events
    (chain, at, actor_id, actor_name, action, entity_type, entity_id, org_id, before, after, request_id, ip, prev_hash, hash)
    SELECT p.k, ${row.at}::timestamptz, ${row.actor_id}::bigint, ${row.actor_name}::text,
      ${row.action}::text, ${row.entity_type}::text, ${row.entity_id}::text, ${row.org_id}::bigint,
      ${before}::jsonb, ${after}::jsonb, ${row.request_id}::text, ${row.ip}::text, p.h,
      encode(sha256(convert_to(p.h || ${`\n${head}`}::text || p.h || ${tail}::text, 'UTF8')), 'hex')
    FROM (SELECT c.k, audit_chain_tail(c.k) AS h FROM (SELECT ${chainToUse}::smallint AS k OFFSET 0) c OFFSET 0) p
    WHERE ${when}`;
}

/** An event's hashed content (but prev_hash) and the JSON texts of its before and after. */
function auditRow(
  ctx: Ctx,
  e: AuditEntry,
): { row: Omit<Row, 'prev_hash'>; before: string | null; after: string | null } {
  const before = scrub(e.before);
  const after = scrub(e.after);
  const row = {
    at: ctx.now,
    actor_id: ctx.actor.userId || null,
    actor_name: ctx.actor.username,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId === null ? null : String(e.entityId),
    org_id: e.orgId ?? null,
    before: before?.value ?? null,
    after: after?.value ?? null,
    request_id: ctx.requestId,
    ip: ctx.ip,
  };
  return { row, before: before?.json ?? null, after: after?.json ?? null };
}

const EACH_COLS: Col[] = [
  ['at', 'timestamptz'],
  ['actor_id', 'bigint'],
  ['actor_name', 'text'],
  ['action', 'text'],
  ['entity_type', 'text'],
  ['entity_id', 'text'],
  ['org_id', 'bigint'],
  ['before', 'jsonb'],
  ['after', 'jsonb'],
  ['request_id', 'text'],
  ['ip', 'text'],
  ['head', 'text'],
  ['tail', 'text'],
];

/**
 * The INSERT of several audit events, each on a chain of its own, as one statement (a
 * batch of intakes, each its own change): the chains are the first ones no other
 * transaction is appending to, locked until the transaction ends, and each event's hash is
 * finished on its chain's tail as in `auditInsert`. `when` picks the events to write,
 * naming their columns `x.<name>` (e.g. `x.entity_id`). Fewer free chains than events
 * leaves an event without a chain, which the NOT NULL of `chain` refuses: the statement
 * fails whole and nothing of it is written.
 */
export function auditInsertEach(items: readonly { ctx: Ctx; entry: AuditEntry }[], when: Sql): Sql {
  const rows = items.map(({ ctx, entry }) => {
    const { row, before, after } = auditRow(ctx, entry);
    const { head, tail } = bodyAround(row);
    return [
      row.at,
      row.actor_id,
      row.actor_name,
      row.action,
      row.entity_type,
      row.entity_id,
      row.org_id,
      before,
      after,
      row.request_id,
      row.ip,
      `\n${head}`,
      tail,
    ];
  });
  return sql`INSERT INTO audit_events
    (chain, at, actor_id, actor_name, action, entity_type, entity_id, org_id, before, after, request_id, ip, prev_hash, hash)
    WITH r AS (SELECT x.*, row_number() OVER () AS n FROM ${rowsOf(EACH_COLS, rows)} AS x WHERE ${when}),
      ch AS (SELECT array_agg(k) AS ks FROM (SELECT k FROM generate_series(0, ${AUDIT_CHAINS - 1}) AS k
        WHERE pg_try_advisory_xact_lock(${CHAIN_LOCK}, k) LIMIT (SELECT count(*) FROM r)) s),
      p AS (SELECT r.*, ch.ks[r.n]::smallint AS k FROM r, ch OFFSET 0),
      t AS (SELECT p.*, audit_chain_tail(p.k) AS h FROM p OFFSET 0)
    SELECT k, at, actor_id, actor_name, action, entity_type, entity_id, org_id, before, after, request_id, ip, h,
      encode(sha256(convert_to(h || head || h || tail, 'UTF8')), 'hex')
    FROM t`;
}

/**
 * Appends an audit event inside the caller's transaction. Events form hash chains: each
 * hash covers the previous hash of its chain and the event, so editing or deleting any
 * event (but the last of a chain) breaks verification. Appends to one chain are ordered by
 * an advisory lock held until commit. There are several chains (`chain`, at most
 * AUDIT_CHAINS) so that concurrent transactions append to different ones instead of
 * queueing: one global chain made every mutation of the system wait for the one auditing
 * at the moment to finish its round trips and commit. Callers pass masked snapshots.
 */
export async function audit(tx: Queryable, ctx: Ctx, e: AuditEntry): Promise<void> {
  await tx.query(auditInsert(ctx, e));
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** how many chains the events form */
  chains?: number;
  firstBadId?: number;
  reason?: string;
  /** signed checkpoints checked against the table (when a checkpoint folder is given) */
  checkpoints?: number;
  /** time of the latest checkpoint: truncation and rewriting are detected up to it */
  latestCheckpoint?: string;
}

/**
 * Walks every event in id order, in batches, recomputing every hash against its chain's
 * previous one; then, given the checkpoint folder, checks that each checkpointed chain head
 * is still there with the hash it had (so the last events, a whole chain or every event
 * deleted, or an event rewritten with the hashes after it recomputed, are found) and that
 * no event up to the latest checkpoint is missing.
 */
export async function verifyAudit(
  db: Queryable,
  batch = 5000,
  opts: { checkpoints?: CheckpointConfig } = {},
): Promise<VerifyResult> {
  const anchors = new Map<number, { chain: number; hash: string; file: string }[]>();
  let latest: (Checkpoint & { file: string }) | undefined;
  let cpCount = 0;
  if (opts.checkpoints) {
    const { checkpoints, problems } = await readCheckpoints(opts.checkpoints);
    if (problems.length > 0)
      return { ok: false, checked: 0, reason: `${problems[0]!.reason}: ${problems[0]!.file}` };
    for (const c of checkpoints) {
      for (const h of c.heads) {
        const list = anchors.get(h.id) ?? [];
        list.push({ chain: h.chain, hash: h.hash, file: c.file });
        anchors.set(h.id, list);
      }
      if (!latest || c.lastId > latest.lastId || (c.lastId === latest.lastId && c.at > latest.at)) latest = c;
    }
    cpCount = checkpoints.length;
  }
  const extra = opts.checkpoints ? { checkpoints: cpCount, latestCheckpoint: latest?.at } : {};
  const prev = new Map<number, string>();
  let afterId = 0;
  let checked = 0;
  let upToLatest = 0;
  for (;;) {
    const rows = await db.query<Row & { id: number; chain: number; hash: string }>(
      sql`SELECT id, chain, at, actor_id, actor_name, action, entity_type, entity_id, org_id, before, after,
          request_id, ip, prev_hash, hash
        FROM audit_events WHERE id > ${afterId} ORDER BY id LIMIT ${batch}`,
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.prev_hash !== (prev.get(r.chain) ?? GENESIS))
        return {
          ok: false,
          checked,
          firstBadId: r.id,
          reason: 'chain broken (row missing or altered before it)',
          ...extra,
        };
      const { id: _id, chain: _chain, hash, ...rest } = r;
      if (digest(rest) !== hash)
        return { ok: false, checked, firstBadId: r.id, reason: 'content altered', ...extra };
      const anchored = anchors.get(Number(r.id));
      if (anchored) {
        const bad = anchored.find((a) => a.chain !== Number(r.chain) || a.hash !== hash);
        if (bad)
          return {
            ok: false,
            checked,
            firstBadId: r.id,
            reason: `rewritten: differs from checkpoint ${bad.file}`,
            ...extra,
          };
        anchors.delete(Number(r.id));
      }
      if (latest && r.id <= latest.lastId) upToLatest++;
      prev.set(r.chain, hash);
      checked++;
      afterId = r.id;
    }
  }
  if (anchors.size > 0) {
    const id = Math.min(...anchors.keys());
    return {
      ok: false,
      checked,
      firstBadId: id,
      reason: `missing: event ${id}, a chain head in checkpoint ${anchors.get(id)![0]!.file}, was deleted (events truncated)`,
      ...extra,
    };
  }
  if (latest && upToLatest < latest.events)
    return {
      ok: false,
      checked,
      reason: `missing: ${latest.events - upToLatest} events up to ${latest.lastId} deleted since checkpoint ${latest.file}`,
      ...extra,
    };
  return { ok: true, checked, chains: prev.size, ...extra };
}
