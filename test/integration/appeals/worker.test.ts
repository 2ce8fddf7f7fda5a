import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Running, startSystem } from '../../../src/server/boot.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { type AppealWorld, appealWorld, submitPublic } from './helpers.js';

/**
 * A web-only process (NIUDAI_JOBS=false) leaves the outbox to a worker process: it writes
 * the rows and relays nothing; the worker, on the same database, relays them and sends.
 */
let web: TestSystem;
let worker: Running | undefined;
let w: AppealWorld;

beforeAll(async () => {
  web = await createTestSystem({ env: { NIUDAI_JOBS: 'false' } });
  w = await appealWorld(web);
});
afterAll(async () => {
  await worker?.stop();
  await web?.close();
});

const messagesOf = async (appealId: number) =>
  (await web.db.query(sql`SELECT 1 FROM appeal_messages WHERE appeal_id = ${appealId}`)).length;

describe('web and worker processes', () => {
  it('leaves the SMS of an intake to the worker, which sends it once', async () => {
    const a = await submitPublic(web, {}, w);
    expect(await web.deps.jobs.relay()).toBe(0); // the web process has no queue running
    await new Promise((r) => setTimeout(r, 600));
    expect(await messagesOf(a.id)).toBe(0);
    const pending = await web.db.query(
      sql`SELECT 1 FROM outbox WHERE dispatched_at IS NULL AND topic = 'appeal.message'
        AND (payload->>'appealId')::bigint = ${a.id}`,
    );
    expect(pending).toHaveLength(1);

    const config = { ...web.deps.config, runJobs: true };
    worker = await startSystem(config, web.db, createLogger(config));
    for (let i = 0; i < 100 && (await messagesOf(a.id)) === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await messagesOf(a.id)).toBe(1);
  });
});
