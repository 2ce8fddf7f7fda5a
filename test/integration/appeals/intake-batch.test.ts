import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IntakeInput, prepareIntake } from '../../../src/server/modules/appeals/intake.js';
import { writeBatch } from '../../../src/server/modules/appeals/intake-write.js';
import { PUBLIC_ACTOR } from '../../../src/server/modules/appeals/public.js';
import { verifyAudit } from '../../../src/server/platform/audit.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { type AppealWorld, appealWorld, submitPublic, uniquePhone } from './helpers.js';

/**
 * Intakes arriving together are written by one statement (group commit): each new appeal
 * with its own history, notices, SMS and audit event on a chain of its own; a repeat of an
 * appeal already taken in is answered with that appeal and writes nothing.
 */
let sys: TestSystem;
let w: AppealWorld;

beforeAll(async () => {
  sys = await createTestSystem();
  w = await appealWorld(sys);
});
afterAll(() => sys?.close());

const input = (phone: string, content: string): IntakeInput => ({
  content,
  group: 'worker',
  categoryCode: 'LABOR_WAGE',
  regionCode: w.town1Region,
  phone,
  anonymous: false,
  confidential: false,
  channel: 'web',
  priority: 'normal',
});

describe('intakes written together', () => {
  it('writes the new ones of a batch whole and answers a repeat with the appeal it repeats', async () => {
    const text = '建筑工地拖欠工资半年，多次讨要无果（批量写入）';
    const earlier = await submitPublic(sys, { content: text }, w);
    const ctx = { actor: PUBLIC_ACTOR, requestId: 'batch', ip: null, now: sys.deps.clock.now() };
    const items = await Promise.all([
      prepareIntake(sys.deps, ctx, input(uniquePhone(), '快递站点克扣工资（批量一）')),
      prepareIntake(sys.deps, ctx, input(earlier.phone, text)),
      prepareIntake(sys.deps, ctx, input(uniquePhone(), '电子厂不交社保（批量三）')),
    ]);
    const [one, repeat, three] = await writeBatch(sys.db, items);
    expect(one).toMatchObject({ id: items[0]!.result.id, duplicate: false });
    expect(repeat).toMatchObject({ id: earlier.id, trackingCode: earlier.trackingCode, duplicate: true });
    expect(three).toMatchObject({ id: items[2]!.result.id, duplicate: false });

    const written = [one!.id, three!.id];
    const unwritten = items[1]!.result.id;
    const count = async (q: ReturnType<typeof sql>) => (await sys.db.query<{ n: number }>(q))[0]!.n;
    expect(
      await count(sql`SELECT count(*)::int AS n FROM appeals WHERE id = ANY(${written}::bigint[])`),
    ).toBe(2);
    for (const id of written) {
      expect(await count(sql`SELECT count(*)::int AS n FROM appeal_events WHERE appeal_id = ${id}`)).toBe(2);
      expect(
        await count(sql`SELECT count(*)::int AS n FROM notifications WHERE link = ${`/appeals/${id}`}`),
      ).toBeGreaterThan(0);
      expect(
        await count(sql`SELECT count(*)::int AS n FROM outbox WHERE (payload->>'appealId')::bigint = ${id}`),
      ).toBe(1);
    }
    // nothing of the repeat: no appeal, history, notice, SMS or audit event under its id
    expect(await count(sql`SELECT count(*)::int AS n FROM appeals WHERE id = ${unwritten}`)).toBe(0);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM appeal_events WHERE appeal_id = ${unwritten}`),
    ).toBe(0);
    expect(
      await count(sql`SELECT count(*)::int AS n FROM notifications WHERE link = ${`/appeals/${unwritten}`}`),
    ).toBe(0);
    expect(
      await count(
        sql`SELECT count(*)::int AS n FROM outbox WHERE (payload->>'appealId')::bigint = ${unwritten}`,
      ),
    ).toBe(0);
    const audits = await sys.db.query<{ entity_id: string; chain: number }>(
      sql`SELECT entity_id, chain FROM audit_events WHERE action = 'appeal.create'
        AND entity_id = ANY(${[...written, unwritten].map(String)}::text[])`,
    );
    expect(audits.map((a) => Number(a.entity_id)).sort((a, b) => a - b)).toEqual(
      written.sort((a, b) => a - b),
    );
    expect(new Set(audits.map((a) => a.chain)).size).toBe(2); // one chain each within the statement
    expect(await verifyAudit(sys.db)).toMatchObject({ ok: true });
  });

  it('takes a burst of submissions, double submits of one phone among them, as one appeal per person', async () => {
    const phones = Array.from({ length: 6 }, () => uniquePhone());
    const res = await Promise.all(
      [...phones, ...phones].map((phone) =>
        sys.anonymous().post('/api/public/appeals', {
          content: `餐饮店拖欠工资，老板不接电话（${phone}）`,
          group: 'worker',
          categoryCode: 'LABOR_WAGE',
          regionCode: w.town1Region,
          phone,
        }),
      ),
    );
    expect(res.map((r) => r.status).sort()).toEqual([...Array(6).fill(200), ...Array(6).fill(201)]);
    for (const i of phones.keys()) expect(res[i]!.body.trackingCode).toBe(res[i + 6]!.body.trackingCode);
    const n = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM appeals WHERE content LIKE '餐饮店拖欠工资，老板不接电话（%'`,
    );
    expect(n[0]!.n).toBe(6);
    expect(await verifyAudit(sys.db)).toMatchObject({ ok: true });
  });
});
