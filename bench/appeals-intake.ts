/**
 * Public intake throughput and latency, in one run on one PostgreSQL:
 *   full path  POST /api/public/appeals  (validation, de-duplication, routing, working-day
 *              deadlines, history, audit chain, outbox notices and SMS)
 *   baseline   POST /bench/bare           (inserts one row into a table of the same shape)
 * Max throughput: closed loop, 32 concurrent keep-alive clients, 8 s after a 2 s warm-up.
 * Latency: open loop (fixed arrival rate) at half the full path's maximum rate for 30 s
 * (p50/p95/p99 from each request's due time), then the baseline at the same rate; each
 * after the jobs of the phase before are done and a 10 s warm-up at that rate (the steady
 * state at the rate: right after the closed loop, the server's heap and the database are
 * still settling from the overload, and the first seconds at the rate show it).
 * Each open loop also prints the CPU time the hypervisor took from the machine meanwhile
 * (steal): on a shared host it goes with the tail (docs/appeals.md).
 * Goals (issue 3): full ≥ 40 % of the baseline's throughput; p99 ≤ 25 ms at half the maximum rate.
 * BENCH_PAIRS=n (issue 18): then n pairs of 30-s open loops at that rate, the bare insert and
 * the full intake interleaved (ABBA order, so neither always runs first), each pair's p99 and
 * CPU steal printed, and the median of the per-pair p99 ratios: the host's noise hits both
 * halves of a pair alike. Goal: median full/bare p99 ≤ 3×.
 * Layout: one server process; BENCH_WORKER=true adds a `niudai worker` process for the jobs.
 * Run: npm run bench:appeals-intake   (DATABASE_URL to use an existing PostgreSQL)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { appealText, f1, freshDatabase, pct, startPostgres } from './appeals-support.js';
import { postmasterOf, serverCpuSeconds } from './people-pgcpu.js';

const PORT = 3351;
const BASE = `http://127.0.0.1:${PORT}`;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const OPEN_SECONDS = Number(process.env.BENCH_OPEN_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);

const pgs = startPostgres('appeals-intake', 55471);
// a database of its own, fresh every run (no tables, queues or audit chains left from before)
const fresh = await freshDatabase(pgs.url, 'niudai_bench_appeals_intake');
const dataDir = mkdtempSync(join(tmpdir(), 'niudai-bench-'));
let server: ReturnType<typeof spawn> | undefined;
/**
 * Default: one process does everything, as `npm start` runs. BENCH_WORKER=true: the web
 * process runs with NIUDAI_JOBS=false and a `niudai worker` process beside it relays the
 * outbox and sends the SMS (the scale-out layout of the README), on the same two cores.
 */
const WORKER = process.env.BENCH_WORKER === 'true';
let worker: ReturnType<typeof spawn> | undefined;

/** Resolves once the process prints `mark` on stdout. */
function started(p: ReturnType<typeof spawn>, mark: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    p.stdout!.on('data', (d: Buffer) => d.toString().includes(mark) && resolve());
    p.on('exit', (c) => reject(new Error(`process exited ${c} before "${mark}"`)));
  });
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(p: ReturnType<typeof spawn> | undefined): number {
  if (!p?.pid || !existsSync(`/proc/${p.pid}/stat`)) return 0;
  const f = readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100; // utime, stime in clock ticks (100 per second)
}

async function regions(): Promise<string[]> {
  const c = new pg.Client({ connectionString: fresh.url });
  await c.connect();
  const r = await c.query(`SELECT code FROM regions WHERE level >= 4 ORDER BY code`);
  await c.end();
  return r.rows.map((x) => x.code as string);
}

