import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appealMessageHandler, type MessageSender } from '../../../src/server/modules/appeals/notify.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { type AppealWorld, appealWorld, submitPublic } from './helpers.js';

/**
 * The SMS to the submitter and the handlers' notices leave through the outbox and the job
 * queue: each is delivered once, whatever the relays and retries.
 */
let sys: TestSystem;
let w: AppealWorld;

beforeAll(async () => {
  sys = await createTestSystem();
  w = await appealWorld(sys);
});
afterAll(() => sys?.close());

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (done(v)) return v;
    await sys.deps.jobs.relay();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('not delivered within 10 s');
}

describe('messages and notices of an intake', () => {
  it('relays the SMS rows moved together as one queue job, each row still sent once', async () => {
    const appeals = [];
    for (let i = 0; i < 3; i++) appeals.push(await submitPublic(sys, { content: `集体relay测试 ${i}` }, w));
    const ids = appeals.map((a) => a.id);
    const sent = () =>
      sys.db.query<{ appeal_id: number }>(
        sql`SELECT appeal_id FROM appeal_messages WHERE appeal_id = ANY(${ids}::bigint[])`,
      );
    await until(sent, (m) => m.length === 3);
    // relayed again together (one UPDATE, so one relay batch): one job carries the three rows
    const outboxIds = (
      await sys.db.query<{ id: number }>(sql`SELECT id FROM outbox
        WHERE topic = 'appeal.message' AND (payload->>'appealId')::bigint = ANY(${ids}::bigint[])`)
    ).map((r) => r.id);
    expect(outboxIds).toHaveLength(3);
    // the jobs that carry all three rows, told apart by id (the periodic relay may move them
    // in a transaction begun before any timestamp taken here)
    const jobsWithAll = () =>
      sys.db.query<{ id: string; n: number }>(sql`SELECT id, jsonb_array_length(data->'rows') AS n
        FROM pgboss.job WHERE name = 'appeal.message'
        AND data->'rows' @> ${JSON.stringify(outboxIds.map((id) => ({ outboxId: id })))}::jsonb`);
    const before = new Set((await jobsWithAll()).map((j) => j.id));
    await sys.db.query(sql`UPDATE outbox SET dispatched_at = NULL WHERE id = ANY(${outboxIds}::bigint[])`);
    await sys.deps.jobs.relay(); // a run begun after the UPDATE has ended
    const jobs = (await jobsWithAll()).filter((j) => !before.has(j.id));
    expect(jobs.map((j) => j.n)).toEqual([3]);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await sent()).map((m) => m.appeal_id).sort((a, b) => a - b)).toEqual(
      [...ids].sort((a, b) => a - b),
    );
  });

  it('sends the tracking code once by SMS (number masked) and notifies the handlers once each', async () => {
    const a = await submitPublic(sys, { phone: '13912345678' }, w);
    const messages = await until(
      () =>
        sys.db.query<{ to_masked: string; body: string }>(
          sql`SELECT to_masked, body FROM appeal_messages WHERE appeal_id = ${a.id}`,
        ),
      (m) => m.length > 0,
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]!.to_masked).toBe('139****5678');
    expect(messages[0]!.body.replace(/[-\s]/g, '')).toContain(a.trackingCode.replace(/[-\s]/g, ''));
    const link = `/appeals/${a.id}`;
    // the notices are written with the appeal, one per handler
    const notices = await sys.db.query<{ user_id: number }>(
      sql`SELECT user_id FROM notifications WHERE link = ${link}`,
    );
    expect(notices.length).toBeGreaterThan(0);
    expect(new Set(notices.map((n) => n.user_id)).size).toBe(notices.length);
    // the outbox relayed again (a process died after sending): nothing doubles
    await sys.db.query(sql`UPDATE outbox SET dispatched_at = NULL
      WHERE topic = 'appeal.message' AND (payload->>'appealId')::bigint = ${a.id}`);
    await sys.deps.jobs.relay();
    await new Promise((r) => setTimeout(r, 1500));
    expect((await sys.db.query(sql`SELECT 1 FROM notifications WHERE link = ${link}`)).length).toBe(
      notices.length,
    );
    expect((await sys.db.query(sql`SELECT 1 FROM appeal_messages WHERE appeal_id = ${a.id}`)).length).toBe(1);
  });

  it('retries the messages the gateway refused, and sends each only once when it goes through', async () => {
    const a = await submitPublic(sys, {}, w);
    // three messages of one fetched batch, from a relay of their own apart from the running one
    const batch = [1, 2, 3].map((k) => ({
      outboxId: 900_000_000 + a.id * 10 + k,
      payload: { appealId: a.id, kind: 'replied' },
    }));
    const sent: number[] = [];
    let down = true;
    const gateway: MessageSender = {
      name: 'test',
      async send() {
        if (down && sent.length === 1) throw new Error('gateway down'); // the second of the batch
        sent.push(sent.length);
      },
    };
    const handle = appealMessageHandler(sys.deps, gateway);
    await expect(handle(batch)).rejects.toThrow('gateway down');
    const recorded = async () =>
      (
        await sys.db.query<{ outbox_id: number }>(
          sql`SELECT outbox_id FROM appeal_messages WHERE outbox_id = ANY(${batch.map((b) => b.outboxId)}::bigint[])
            ORDER BY outbox_id`,
        )
      ).map((r) => r.outbox_id);
    // the first went out and stays recorded; the refused one and the one after it are taken back
    expect(sent).toHaveLength(1);
    expect(await recorded()).toEqual([batch[0]!.outboxId]);
    down = false;
    await handle(batch); // the queue's retry of the batch
    await handle(batch); // and once more (relayed twice)
    expect(sent).toHaveLength(3);
    expect(await recorded()).toEqual(batch.map((b) => b.outboxId));
    const bodies = await sys.db.query<{ body: string }>(
      sql`SELECT body FROM appeal_messages WHERE outbox_id = ${batch[1]!.outboxId}`,
    );
    expect(bodies[0]!.body).toContain('已有答复');
  });
});
