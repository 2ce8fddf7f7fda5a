import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../src/server/platform/actor.js';
import { audit, auditInsertEach, canonical, verifyAudit } from '../../../src/server/platform/audit.js';
import { type CheckpointConfig, writeCheckpoint } from '../../../src/server/platform/auditCheckpoint.js';
import { openPostgres, sql } from '../../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { behindTheServersBack } from '../support/tamper.js';

/**
 * Issue 12, item 7: the audit trail refuses UPDATE, DELETE and TRUNCATE, and signed
 * checkpoints of the chain heads, kept outside the database, let `audit verify` find
 * truncation and rewriting that the hash chains alone cannot.
 */
let sys: TestSystem;
let dir: string;
let cp: CheckpointConfig;
beforeAll(async () => {
  sys = await createTestSystem();
  dir = await mkdtemp(join(tmpdir(), 'niudai-cp-'));
  cp = { dir, key: Buffer.from('k'.repeat(32)) };
});
afterAll(async () => {
  await sys?.close();
  await rm(dir, { recursive: true, force: true });
});

let seq = 0;
const ctx = () => ({ actor: SYSTEM_ACTOR, requestId: `cp-${++seq}`, ip: null, now: new Date() });

/** `n` events, each two at a time on two chains (one statement takes a free chain per event). */
async function events(n: number): Promise<void> {
  for (let i = 0; i < n; i += 2)
    await sys.db.tx((tx) =>
      tx.query(
        auditInsertEach(
          [0, 1].map((j) => ({
            ctx: ctx(),
            entry: { action: j ? 'person.reveal' : 'export', entityType: 'test', entityId: i + j },
          })),
          sql.raw('TRUE'),
        ),
      ),
    );
}

type Ev = Record<string, unknown> & { id: number; chain: number; hash: string; prev_hash: string };
const snapshot = (where = sql.raw('TRUE')) =>
  sys.db.query<Ev>(sql`SELECT * FROM audit_events WHERE ${where} ORDER BY id`);
/** Puts rows back as they were (behind the server's back), so the next case starts intact. */
const restore = (rows: Ev[]) =>
  behindTheServersBack(
    sys.db,
    sql`INSERT INTO audit_events SELECT * FROM jsonb_populate_recordset(NULL::audit_events, ${JSON.stringify(rows)}::jsonb)`,
  );

async function intactWithCheckpoint() {
  await events(12);
  await writeCheckpoint(sys.db, cp, new Date());
  expect(await verifyAudit(sys.db, 5000, { checkpoints: cp })).toMatchObject({ ok: true });
}

describe('the audit trail is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE, even to the database owner', async () => {
    await events(2);
    for (const stmt of [
      sql`UPDATE audit_events SET actor_name = 'mallory'`,
      sql`DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)`,
      sql`TRUNCATE audit_events`,
    ])
      await expect(sys.db.query(stmt)).rejects.toThrow(/append-only/);
    expect((await verifyAudit(sys.db)).ok).toBe(true);
  });
});

