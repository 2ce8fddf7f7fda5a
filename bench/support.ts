import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type Db, openPglite, openPostgres } from '../src/server/platform/db/index.js';

/** Timing helpers shared by the benchmarks. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function timeMany(
  n: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ p50: number; p95: number; p99: number; mean: number }> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    mean: times.reduce((a, b) => a + b, 0) / n,
  };
}

export const ms = (x: number) => `${x.toFixed(2)} ms`;

/**
 * A PostgreSQL for a benchmark: DATABASE_URL when set, else a throw-away server started with
 * scripts/pg.sh (needs the postgresql package). Returns the db and a stop function.
 */
export async function benchPostgres(name: string): Promise<{ db: Db; url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const db = await openPostgres(process.env.DATABASE_URL, 10);
    return { db, url: process.env.DATABASE_URL, stop: () => db.close() };
  }
  const dir = join(process.cwd(), '.tmp', `pg-bench-${name}`);
  const url = execFileSync('bash', ['scripts/pg.sh', 'start', dir, '55460'], { encoding: 'utf8' }).trim();
  const db = await openPostgres(url, 10);
  return {
    db,
    url,
    async stop() {
      await db.close();
      execFileSync('bash', ['scripts/pg.sh', 'stop', dir]);
    },
  };
}

export async function benchPglite(): Promise<{ db: Db; stop(): Promise<void> }> {
  const db = await openPglite('memory://');
  return { db, stop: () => db.close() };
}
