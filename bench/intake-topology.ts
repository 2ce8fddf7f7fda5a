/**
 * Public intake through the proxy of `npm run topology` with two API processes and with one
 * (the other killed: nginx sends everything to the survivor), in one run: closed loop, 32
 * kept-alive clients, BENCH_SECONDS (default 15) each after a 3-s warm-up, and the ratio.
 * Run: npm run bench:intake-topology   (starts the topology itself and stops it at the end)
 * Both API processes, the worker, nginx, the primary, the standby and this client share the
 * machine's cores: on two cores the second process adds little — the figures say how much.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { appealText, f1, pct } from './appeals-support.js';

const PROXY = 'http://127.0.0.1:3400';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const topo = (...args: string[]) =>
  execFileSync('bash', ['scripts/topology.sh', ...args], { stdio: 'inherit' });
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function post(b: object, ip: string): Promise<number> {
  const t0 = performance.now();
  const payload = JSON.stringify(b);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${PROXY}/api/public/appeals`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          'x-forwarded-for': ip,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 201 ? resolve(performance.now() - t0) : reject(new Error(`${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function regionCodes(): Promise<string[]> {
  const top = (await (await fetch(`${PROXY}/api/public/regions`)).json()) as { items: { code: string }[] };
  const out: string[] = [];
  for (const c of top.items.slice(0, 3)) {
    const r = (await (await fetch(`${PROXY}/api/public/regions?parentCode=${c.code}`)).json()) as {
      items: { code: string }[];
    };
    out.push(...r.items.map((x) => x.code));
  }
  return out.length > 0 ? out : top.items.map((x) => x.code);
}

let seq = 0;
async function closedLoop(regions: string[], seconds: number) {
  let stop = false;
  let done = 0;
  let errors = 0;
  const lat: number[] = [];
  const one = async () => {
    while (!stop) {
      const i = ++seq;
      try {
        lat.push(
          await post(
            {
              content: appealText(i),
              group: 'worker',
              categoryCode: 'LABOR_WAGE',
              regionCode: regions[i % regions.length],
              phone: `13${String(100000000 + ((i * 7919) % 899999999)).slice(0, 9)}`,
            },
            `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          ),
        );
        done++;
      } catch {
        errors++;
      }
    }
  };
  const t0 = performance.now();
  const ws = Array.from({ length: CONCURRENCY }, one);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  stop = true;
  await Promise.all(ws);
  lat.sort((a, b) => a - b);
  return { rps: done / ((performance.now() - t0) / 1000), p50: pct(lat, 50), p99: pct(lat, 99), errors };
}

process.env.NIUDAI_RATE_LIMIT = '1000000';
process.env.TOPO_LOG_LEVEL = 'warn';
topo('start');
try {
  const regions = await regionCodes();
  console.log(`machine load at the start: ${loadavg().map(f1).join(' / ')} on ${cpus().length} cores`);
  await closedLoop(regions, 3);
  const two = await closedLoop(regions, SECONDS);
  console.log(
    `two API processes : ${f1(two.rps)} req/s  p50 ${f1(two.p50)} ms  p99 ${f1(two.p99)} ms  (${two.errors} errors)`,
  );
  topo('kill', 'api2');
  await closedLoop(regions, 3);
  const one = await closedLoop(regions, SECONDS);
  console.log(
    `one API process   : ${f1(one.rps)} req/s  p50 ${f1(one.p50)} ms  p99 ${f1(one.p99)} ms  (${one.errors} errors)`,
  );
  console.log(`ratio two/one     : ${f1((two.rps / one.rps) * 100)} %`);
  console.log(`machine load at the end: ${loadavg().map(f1).join(' / ')}`);
} finally {
  topo('stop');
}
