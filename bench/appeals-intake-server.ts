/**
 * The server of the intake benchmark (run by bench/appeals-intake.ts in its own process):
 * the real app on PostgreSQL with the demo city, plus one bare route that inserts one row
 * into a table of the same shape as `appeals` (same columns and indexes) — the baseline.
 */
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
// the time each request spends in this server (hooks at arrival and after the answer went
// out), so the bench can tell the server's share of the latency from the client's and the OS's
let spent: number[] = [];
let cpu = process.cpuUsage();
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const arrived = new WeakMap<object, number>();
sys.app.addHook('onRequest', async (req) => {
  arrived.set(req, performance.now());
});
sys.app.addHook('onResponse', async (req) => {
  const t = arrived.get(req);
  if (t !== undefined && req.url.startsWith('/api/public/appeals')) spent.push(performance.now() - t);
});
sys.app.post('/bench/server-latency', async () => {
  const s = spent.sort((a, b) => a - b);
  spent = [];
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
  const loopP99 = loop.percentile(99) / 1e6;
  const loopMax = loop.max / 1e6;
  loop.reset();
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  const cpuPerRequest = (used.user + used.system) / 1000 / Math.max(1, s.length);
  const sysShare = used.system / Math.max(1, used.user + used.system);
  return {
    cpuPerRequest,
    sysShare,
    n: s.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: s.at(-1) ?? 0,
    loopP99,
    loopMax,
  };
});
await sys.app.listen({ port, host: '127.0.0.1' });
process.stdout.write('READY\n');
process.on('SIGTERM', async () => {
  // the job workers may still be busy with the run's backlog: stop, then leave without
  // closing the pool under them
  await Promise.race([sys.stop(), new Promise((r) => setTimeout(r, 3000))]).catch(() => undefined);
  process.exit(0);
});
