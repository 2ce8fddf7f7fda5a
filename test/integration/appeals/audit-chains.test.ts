import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../src/server/platform/actor.js';
import { audit, verifyAudit } from '../../../src/server/platform/audit.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { behindTheServersBack } from '../support/tamper.js';
import { type AppealWorld, appealWorld, uniquePhone } from './helpers.js';

/**
 * Concurrent intake no longer queues behind one audit lock: overlapping transactions append
 * to separate hash chains, and the trail stays verifiable and tamper-evident (on PostgreSQL
 * the appends really overlap; PGlite runs them one after another on chain 0).
 */
let sys: TestSystem;
let w: AppealWorld;

beforeAll(async () => {
  sys = await createTestSystem();
  w = await appealWorld(sys);
});
afterAll(() => sys?.close());

const ctx = (i: number) => ({
  actor: SYSTEM_ACTOR,
  requestId: `chain-${i}`,
  ip: null,
  now: new Date(),
});

describe('audit chains under concurrent intake', () => {
  it('takes concurrent public appeals, each audited once, and the chains verify', async () => {
    const before = (await sys.db.query<{ n: number }>(sql`SELECT max(id)::int AS n FROM audit_events`))[0]!.n;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sys.anonymous().post('/api/public/appeals', {
          content: `我在电子厂工作，公司拖欠工资三个月未发（并发${i}）。`,
          group: 'worker',
          categoryCode: 'LABOR_WAGE',
          regionCode: w.town1Region,
          phone: uniquePhone(),
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    const events = await sys.db.query<{ entity_id: string }>(
      sql`SELECT entity_id FROM audit_events WHERE id > ${before} AND action = 'appeal.create'`,
    );
    expect(events).toHaveLength(12);
    const v = await verifyAudit(sys.db);
    expect(v).toMatchObject({ ok: true });
    expect(v.chains).toBeGreaterThanOrEqual(1);
  });

  it('keeps one chain when appends do not overlap, and several events of one transaction verify', async () => {
    const last = (
      await sys.db.query<{ chain: number }>(sql`SELECT chain FROM audit_events ORDER BY id DESC LIMIT 1`)
    )[0]!;
    expect(last.chain).toBeGreaterThanOrEqual(0);
    await sys.db.tx(async (tx) => {
      for (let i = 0; i < 3; i++)
        await audit(tx, ctx(i), {
          action: 'test.multi',
          entityType: 'test',
          entityId: i,
          after: { i, text: '"x"' },
        });
    });
    const rows = await sys.db.query<{ chain: number }>(
      sql`SELECT chain FROM audit_events WHERE action = 'test.multi'`,
    );
    expect(rows.map((r) => r.chain)).toEqual([0, 0, 0]);
    expect((await verifyAudit(sys.db)).ok).toBe(true);
  });

  it('detects an edited event and a deleted one in a chain other than the first', async () => {
    // hold chain 0 in one transaction while another appends: the second goes to chain 1
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let holding!: () => void;
    const isHolding = new Promise<void>((r) => {
      holding = r;
    });
    if (sys.engine === 'postgres') {
      const first = sys.db.tx(async (tx) => {
        await audit(tx, ctx(100), { action: 'test.hold', entityType: 'test', entityId: 100 });
        holding();
        await held;
      });
      await isHolding;
      for (let i = 0; i < 3; i++)
        await sys.db.tx((tx) =>
          audit(tx, ctx(101 + i), { action: 'test.other', entityType: 'test', entityId: i }),
        );
      release();
      await first;
      const other = await sys.db.query<{ id: number; chain: number }>(
        sql`SELECT id, chain FROM audit_events WHERE action = 'test.other' ORDER BY id`,
      );
      expect(other.every((r) => r.chain > 0)).toBe(true);
      expect((await verifyAudit(sys.db)).ok).toBe(true);
      const mid = other[1]!.id;
      await behindTheServersBack(
        sys.db,
        sql`UPDATE audit_events SET actor_name = 'mallory' WHERE id = ${mid}`,
      );
      expect(await verifyAudit(sys.db)).toMatchObject({
        ok: false,
        firstBadId: mid,
        reason: 'content altered',
      });
      await behindTheServersBack(
        sys.db,
        sql`UPDATE audit_events SET actor_name = 'system' WHERE id = ${mid}`,
      );
      await behindTheServersBack(sys.db, sql`DELETE FROM audit_events WHERE id = ${mid}`);
      expect(await verifyAudit(sys.db)).toMatchObject({ ok: false, firstBadId: other[2]!.id });
    } else {
      const rows = await sys.db.query<{ id: number }>(
        sql`SELECT id FROM audit_events ORDER BY id DESC LIMIT 2`,
      );
      await behindTheServersBack(sys.db, sql`DELETE FROM audit_events WHERE id = ${rows[1]!.id}`);
      expect(await verifyAudit(sys.db)).toMatchObject({ ok: false, firstBadId: rows[0]!.id });
    }
  });
});
