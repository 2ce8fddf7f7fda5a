/**
 * The topology under faults (`npm run topology:test`): starts `npm run topology` (primary,
 * standby, two API processes, a worker, nginx), then for 40 s sends public appeals through
 * the proxy at a fixed rate while a hotline seat writes and reads back its own appeals, and
 * kills with `kill -9` (then restarts) one API process and later the worker. Afterwards:
 *   1. every acknowledged appeal (201 with a tracking code) is in the database;
 *   2. no outbox message was sent twice (SMS lines in the logs vs. recorded messages);
 *   3. each periodic sweep ran at most once per period, and went on after the worker's restart;
 *   4. a rate limit held across the two API processes;
 *   5. the seat never read an older state than it had just written (reads go to the standby).
 * Prints the figures and exits 1 when a check fails.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';

const DIR = '.tmp/topology';
const PROXY = 'http://127.0.0.1:3400';
const APIS = ['http://127.0.0.1:3401', 'http://127.0.0.1:3402'];
const RATE = Number(process.env.TOPO_RATE ?? 8); // appeals per second
const SECONDS = Number(process.env.TOPO_SECONDS ?? 40);
const topo = (...args: string[]) =>
  execFileSync('bash', ['scripts/topology.sh', ...args], { stdio: 'inherit' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function readFileSyncSafe(f: string): string {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
}

async function waitReady(base: string) {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${base}/api/health/ready`)).ok) return;
    } catch {}
    await sleep(500);
  }
  throw new Error(`${base} did not become ready`);
}

async function json(res: Response) {
  const t = await res.text();
  try {
    return JSON.parse(t);
  } catch {
    return { raw: t.slice(0, 200) };
  }
}

async function main() {
  if (process.argv[2] !== '--running') {
    process.env.NIUDAI_SWEEP_SECONDS ??= '5'; // many periods within the run
    process.env.NIUDAI_RATE_LIMIT ??= '600';
    topo('start');
  }
  const url = readEnv().DATABASE_URL!;
  const db = new pg.Pool({ connectionString: url, max: 2 });
  for (const a of APIS) await waitReady(a);

  const regions = await json(await fetch(`${PROXY}/api/public/regions`));
  const town = await firstTownship(regions.items?.[0]?.code);
  const t0 = Date.now();
  const acked: string[] = [];
  let failed = 0;
  const statuses: Record<string, number> = {};
  let seq = 0;

  // the fixed-rate public load
  const load = (async () => {
    const timers: Promise<void>[] = [];
    for (let i = 0; i < RATE * SECONDS; i++) {
      const due = t0 + (i * 1000) / RATE;
      await sleep(Math.max(0, due - Date.now()));
      timers.push(
        (async () => {
          const n = ++seq;
          try {
            const res = await fetch(`${PROXY}/api/public/appeals`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                'x-forwarded-for': `10.9.${n % 250}.${(n >> 8) % 250}`,
              },
              body: JSON.stringify({
                content: `拓扑测试：公司拖欠工资三个月，请求帮助讨薪。编号${n}-${t0}`,
                group: 'worker',
                categoryCode: 'LABOR_WAGE',
                regionCode: town,
                name: '测试',
                phone: `139${String(t0 % 10000).padStart(4, '0')}${String(n).padStart(4, '0')}`,
              }),
            });
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            if (res.status === 201) acked.push((await json(res)).trackingCode);
            else await res.text();
          } catch {
            failed++;
          }
        })(),
      );
    }
    await Promise.all(timers);
  })();

  // the seat: write an appeal, read the list back at once (the list reads the standby)
  const seat = (async () => {
    const login = await fetch(`${PROXY}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'hotline', password: 'Demo@2026!' }),
    });
    const jar = new Map<string, string>();
    const keep = (res: Response) => {
      for (const c of res.headers.getSetCookie()) {
        const [kv] = c.split(';');
        const [k, v] = kv!.split('=');
        jar.set(k!, v!);
      }
    };
    keep(login);
    const csrf = (await json(login)).csrfToken as string;
    const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let checks = 0;
    let stale = 0;
    let errors = 0;
    while (Date.now() - t0 < SECONDS * 1000) {
      try {
        const w = await fetch(`${PROXY}/api/appeals`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: cookie(), 'x-csrf-token': csrf },
          body: JSON.stringify({
            channel: 'hotline',
            content: `来电：单位未缴社保，请求协调。座席核对${checks}-${t0}`,
            group: 'worker',
            categoryCode: 'LABOR_WAGE',
            regionCode: town,
            name: '来电人',
            phone: `138${String(t0 % 10000).padStart(4, '0')}${String(checks).padStart(4, '0')}`,
          }),
        });
        keep(w);
        const body = await json(w);
        if (w.status !== 201) {
          errors++;
          continue;
        }
        const r = await fetch(`${PROXY}/api/appeals?trackingCode=${body.trackingCode}`, {
          headers: { cookie: cookie() },
        });
        const list = await json(r);
        checks++;
        if (r.status !== 200 || list.total !== 1) stale++;
      } catch {
        errors++;
      }
      await sleep(300);
    }
    return { checks, stale, errors };
  })();

  // the faults
  const faults = (async () => {
    await sleep(8000);
    console.log('  kill -9 api1');
    topo('kill', 'api1');
    await sleep(6000);
    topo('revive', 'api1');
    await sleep(6000);
    console.log('  kill -9 worker');
    topo('kill', 'worker');
    await sleep(6000);
    topo('revive', 'worker');
  })();

  await Promise.all([load, faults]);
  const seatResult = await seat;
  await waitReady(APIS[0]!);

  // let the worker drain the outbox
  for (let i = 0; i < 120; i++) {
    const [o] = (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`)).rows;
    const [j] = (
      await db.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE state IN ('created','retry','active')`)
    ).rows;
    // and the restarted worker has taken up the sweeps (its first period after start)
    const [w] = (await db.query(`SELECT count(DISTINCT claimed_by)::int AS n FROM periodic_runs`)).rows;
    if (o.n === 0 && j.n === 0 && w.n >= 2) break;
    await sleep(1000);
  }

  const results: [string, boolean, string][] = [];
  const found = (
    await db.query(`SELECT count(*)::int AS n FROM appeals WHERE tracking_code = ANY($1)`, [acked])
  ).rows[0].n;
  results.push([
    'every acknowledged appeal is stored',
    found === acked.length,
    `${acked.length} acknowledged, ${found} stored; answers ${JSON.stringify(statuses)}, ${failed} without an answer`,
  ]);

  const recorded = (
    await db.query(`SELECT count(*)::int AS n, count(DISTINCT outbox_id)::int AS d FROM appeal_messages`)
  ).rows[0];
  const logs = ['api1', 'api2', 'worker'].map((n) => readFileSyncSafe(`${DIR}/logs/${n}.log`)).join('\n');
  const sent = (logs.match(/appeal message \(log sender\)/g) ?? []).length;
  results.push([
    'no outbox message sent twice',
    recorded.n === recorded.d && sent <= recorded.n,
    `${recorded.n} messages recorded (${recorded.d} outbox ids), ${sent} sent by the log sender`,
  ]);

  const runs = (
    await db.query(
      `SELECT name, count(*)::int AS n, count(DISTINCT slot)::int AS d, max(claimed_at) AS last FROM periodic_runs GROUP BY name`,
    )
  ).rows;
  const claimers = (
    await db.query(`SELECT name, count(DISTINCT claimed_by)::int AS n FROM periodic_runs GROUP BY name`)
  ).rows;
  results.push([
    'each sweep ran once per period, and again after the worker was restarted',
    runs.length > 0 && runs.every((r) => r.n === r.d) && claimers.every((c) => c.n >= 2),
    runs.map((r, i) => `${r.name}: ${r.n} periods by ${claimers[i]?.n} processes`).join(', '),
  ]);

  // the rate limit across processes: lookups of one (wrong) code, alternating the processes
  const limit = Number(readEnv().NIUDAI_RATE_LIMIT ?? 60);
  while (Date.now() % 60_000 > 40_000) await sleep(500); // not across a window's end
  const codes: number[] = [];
  for (let i = 0; i < limit + 10; i++) {
    const r = await fetch(`${APIS[i % 2]}/api/public/appeals/23456789AB?phone4=1234`, {
      headers: { 'x-forwarded-for': '10.250.0.1' },
    });
    await r.text();
    codes.push(r.status);
  }
  const passed = codes.filter((c) => c !== 429).length;
  results.push([
    'a rate limit holds across processes',
    passed <= limit,
    `limit ${limit}/min, ${passed} answered before 429`,
  ]);

  results.push([
    'the seat always read its own writes',
    seatResult.stale === 0 && seatResult.checks > 10,
    `${seatResult.checks} write-then-read checks, ${seatResult.stale} stale, ${seatResult.errors} errors`,
  ]);

  await db.end();
  let ok = true;
  for (const [what, pass, detail] of results) {
    console.log(`${pass ? 'PASS' : 'FAIL'}  ${what}: ${detail}`);
    ok &&= pass;
  }
  if (process.argv[2] !== '--running' && process.env.TOPO_KEEP !== 'true') topo('stop');
  process.exit(ok ? 0 : 1);
}

function readEnv(): Record<string, string> {
  return Object.fromEntries(
    readFileSyncSafe(`${DIR}/env`)
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

async function firstTownship(countyCode: string | undefined): Promise<string> {
  let code = countyCode;
  for (let depth = 0; depth < 3 && code; depth++) {
    const r = await json(await fetch(`${PROXY}/api/public/regions?parentCode=${code}`));
    const next = r.items?.[0]?.code;
    if (!next) break;
    code = next;
    if (depth >= 1) break;
  }
  if (!code) throw new Error('no region to submit in');
  return code;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
