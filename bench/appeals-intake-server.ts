/**
 * The server of the intake benchmark (run by bench/appeals-intake.ts in its own process):
 * the real app on PostgreSQL with the demo city, plus one bare route that inserts one row
 * into a table of the same shape as `appeals` (same columns and indexes) — the baseline.
 */
import { randomBytes } from 'node:crypto';
import { createLogger, openDatabase, startSystem } from '../src/server/boot.js';
import { loadConfig } from '../src/server/config.js';
import { sql } from '../src/server/platform/db/index.js';
import { newTrackingCode } from '../src/shared/trackingCode.js';

const port = Number(process.env.PORT ?? 3350);
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'test',
  NIUDAI_RATE_LIMIT: '100000000',
  LOG_LEVEL: 'warn',
  NIUDAI_DB_POOL: process.env.NIUDAI_DB_POOL ?? '20',
});
const log = createLogger(config);
const db = await openDatabase(config, log, { seed: true });
await db.exec(`DROP TABLE IF EXISTS bench_appeals_bare;
  CREATE TABLE bench_appeals_bare (LIKE appeals INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING IDENTITY);`);
const sys = await startSystem(config, db, log);
const center = await db.query<{ id: number }>(sql`SELECT id FROM orgs ORDER BY id LIMIT 1`);

sys.app.post('/bench/bare', async (req, reply) => {
  const b = req.body as {
    content: string;
    phone: string;
    regionCode: string;
    categoryCode: string;
    group: string;
  };
  await db.query(sql`INSERT INTO bench_appeals_bare (tracking_code, channel, group_key, category_code, region_code,
      title, content, search_text, search_grams, phone_enc, phone_hash, status, org_id, routing, dedupe_hash,
      created_at, updated_at)
    VALUES (${newTrackingCode((n) => randomBytes(n))}, 'web', ${b.group}, ${b.categoryCode}, ${b.regionCode},
      ${b.content.slice(0, 30)}, ${b.content}, ${b.content}, '{}'::text[], ${b.phone}, ${b.phone}, 'pending_dispatch',
      ${center[0]!.id}, '{}'::jsonb, ${b.phone}, ${new Date()}, ${new Date()})`);
  return reply.status(201).send({ ok: true });
});
await sys.app.listen({ port, host: '127.0.0.1' });
process.stdout.write('READY\n');
process.on('SIGTERM', async () => {
  // the job workers may still be busy with the run's backlog: stop, then leave without
  // closing the pool under them
  await Promise.race([sys.stop(), new Promise((r) => setTimeout(r, 3000))]).catch(() => undefined);
  process.exit(0);
});
