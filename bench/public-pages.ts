/**
 * The public pages on a slow phone: the public appeal form (the small public entry) beside
 * the staff app's first screen (its login page), each loaded cold in Chromium at 360 px on
 * DevTools' "Fast 3G" profile (562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up) with the
 * CPU slowed 4×, through CDP (Network.emulateNetworkConditions, Emulation.setCPUThrottlingRate).
 * Prints the JavaScript transferred (compressed, as sent) and requested, the first contentful
 * paint and the time until the page can be used (its form shown), medians of BENCH_RUNS runs.
 *
 *   npm run bench:public-pages            (builds the web app, starts a server on BENCH_PORT, default 3290)
 *   BENCH_URL=http://host:port npm run bench:public-pages   (an already running server)
 *
 * Goal (issue 13): public form ≤ 200 KB compressed JS, FCP ≤ 3 s.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chromium } from 'playwright-core';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const port = Number(process.env.BENCH_PORT ?? 3290);
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: ((1.6 * 1024 * 1024) / 8) * 0.9,
  uploadThroughput: ((750 * 1024) / 8) * 0.9,
};

interface Sample {
  jsBytes: number;
  jsRequests: number;
  fcp: number;
  usable: number;
}

async function startServer(): Promise<{ url: string; proc?: ChildProcess }> {
  if (process.env.BENCH_URL) return { url: process.env.BENCH_URL };
  execSync('npm run -s build:web', { stdio: 'inherit' });
  const dir = `.tmp/bench-public-${port}`;
  rmSync(dir, { recursive: true, force: true });
  const proc = spawn('npx', ['tsx', 'src/server/cli/main.ts', 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      NIUDAI_DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      NIUDAI_RATE_LIMIT: '10000',
    },
    stdio: 'inherit',
  });
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, proc };
    } catch {}
    await new Promise((r) => setTimeout(r, 1000));
  }
  proc.kill();
  throw new Error('server did not start');
}

async function measure(url: string, path: string, ready: string): Promise<Sample> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
  try {
    const ctx = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const scripts = new Set<string>();
    let jsBytes = 0;
    cdp.on('Network.responseReceived', (e) => {
      if (e.type === 'Script') scripts.add(e.requestId);
    });
    cdp.on('Network.loadingFinished', (e) => {
      if (scripts.has(e.requestId)) jsBytes += e.encodedDataLength;
    });
    const t0 = Date.now();
    await page.goto(`${url}${path}`, { waitUntil: 'commit' });
    await page.waitForSelector(ready, { timeout: 120_000 });
    const usable = Date.now() - t0;
    await page.waitForLoadState('networkidle');
    const fcp = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    );
    return { jsBytes, jsRequests: scripts.size, fcp, usable };
  } finally {
    await browser.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(url: string, name: string, path: string, ready: string) {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await measure(url, path, ready));
  return {
    page: name,
    path,
    'JS KB (compressed)': (median(samples.map((s) => s.jsBytes)) / 1024).toFixed(1),
    'JS requests': median(samples.map((s) => s.jsRequests)),
    'FCP ms': Math.round(median(samples.map((s) => s.fcp))),
    'usable ms': Math.round(median(samples.map((s) => s.usable))),
  };
}

const { url, proc } = await startServer();
try {
  const rows = [
    await run(url, 'public appeal form (public entry)', '/appeal', '[data-testid="public-submit"]'),
    await run(url, 'staff app, login page (baseline)', '/login', 'button[type="submit"]'),
  ];
  console.log(`\nFast 3G + 4× CPU, 360 px, cold cache, median of ${RUNS} runs (${url})`);
  console.table(rows);
  const pub = rows[0]!;
  console.log(
    `goal: public form JS ≤ 200 KB → ${pub['JS KB (compressed)']} KB; FCP ≤ 3000 ms → ${pub['FCP ms']} ms`,
  );
} finally {
  proc?.kill();
}
