/**
 * Checkpoints of the audit chains, kept outside the database: the head (last event id and
 * hash) of every chain, signed with HMAC-SHA256 under a key the database does not hold,
 * written as one JSON file per checkpoint into a folder (the data folder, or a sink such as
 * a mount of another machine). `audit verify` checks every checkpoint against the table, so
 * deleting the last events, a whole chain or every event, or rewriting an event and
 * recomputing the hashes after it, is found for everything up to the latest checkpoint.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { App } from '../app.js';
import { type Queryable, sql } from './db/index.js';
import type { Deps } from './deps.js';
import { runPeriodically } from './periodic.js';

export interface ChainHead {
  chain: number;
  id: number;
  hash: string;
}

export interface Checkpoint {
  v: 1;
  at: string;
  /** events with an id up to lastId when the checkpoint was taken */
  events: number;
  lastId: number;
  heads: ChainHead[];
}

export interface SignedCheckpoint extends Checkpoint {
  sig: string;
}

export interface CheckpointConfig {
  dir: string;
  key: Buffer;
}

const body = (c: Checkpoint) =>
  JSON.stringify({
    v: c.v,
    at: c.at,
    events: c.events,
    lastId: c.lastId,
    heads: c.heads.map((h) => [h.chain, h.id, h.hash]),
  });

export const signCheckpoint = (c: Checkpoint, key: Buffer): string =>
  createHmac('sha256', key).update(body(c)).digest('hex');

/** The heads of every chain now, with the count of events up to the last id. */
export async function chainHeads(db: Queryable, at: Date): Promise<Checkpoint> {
  const heads = await db.query<{ chain: number; id: string | number; hash: string }>(
    sql`SELECT DISTINCT ON (chain) chain, id, hash FROM audit_events ORDER BY chain, id DESC`,
  );
  const lastId = heads.reduce((m, h) => Math.max(m, Number(h.id)), 0);
  const n = await db.query<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM audit_events WHERE id <= ${lastId}`,
  );
  return {
    v: 1,
    at: at.toISOString(),
    events: n[0]?.n ?? 0,
    lastId,
    heads: heads.map((h) => ({ chain: Number(h.chain), id: Number(h.id), hash: h.hash })),
  };
}

/**
 * Writes a checkpoint of the chain heads (owner-only file, through a temporary name), unless
 * the heads are those of `previous`. Returns what was written, or `previous`.
 */
export async function writeCheckpoint(
  db: Queryable,
  cfg: CheckpointConfig,
  at: Date,
  previous?: Checkpoint,
): Promise<Checkpoint | undefined> {
  const c = await chainHeads(db, at);
  if (c.lastId === 0 || (previous && previous.lastId === c.lastId && previous.events === c.events))
    return previous;
  const signed: SignedCheckpoint = { ...c, sig: signCheckpoint(c, cfg.key) };
  await mkdir(cfg.dir, { recursive: true, mode: 0o700 });
  const name = `audit-${String(c.lastId).padStart(12, '0')}-${c.at.replace(/[:.]/g, '')}.json`;
  const tmp = join(cfg.dir, `.${name}.${process.pid}.tmp`);
  await writeFile(tmp, `${JSON.stringify(signed)}\n`, { mode: 0o600 });
  await rename(tmp, join(cfg.dir, name));
  return c;
}

export interface CheckpointProblem {
  file: string;
  reason: string;
  /** the event the problem is about, when there is one */
  eventId?: number;
}

/** Reads every checkpoint of the folder; a file with a wrong signature is a problem, not a checkpoint. */
export async function readCheckpoints(
  cfg: CheckpointConfig,
): Promise<{ checkpoints: (SignedCheckpoint & { file: string })[]; problems: CheckpointProblem[] }> {
  const names = await readdir(cfg.dir).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return [] as string[];
    throw e;
  });
  const checkpoints: (SignedCheckpoint & { file: string })[] = [];
  const problems: CheckpointProblem[] = [];
  for (const file of names.filter((n) => /^audit-.*\.json$/.test(n)).sort()) {
    let c: SignedCheckpoint;
    try {
      c = JSON.parse(await readFile(join(cfg.dir, file), 'utf8')) as SignedCheckpoint;
    } catch {
      problems.push({ file, reason: 'checkpoint unreadable' });
      continue;
    }
    const want = Buffer.from(signCheckpoint(c, cfg.key), 'hex');
    const got = Buffer.from(typeof c.sig === 'string' ? c.sig : '', 'hex');
    if (want.length !== got.length || !timingSafeEqual(want, got)) {
      problems.push({ file, reason: 'checkpoint signature invalid' });
      continue;
    }
    checkpoints.push({ ...c, file });
  }
  return { checkpoints, problems };
}

/** Where and with which key checkpoints are written: NIUDAI_AUDIT_KEY, or a key derived from the hash key. */
export function checkpointConfig(
  config: { auditKey?: string; auditCheckpointDir: string },
  pii: { hash(v: string): string },
): CheckpointConfig {
  const key = config.auditKey
    ? Buffer.from(config.auditKey, 'base64')
    : Buffer.from(pii.hash('niudai:audit-checkpoint-key'), 'base64url');
  return { dir: config.auditCheckpointDir, key };
}

/**
 * Writes a checkpoint every NIUDAI_AUDIT_CHECKPOINT_MINUTES (every periodic run under the
 * test clock) in the processes that run jobs, when events were added since the last one.
 */
export function auditCheckpoints(app: App, deps: Deps): void {
  const cfg = checkpointConfig(deps.config, deps.pii);
  let last: Checkpoint | undefined;
  let lastAt = 0;
  runPeriodically(app, deps, 'audit checkpoint', async () => {
    const now = Date.now();
    if (!deps.config.testClock && now - lastAt < deps.config.auditCheckpointMinutes * 60_000 - 5_000) return;
    last = await writeCheckpoint(deps.db, cfg, deps.clock.now(), last);
    lastAt = now;
  });
}