describe('audit verify against signed checkpoints', () => {
  it('writes checkpoints owner-only, one per change of the heads, and refuses a forged one', async () => {
    await intactWithCheckpoint();
    const before = (await readdir(dir)).length;
    await writeCheckpoint(sys.db, cp, new Date(), undefined);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(before);
    expect((await stat(join(dir, files[0]!))).mode & 0o777).toBe(0o600);
    // a checkpoint signed with another key (or edited) is reported
    const forged = JSON.parse(await readFile(join(dir, files.at(-1)!), 'utf8'));
    forged.heads[0].hash = 'f'.repeat(64);
    await writeFile(join(dir, 'audit-999999999999-forged.json'), JSON.stringify(forged));
    expect(await verifyAudit(sys.db, 5000, { checkpoints: cp })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('signature invalid'),
    });
    await rm(join(dir, 'audit-999999999999-forged.json'));
  });

  it('finds the last ten events deleted (the chains alone do not)', async () => {
    await intactWithCheckpoint();
    const last = await snapshot(sql`id > (SELECT max(id) - 10 FROM audit_events)`);
    expect(last.some((e) => e.action === 'person.reveal')).toBe(true);
    await behindTheServersBack(sys.db, sql`DELETE FROM audit_events WHERE id >= ${last[0]!.id}`);
    expect((await verifyAudit(sys.db)).ok).toBe(true); // what the chains alone say
    const r = await verifyAudit(sys.db, 5000, { checkpoints: cp });
    expect(r.ok).toBe(false);
    expect(r.reason).toMatch(/^missing/);
    await restore(last);
    expect((await verifyAudit(sys.db, 5000, { checkpoints: cp })).ok).toBe(true);
  });

  it('finds a whole chain deleted', async () => {
    await intactWithCheckpoint();
    const chain1 = await snapshot(sql`chain = 1`);
    expect(chain1.length).toBeGreaterThan(0);
    await behindTheServersBack(sys.db, sql`DELETE FROM audit_events WHERE chain = 1`);
    expect((await verifyAudit(sys.db)).ok).toBe(true);
    const r = await verifyAudit(sys.db, 5000, { checkpoints: cp });
    await restore(chain1);
    expect(r.ok).toBe(false);
    expect(chain1.map((e) => e.id)).toContain(r.firstBadId);
    expect(r.reason).toMatch(/^missing/);
  });

  it('finds every event deleted', async () => {
    await intactWithCheckpoint();
    const all = await snapshot();
    await behindTheServersBack(sys.db, sql`DELETE FROM audit_events`);
    expect((await verifyAudit(sys.db)).ok).toBe(true);
    expect(await verifyAudit(sys.db, 5000, { checkpoints: cp })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^missing/),
    });
    await restore(all);
    expect((await verifyAudit(sys.db, 5000, { checkpoints: cp })).ok).toBe(true);
  });

  it('finds an event rewritten with every hash after it recomputed', async () => {
    await intactWithCheckpoint();
    const chain0 = await snapshot(sql`chain = 0`);
    const victim = chain0.findIndex((e) => e.action === 'person.reveal' || e.action === 'export');
    // the attacker's rewrite: change the event, then recompute its hash and every later one of its chain
    let prev = chain0[victim]!.prev_hash;
    const rewritten: Ev[] = [];
    for (const [i, e] of chain0.slice(victim).entries()) {
      const { id: _id, chain: _chain, hash: _hash, ...content } = e;
      const body = {
        ...content,
        actor_name: i === 0 ? 'nobody' : content.actor_name,
        at: new Date(content.at as string).toISOString(),
        prev_hash: prev,
      };
      const hash = createHash('sha256')
        .update(`${prev}\n${canonical(body)}`)
        .digest('hex');
      rewritten.push({ ...e, actor_name: body.actor_name, prev_hash: prev, hash });
      prev = hash;
    }
    const originals = chain0.slice(victim);
    await behindTheServersBack(
      sys.db,
      sql`DELETE FROM audit_events WHERE id = ANY(${originals.map((e) => e.id)}::bigint[])`,
    );
    await restore(rewritten);
    expect((await verifyAudit(sys.db)).ok).toBe(true); // a consistent chain…
    const r = await verifyAudit(sys.db, 5000, { checkpoints: cp });
    expect(r.ok).toBe(false); // …that is not the one checkpointed
    expect(r.reason).toMatch(/^rewritten/);
    await behindTheServersBack(
      sys.db,
      sql`DELETE FROM audit_events WHERE id = ANY(${originals.map((e) => e.id)}::bigint[])`,
    );
    await restore(originals);
    expect((await verifyAudit(sys.db, 5000, { checkpoints: cp })).ok).toBe(true);
  });

  it('an event appended through the app after the checkpoint still verifies', async () => {
    await intactWithCheckpoint();
    await sys.db.tx((tx) => audit(tx, ctx(), { action: 'test.after', entityType: 'test', entityId: 1 }));
    expect((await verifyAudit(sys.db, 5000, { checkpoints: cp })).ok).toBe(true);
  });
});

describe.runIf(!!process.env.TEST_DATABASE_URL)(
  'the application role on PostgreSQL (docs/operations.md)',
  () => {
    it('appends audit events but lacks UPDATE, DELETE and TRUNCATE on them, trigger or not', async () => {
      const role = `niudai_app_${Math.random().toString(36).slice(2, 8)}`;
      await sys.db.exec(`CREATE ROLE ${role} LOGIN`);
      await sys.db.exec(
        `GRANT USAGE ON SCHEMA public TO ${role};
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role};
      GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role};
      REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${role}`,
      );
      const u = new URL(sys.databaseUrl!);
      u.username = role;
      const app = await openPostgres(u.toString(), 1);
      try {
        await app.tx((tx) => audit(tx, ctx(), { action: 'test.role', entityType: 'test', entityId: 1 }));
        expect((await verifyAudit(app)).ok).toBe(true);
        for (const stmt of [
          sql`UPDATE audit_events SET actor_name = 'mallory'`,
          sql`DELETE FROM audit_events`,
          sql`TRUNCATE audit_events`,
        ])
          await expect(app.query(stmt)).rejects.toThrow(/permission denied/);
        // switching the trigger off is not the app's to do either
        await expect(
          app.tx(async (tx) => {
            await tx.query(sql`SET LOCAL session_replication_role = replica`);
          }),
        ).rejects.toThrow(/permission denied/);
      } finally {
        await app.close();
        await sys.db.exec(
          `REASSIGN OWNED BY ${role} TO CURRENT_USER; DROP OWNED BY ${role}; DROP ROLE ${role}`,
        );
      }
    });
  },
);
