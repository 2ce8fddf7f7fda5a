import { createHash } from 'node:crypto';
import type { Ctx } from './actor.js';
import { type Queryable, sql } from './db/index.js';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | number | null;
  orgId?: number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

const GENESIS = '0'.repeat(64);
/** Keys never written to the audit trail, whatever a caller passes. */
const SECRET_KEYS = /(password|_enc$|_hash$|token|secret)/i;

/** JSON with sorted keys, so a value read back from jsonb hashes the same. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

function scrub(v: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!v) return null;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) if (!SECRET_KEYS.test(k) && val !== undefined) out[k] = val;
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

interface Row {
  id: number;
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

function digest(r: Omit<Row, 'id'>): string {
  const body = canonical({ ...r, at: r.at.toISOString() });
  return createHash('sha256').update(`${r.prev_hash}\n${body}`).digest('hex');
}

/**
 * Appends an audit event inside the caller's transaction. Events form a hash chain:
 * each hash covers the previous hash and the event, so editing or deleting any event
 * breaks verification. The advisory lock orders appends across processes.
 * Callers pass already-masked snapshots (presenters mask personal data).
 */
export async function audit(tx: Queryable, ctx: Ctx, e: AuditEntry): Promise<void> {
  await tx.query(sql`SELECT pg_advisory_xact_lock(7001)`);
  const last = await tx.query<{ hash: string }>(sql`SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1`);
  const row: Omit<Row, 'id'> = {
    at: ctx.now,
    actor_id: ctx.actor.userId || null,
    actor_name: ctx.actor.username,
    action: e.action,
    entity_type: e.entityType,
    entity_id: e.entityId === null ? null : String(e.entityId),
    org_id: e.orgId ?? null,
    before: scrub(e.before),
    after: scrub(e.after),
    request_id: ctx.requestId,
    ip: ctx.ip,
    prev_hash: last[0]?.hash ?? GENESIS,
  };
  await tx.query(sql`INSERT INTO audit_events
    (at, actor_id, actor_name, action, entity_type, entity_id, org_id, before, after, request_id, ip, prev_hash, hash)
    VALUES (${row.at}, ${row.actor_id}, ${row.actor_name}, ${row.action}, ${row.entity_type}, ${row.entity_id},
      ${row.org_id}, ${row.before === null ? null : JSON.stringify(row.before)}::jsonb,
      ${row.after === null ? null : JSON.stringify(row.after)}::jsonb, ${row.request_id}, ${row.ip},
      ${row.prev_hash}, ${digest(row)})`);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBadId?: number;
  reason?: string;
}

/** Walks the whole chain in id order, in batches, recomputing every hash. */
export async function verifyAudit(db: Queryable, batch = 5000): Promise<VerifyResult> {
  let prev = GENESIS;
  let afterId = 0;
  let checked = 0;
  for (;;) {
    const rows = await db.query<Row & { hash: string }>(
      sql`SELECT * FROM audit_events WHERE id > ${afterId} ORDER BY id LIMIT ${batch}`,
    );
    if (rows.length === 0) return { ok: true, checked };
    for (const r of rows) {
      if (r.prev_hash !== prev)
        return {
          ok: false,
          checked,
          firstBadId: r.id,
          reason: 'chain broken (row missing or altered before it)',
        };
      const { id: _id, hash, ...rest } = r;
      if (digest(rest) !== hash) return { ok: false, checked, firstBadId: r.id, reason: 'content altered' };
      prev = hash;
      checked++;
      afterId = r.id;
    }
  }
}