let seq = 0;
const CATS = [
  'LABOR_WAGE',
  'LABOR_CONTRACT',
  'LABOR_INJURY',
  'SAFETY',
  'FAMILY_VIOLENCE',
  'YOUTH_JOB',
  'CONSULT',
];
const GROUPS = ['worker', 'worker', 'worker', 'women', 'youth', 'other'];
function body(regionCodes: string[]) {
  const i = ++seq;
  return {
    content: appealText(i),
    group: GROUPS[i % GROUPS.length],
    categoryCode: CATS[i % CATS.length],
    regionCode: regionCodes[i % regionCodes.length],
    phone: `13${String(100000000 + ((i * 7919) % 899999999)).slice(0, 9)}`,
  };
}

/**
 * The client: node:http over kept-alive connections. (fetch cost the client about 1.5 ms of
 * CPU per request, as much as the server, on the same two cores as server and database.)
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function post(path: string, b: object): Promise<number> {
  const t0 = performance.now();
  const payload = JSON.stringify(b);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${BASE}${path}`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 201 || res.statusCode === 200
            ? resolve(performance.now() - t0)
            : reject(new Error(`${path}: ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * CPU time the hypervisor took from this machine's cores so far (steal, ms, all cores): the
 * share of a noisy host shows in the tail of a latency run, so each run prints its own.
 */
function stealMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  return Number(f[8] ?? 0) * 10; // USER_HZ ticks of 10 ms
}

let postmaster: number | null = null;
/** CPU seconds used so far by the bench client, the server, the worker and PostgreSQL. */
function cpuNow() {
  const c = process.cpuUsage();
  return {
    client: (c.user + c.system) / 1e6,
    server: cpuSeconds(server),
    worker: cpuSeconds(worker),
    db: serverCpuSeconds(postmaster) ?? 0,
  };
}
/** CPU per request (ms) of each process since `from`. */
function cpuPerRequest(from: ReturnType<typeof cpuNow>, n: number): string {
  const to = cpuNow();
  const parts = (['client', 'server', 'worker', 'db'] as const)
    .filter((k) => k !== 'worker' || worker)
    .map((k) => `${k} ${(((to[k] - from[k]) * 1000) / n).toFixed(2)}`);
  return `CPU ms per request: ${parts.join(', ')}`;
}

/** Closed loop: CONCURRENCY clients as fast as they go; requests per second. */
async function maxRate(
  path: string,
  regionCodes: string[],
  seconds: number,
): Promise<{ rps: number; p50: number; cpu: string }> {
  const c0 = cpuNow();
  let stop = false;
  let done = 0;
  const lat: number[] = [];
  const worker = async () => {
    while (!stop) {
      lat.push(await post(path, body(regionCodes)));
      done++;
    }
  };
  const t0 = performance.now();
  const ws = Array.from({ length: CONCURRENCY }, worker);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stop = true;
  await Promise.all(ws);
  lat.sort((a, b) => a - b);
  return { rps: done / ((performance.now() - t0) / 1000), p50: pct(lat, 50), cpu: cpuPerRequest(c0, done) };
}

/**
 * Open loop at a fixed arrival rate (request i is due at t0 + i/rps, whatever the answers
 * before it): latency percentiles, each counted from when its request was due, not from
 * when the client got round to sending it (no coordinated omission); `late` is the p99 of
 * that sending delay, so a client that cannot keep up shows.
 */
async function atRate(path: string, regionCodes: string[], rps: number, seconds: number) {
  const steal0 = stealMs();
  const lat: number[] = [];
  const late: number[] = [];
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  const total = Math.round(rps * seconds);
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const delay = Math.max(0, performance.now() - due);
    late.push(delay);
    pending.push(post(path, body(regionCodes)).then((ms) => void lat.push(ms + delay)));
  }
  await Promise.all(pending);
  const took = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  late.sort((a, b) => a - b);
  return {
    n: lat.length,
    rate: lat.length / took,
    p50: pct(lat, 50),
    p95: pct(lat, 95),
    p99: pct(lat, 99),
    lateP99: pct(late, 99),
    steal: stealMs() - steal0,
  };
}

