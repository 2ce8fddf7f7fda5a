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
    const outboxed = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM outbox WHERE topic = 'notify' AND payload->>'link' = ${link}`,
    );
    expect(outboxed[0]!.n).toBeGreaterThan(0);
    const notices = await until(
      () => sys.db.query<{ user_id: number }>(sql`SELECT user_id FROM notifications WHERE link = ${link}`),
      (n) => n.length >= outboxed[0]!.n,
    );
    expect(notices.length).toBe(outboxed[0]!.n);
    expect(new Set(notices.map((n) => n.user_id)).size).toBe(notices.length);
    // the outbox relayed again (a process died after sending): nothing doubles
    await sys.db.query(sql`UPDATE outbox SET dispatched_at = NULL WHERE payload->>'link' = ${link}
      OR (topic = 'appeal.message' AND (payload->>'appealId')::bigint = ${a.id})`);
    await sys.deps.jobs.relay();
    await new Promise((r) => setTimeout(r, 1500));
    expect((await sys.db.query(sql`SELECT 1 FROM notifications WHERE link = ${link}`)).length).toBe(
      notices.length,
    );
    expect((await sys.db.query(sql`SELECT 1 FROM appeal_messages WHERE appeal_id = ${a.id}`)).length).toBe(1);
  });

  it('retries a message the gateway refused, and sends it only once when it goes through', async () => {
    const a = await submitPublic(sys, {}, w);
    const outboxId = 900_000_000 + a.id; // a relay of its own, apart from the running one
    const sent: string[] = [];
    let fail = true;
    const gateway: MessageSender = {
      name: 'test',
      async send(m) {
        if (fail) throw new Error('gateway down');
        sent.push(m.body);
      },
    };
    const handle = appealMessageHandler(sys.deps, gateway);
    const job = [{ outboxId, payload: { appealId: a.id, kind: 'replied' } }];
    await expect(handle(job)).rejects.toThrow('gateway down');
    const recorded = () => sys.db.query(sql`SELECT 1 FROM appeal_messages WHERE outbox_id = ${outboxId}`);
    expect(await recorded()).toHaveLength(0);
    fail = false;
    await handle(job);
    await handle(job);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('已有答复');
    expect(await recorded()).toHaveLength(1);
  });
});
