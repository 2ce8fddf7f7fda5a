/**
 * Child process of bench/people-import.ts: runs one import job against DATABASE_URL and prints
 * its wall time and the process's peak resident memory as JSON (a process of its own, so the
 * peak is the import's and nothing else's).
 */
import pino from 'pino';
import { loadConfig } from '../src/server/config.js';
import { runImport } from '../src/server/modules/people/import/job.js';
import { Clock } from '../src/server/platform/clock.js';
import { openPostgres } from '../src/server/platform/db/index.js';
import { ReadRouter } from '../src/server/platform/db/replica.js';
import type { Deps } from '../src/server/platform/deps.js';
import { FileStore } from '../src/server/platform/files.js';
import type { Jobs } from '../src/server/platform/jobs.js';
import { loadPii } from '../src/server/platform/pii.js';

const jobId = Number(process.argv[2]);
const config = loadConfig();
const db = await openPostgres(config.databaseUrl!, 4);
const deps: Deps = {
  config,
  db,
  reads: new ReadRouter(db, null),
  clock: new Clock(),
  pii: loadPii(config),
  jobs: null as unknown as Jobs,
  files: new FileStore(`${config.dataDir}/files`),
  log: pino({ level: 'error' }),
};
let peak = 0;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
const t0 = performance.now();
await runImport(deps, jobId, { batchSize: Number(process.env.BENCH_BATCH ?? 2000) });
const ms = performance.now() - t0;
clearInterval(timer);
const maxRss = Math.max(peak, process.resourceUsage().maxRSS * 1024);
await db.close();
const cpu = process.cpuUsage();
const cpuS = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ ms, maxRssMb: maxRss / 1024 / 1024, cpuS })}\n`);