/** The server's own share of the intake requests' latency since the last call. */
interface ServerLatency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** the server process's CPU time per request (ms), its jobs included */
  cpuPerRequest: number;
  /** the kernel's share of it (socket reads and writes) */
  sysShare: number;
  /** how late the server's event loop ran its callbacks (p99, max) */
  loopP99: number;
  loopMax: number;
}
async function serverLatency(): Promise<ServerLatency> {
  const r = await fetch(`${BASE}/bench/server-latency`, { method: 'POST' });
  return (await r.json()) as ServerLatency;
}

/**
 * Waits until the work the closed-loop phase left behind (outbox rows, queued SMS jobs) is
 * done, and vacuums the tables it filled, so the open-loop phase measures the steady state
 * at its rate, not a backlog draining beside it: the closed loop writes thousands of rows
 * in seconds, and the autovacuum they trigger would otherwise take a core for a second or
 * two of the ten the open loop measures (on a two-core machine, that second is the p99).
 * Returns the seconds it took.
 */
async function settle(): Promise<number> {
  const c = new pg.Client({ connectionString: fresh.url });
  await c.connect();
  const t0 = performance.now();
  try {
    for (let i = 0; i < 600; i++) {
      const r = await c.query(`SELECT (SELECT count(*) FROM outbox WHERE dispatched_at IS NULL)
        + (SELECT count(*) FROM pgboss.job WHERE state IN ('created', 'retry', 'active')) AS n`);
      if (Number(r.rows[0].n) === 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    await c.query(`VACUUM (ANALYZE) appeals, appeal_events, notifications, outbox, audit_events, appeal_messages,
      bench_appeals_bare, pgboss.job`);
  } finally {
    await c.end();
  }
  return (performance.now() - t0) / 1000;
}

try {
  // BENCH_NODE_ARGS: extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=.tmp/prof"
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const env = { ...process.env, DATABASE_URL: fresh.url, NIUDAI_DATA_DIR: dataDir };
  server = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'bench/appeals-intake-server.ts'], {
    env: { ...env, PORT: String(PORT), NIUDAI_JOBS: WORKER ? 'false' : 'true' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await started(server, 'READY');
  if (WORKER) {
    worker = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', 'worker'], {
      env: { ...env, NODE_ENV: 'test', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await started(worker, 'worker running');
  }
  const regionCodes = await regions();
  {
    const c = new pg.Client({ connectionString: fresh.url });
    await c.connect();
    postmaster = postmasterOf((await c.query('SELECT pg_backend_pid() AS p')).rows[0].p);
    await c.end();
  }
  console.log(
    `machine load (1/5/15 min) at the start: ${loadavg().map(f1).join(' / ')} on ${cpus().length} cores`,
  );
  console.log(
    `PostgreSQL ${pgs.url.replace(/\/\/.*@/, '//')}; ${regionCodes.length} township/village regions; ${CONCURRENCY} clients`,
  );
  await maxRate('/bench/bare', regionCodes, 2);
  await maxRate('/api/public/appeals', regionCodes, 2);
  const bare = await maxRate('/bench/bare', regionCodes, SECONDS);
  const full = await maxRate('/api/public/appeals', regionCodes, SECONDS);
  console.log(
    `baseline (bare insert)   ${f1(bare.rps)} req/s   (p50 ${f1(bare.p50)} ms under full load; ${bare.cpu})`,
  );
  console.log(
    `full intake path         ${f1(full.rps)} req/s   (p50 ${f1(full.p50)} ms under full load; ${full.cpu})`,
  );
  const ratio = full.rps / bare.rps;
  console.log(
    `ratio full/baseline      ${f1(ratio * 100)} %   (goal ≥ 40 %: ${ratio >= 0.4 ? 'met' : 'NOT met'})`,
  );
  const half = full.rps / 2;
  console.log(
    `the jobs left by the closed loop done and its tables vacuumed in ${f1(await settle())} s; ${WARMUP_SECONDS} s warm-up at the rate`,
  );
  await atRate('/api/public/appeals', regionCodes, half, WARMUP_SECONDS);
  await serverLatency(); // from here on
  const c0 = cpuNow();
  const l = await atRate('/api/public/appeals', regionCodes, half, OPEN_SECONDS);
  console.log(`at that rate, ${cpuPerRequest(c0, l.n)}`);
  const inServer = await serverLatency();
  console.log(
    `full path at ${f1(half)} req/s (half max; open loop, achieved ${f1(l.rate)} req/s), ${l.n} requests: p50 ${f1(l.p50)} ms  p95 ${f1(l.p95)} ms  p99 ${f1(l.p99)} ms  (goal p99 ≤ 25 ms: ${l.p99 <= 25 ? 'met' : 'NOT met'}; client send delay p99 ${f1(l.lateP99)} ms; CPU steal ${l.steal} ms)`,
  );
  console.log(
    `  of which in the server (arrival to answer sent): p50 ${f1(inServer.p50)} ms  p95 ${f1(inServer.p95)} ms  p99 ${f1(inServer.p99)} ms  max ${f1(inServer.max)} ms; event loop delay p99 ${f1(inServer.loopP99)} ms  max ${f1(inServer.loopMax)} ms; server CPU ${inServer.cpuPerRequest.toFixed(2)} ms per request (${f1(inServer.sysShare * 100)} % in the kernel)`,
  );
  await settle();
  await atRate('/bench/bare', regionCodes, half, WARMUP_SECONDS);
  const lb = await atRate('/bench/bare', regionCodes, half, OPEN_SECONDS);
  console.log(
    `baseline at the same rate: p50 ${f1(lb.p50)} ms  p95 ${f1(lb.p95)} ms  p99 ${f1(lb.p99)} ms  (p99 ratio full/baseline ${f1(l.p99 / lb.p99)}×; CPU steal ${lb.steal} ms)`,
  );
  const pairs = Number(process.env.BENCH_PAIRS ?? 0);
  if (pairs > 0) {
    console.log(
      `\n${pairs} interleaved pairs at ${f1(half)} req/s, ${OPEN_SECONDS} s each loop (5 s warm-up before each):`,
    );
    const ratios: number[] = [];
    for (let i = 0; i < pairs; i++) {
      const order = i % 2 === 0 ? ['bare', 'full'] : ['full', 'bare'];
      const got: Record<string, Awaited<ReturnType<typeof atRate>>> = {};
      for (const which of order) {
        const path = which === 'bare' ? '/bench/bare' : '/api/public/appeals';
        await settle();
        await atRate(path, regionCodes, half, 5);
        got[which] = await atRate(path, regionCodes, half, OPEN_SECONDS);
      }
      const b = got.bare!;
      const fu = got.full!;
      ratios.push(fu.p99 / b.p99);
      console.log(
        `  pair ${i + 1} (${order.join(' then ')}): bare p99 ${f1(b.p99)} ms (steal ${b.steal} ms, ${f1(b.rate)} req/s) · full p99 ${f1(fu.p99)} ms (steal ${fu.steal} ms, ${f1(fu.rate)} req/s) · ratio ${f1(fu.p99 / b.p99)}×`,
      );
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(
      `median of the per-pair p99 ratios full/bare: ${f1(median)}× (spread ${f1(sorted[0]!)}–${f1(sorted.at(-1)!)}×; goal ≤ 3×: ${median <= 3 ? 'met' : 'NOT met'})`,
    );
  }
  console.log(
    `machine load (1/5/15 min) at the end: ${loadavg().map(f1).join(' / ')} on ${cpus().length} cores`,
  );
} finally {
  for (const p of [worker, server]) {
    if (p && p.exitCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
  }
  await fresh.drop().catch(() => undefined);
  pgs.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
