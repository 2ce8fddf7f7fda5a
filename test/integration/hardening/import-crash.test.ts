import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requeueStuckImports, runImport } from '../../../src/server/modules/people/import/job.js';
import { csvLine } from '../../../src/server/platform/csv.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { IMPORT_HEADERS } from '../../../src/shared/people/importColumns.js';
import { demoOrgs, newIdNumber } from '../people/helpers.js';
import { upload } from '../people/upload.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';

/**
 * Issue 12, item 8: an import whose worker is killed (-9) in the middle is taken up by
 * another worker once its lease expires and completes, every row once; the uploaded file
 * is owner-only and gone when the job ends. PostgreSQL: real worker processes share the
 * database with this one (which runs no jobs itself).
 */
let sys: TestSystem;
let county1: Client;
let orgs: Awaited<ReturnType<typeof demoOrgs>>;
const children: ChildProcess[] = [];
const pg = !!process.env.TEST_DATABASE_URL;

beforeAll(async () => {
  sys = await createTestSystem({ env: { NIUDAI_JOBS: 'false' } });
  county1 = await sys.login('county1.union');
  orgs = await demoOrgs(sys);
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await sys?.close();
});

function worker(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', 'worker'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: sys.databaseUrl,
      NIUDAI_DATA_DIR: sys.deps.config.dataDir,
      NIUDAI_TEST_CLOCK: 'true', // periodic sweeps every 5 s
      NIUDAI_JOB_LEASE_SECONDS: '3',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

interface JobState {
  status: string;
  processed_rows: number;
  total_rows: number | null;
  persons_created: number;
  persons_existing: number;
  memberships_created: number;
  memberships_existing: number;
  error_rows: number;
  attempts: number;
  message: string | null;
}
const state = async (id: number) =>
  (
    await sys.db.query<JobState>(sql`SELECT status, processed_rows, total_rows, persons_created, persons_existing,
      memberships_created, memberships_existing, error_rows, attempts, message FROM import_jobs WHERE id = ${id}`)
  )[0]!;

async function until(id: number, done: (s: JobState) => boolean, ms: number): Promise<JobState> {
  const end = Date.now() + ms;
  for (;;) {
    const s = await state(id);
    if (done(s)) return s;
    if (Date.now() > end) throw new Error(`job ${id} not there in ${ms} ms: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(pg)('an import whose worker is killed', () => {
  it('is resumed by another worker after the lease expires and completes with every row once', async () => {
    const n = 12_000;
    const bad = 12;
    const ids: string[] = [];
    let body = `\uFEFF${csvLine(IMPORT_HEADERS)}`;
    for (let i = 0; i < n; i++) {
      const id = newIdNumber(20 + (i % 40));
      ids.push(id);
      const row: Record<string, string> = { 姓名: `中断${i}`, 身份证号: id, 人员类别: '职工' };
      // a few rows with an invalid phone: each must be reported once, not once per attempt
      if (i % 1000 === 7) row.手机号码 = '12345';
      body += csvLine(IMPORT_HEADERS.map((h) => row[h] ?? ''));
    }
    const up = await upload(sys, county1, orgs.town1, '中断测试.csv', Buffer.from(body));
    expect(up.status).toBe(202);
    const jobId = up.body.id as number;
    // the upload is owner-only on disk while it waits
    const dir = join(sys.deps.config.dataDir, 'imports');
    const file = join(dir, `${jobId}.csv`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);

    const first = worker();
    const mid = await until(jobId, (s) => s.status === 'importing' && s.processed_rows >= 2000, 120_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const killedAt = await state(jobId);
    expect(killedAt.status).toBe('importing');
    expect(killedAt.processed_rows).toBeLessThan(n); // killed in the middle
    expect(mid.processed_rows).toBeGreaterThan(0);

    const second = worker();
    const done = await until(jobId, (s) => s.status === 'done' || s.status === 'failed', 180_000);
    second.kill('SIGTERM');
    expect(done.status, done.message ?? '').toBe('done');
    expect(done.attempts).toBe(2);
    expect(done.processed_rows).toBe(n);
    expect(done.error_rows).toBe(bad);
    const errors = await sys.db.query<{ n: number; rows: number }>(
      sql`SELECT count(*)::int AS n, count(DISTINCT row_no)::int AS rows FROM import_errors WHERE job_id = ${jobId}`,
    );
    expect(errors[0]).toEqual({ n: bad, rows: bad });
    // every valid row once: persons and memberships, created by this job in one of its runs
    const hashes = ids.map((id) => sys.deps.pii.hash(`id:${id}`));
    const persons = await sys.db.query<{ n: number; m: number }>(
      sql`SELECT count(DISTINCT p.id)::int AS n, count(m.id)::int AS m FROM persons p
        LEFT JOIN memberships m ON m.person_id = p.id AND m.org_id = ${orgs.town1}
        WHERE p.id_hash = ANY(${hashes}::text[])`,
    );
    expect(persons[0]).toEqual({ n: n - bad, m: n - bad });
    expect(done.persons_created + done.persons_existing).toBe(n - bad);
    expect(done.memberships_created + done.memberships_existing).toBe(n - bad);
    expect(done.memberships_created).toBe(n - bad);
    expect(done.message).toContain(`新增会籍 ${n - bad}`);
    // the plaintext upload is gone
    expect(existsSync(file)).toBe(false);
    expect((await readdir(dir)).filter((f) => f.startsWith(`${jobId}.`))).toEqual([]);
  }, 400_000);
});

describe('an import left by a dead worker (both engines)', () => {
  it('is queued again once its lease has expired, not before, and completes', async () => {
    let body = `\uFEFF${csvLine(IMPORT_HEADERS)}`;
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      const id = newIdNumber(30 + (i % 20));
      ids.push(id);
      body += csvLine(IMPORT_HEADERS.map((h) => ({ 姓名: `租约${i}`, 身份证号: id })[h] ?? ''));
    }
    const up = await upload(sys, county1, orgs.town1, '租约.csv', Buffer.from(body));
    expect(up.status).toBe(202);
    const jobId = up.body.id as number;
    // what a worker killed right after claiming it leaves: importing, under a lease
    const now = sys.deps.clock.now();
    await sys.db.query(sql`UPDATE import_jobs SET status = 'importing', attempts = 1, started_at = ${now},
      lease_until = ${new Date(now.getTime() + 60_000)} WHERE id = ${jobId}`);
    expect(await requeueStuckImports(sys.deps)).toBe(0); // its lease still runs
    await runImport(sys.deps, jobId); // nobody else may take it meanwhile
    expect((await state(jobId)).status).toBe('importing');
    sys.deps.clock.set(new Date(now.getTime() + 61_000));
    try {
      expect(await requeueStuckImports(sys.deps)).toBe(1);
      expect((await state(jobId)).status).toBe('queued');
      await runImport(sys.deps, jobId);
    } finally {
      sys.deps.clock.reset();
    }
    const done = await state(jobId);
    expect(done).toMatchObject({ status: 'done', attempts: 2, processed_rows: 300, error_rows: 0 });
    expect(done.persons_created + done.persons_existing).toBe(300);
    expect(existsSync(join(sys.deps.config.dataDir, 'imports', `${jobId}.csv`))).toBe(false);
  });

  it('stops retrying after three interrupted runs with a message that says what to do', async () => {
    const up = await upload(
      sys,
      county1,
      orgs.town1,
      '多次中断.csv',
      Buffer.from(
        `\uFEFF${csvLine(IMPORT_HEADERS)}${csvLine(IMPORT_HEADERS.map((h) => (h === '姓名' ? '某人' : h === '身份证号' ? newIdNumber(33) : '')))}`,
      ),
    );
    const jobId = up.body.id as number;
    await sys.db.query(sql`UPDATE import_jobs SET attempts = 3 WHERE id = ${jobId}`);
    await runImport(sys.deps, jobId);
    const s = await state(jobId);
    expect(s.status).toBe('failed');
    expect(s.message).toContain('请重新上传同一文件');
    expect(existsSync(join(sys.deps.config.dataDir, 'imports', `${jobId}.csv`))).toBe(false);
  });
});
