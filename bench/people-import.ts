/**
 * Import of 1,000,000 member rows from CSV (the product's import job: streaming parse, ID-number
 * checks, encryption and keyed hashes, deduplication, persons and memberships) against
 * PostgreSQL's own COPY of the same rows into the same tables, measured in the same run on the
 * same server. Goals: ≥ 50 % of COPY's throughput, peak memory of the import ≤ 500 MB.
 *
 *   npm run bench:people-import            (starts a PostgreSQL with scripts/pg.sh on port 55450)
 *   BENCH_ROWS=100000 npm run bench:people-import     (a smaller run)
 *   DATABASE_URL=postgres://… npm run bench:people-import   (an existing, empty server)
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
// every module's scoped entities (the demo seed acts through their services)
import '../src/server/modules/index.js';
import { protect } from '../src/server/modules/people/protect.js';
import { csvLine } from '../src/server/platform/csv.js';
import { openPostgres, sql } from '../src/server/platform/db/index.js';
import { migrate } from '../src/server/platform/migrate.js';
import { Pii } from '../src/server/platform/pii.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { makeIdNumber } from '../src/shared/rules/idNumber.js';
import { childCount, postmasterOf, serverCpuSeconds, settled } from './people-pgcpu.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平';

function person(i: number) {
  const birth = `${1966 + (i % 40)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
  const idNumber = makeIdNumber(
    String(130000 + Math.floor(i / 21_000)),
    birth,
    String(i % 1000).padStart(3, '0'),
  );
  return {
    name: SURNAMES[i % 20]! + GIVEN[(i * 7) % 20]! + (i % 3 === 0 ? GIVEN[(i * 13) % 20] : ''),
    idNumber,
    phone: `13${String(100_000_000 + i).slice(-9)}`,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
    gender: (i % 1000) % 2 === 1 ? 'M' : 'F',
    frontline: i % 3 === 0,
  };
}

const esc = (v: unknown) =>
  v === null || v === undefined
    ? '\\N'
    : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
async function writeLines(path: string, n: number, line: (i: number) => string) {
  const out = createWriteStream(path);
  for (let i = 0; i < n; i++) if (!out.write(line(i))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

let stopPg: (() => void) | undefined;
let url = process.env.DATABASE_URL;
if (!url) {
  const dir = join(process.cwd(), '.tmp', 'pg-people');
  url = execFileSync('bash', ['scripts/pg.sh', 'start', dir, '55450'], { encoding: 'utf8' }).trim();
  stopPg = () => execFileSync('bash', ['scripts/pg.sh', 'stop', dir]);
}
/** Server CPU seconds since a reading (the COPY client's backend has exited by then). */
function cpuSince(before: number | null): string {
  const now = serverCpuSeconds(postmaster);
  return before === null || now === null ? 'n/a' : `${(now - before).toFixed(0)} s`;
}
let postmaster: number | null = null;
const work = await mkdtemp(join(tmpdir(), 'niudai-bench-import-'));
try {
  const db = await openPostgres(url, 4);
  await migrate(db);
  const keys = {
    piiKeys: `b1:${randomBytes(32).toString('base64')}`,
    hashKey: randomBytes(32).toString('base64'),
  };
  const [kid, kb64] = keys.piiKeys.split(':') as [string, string];
  const pii = new Pii([{ id: kid, key: Buffer.from(kb64, 'base64') }], Buffer.from(keys.hashKey, 'base64'));
  if ((await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM orgs`))[0]!.n === 0)
    await seedDemo(db, pii, { cityCode: '1307', scale: 'demo', now: new Date() });
  const org = (
    await db.query<{ id: number }>(
      sql`SELECT o.id FROM orgs o JOIN users u ON u.org_id = o.id WHERE u.username = 'town1.union'`,
    )
  )[0]!.id;
  const admin = (await db.query<{ id: number }>(sql`SELECT id FROM users WHERE username = 'admin'`))[0]!.id;

  console.log(`generating ${ROWS.toLocaleString()} rows …`);
  const csvPath = join(work, 'members.csv');
  const header = csvLine(['姓名', '身份证号', '手机号码', '一线职工', '人员类别', '所属组织']);
  await writeLines(csvPath, ROWS + 1, (i) => {
    if (i === 0) return header;
    const p = person(i - 1);
    return csvLine([p.name, p.idNumber, p.phone, p.frontline ? '是' : '否', '职工', String(org)]);
  });
  // the COPY baseline: the same rows in their final stored form (prepared outside the timing)
  const now = new Date().toISOString();
  const base = 50_000_000;
  const personsCopy = join(work, 'persons.copy');
  const membershipsCopy = join(work, 'memberships.copy');
  await writeLines(personsCopy, ROWS, (i) => {
    const p = person(i);
    const s = protect(pii, p.idNumber, p.phone);
    return `${[base + i, p.name, p.gender, p.birthDate, s.idEnc, s.idHash, s.idMask, s.phoneEnc, s.phoneHash, s.phoneMask, p.frontline, '{worker}', org, now, now].map(esc).join('\t')}\n`;
  });
  await writeLines(membershipsCopy, ROWS, (i) => {
    const p = person(i);
    return `${[base + i, org, 'member', 'active', p.gender, p.birthDate, p.frontline, now.slice(0, 10), now, now].map(esc).join('\t')}\n`;
  });
  const size = (await stat(csvPath)).size;
  console.log(`CSV: ${(size / 1024 / 1024).toFixed(0)} MB`);

  const reset = () =>
    db.exec(
      'TRUNCATE import_errors, import_jobs, transfer_events, transfers, memberships, persons, member_stats RESTART IDENTITY CASCADE; CHECKPOINT',
    );

  // 1. baseline: COPY FROM STDIN
  await reset();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  postmaster = postmasterOf(
    (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid,
  );
  const cpu0 = serverCpuSeconds(postmaster);
  // the server's processes without this connection: to know when its backend has exited
  const others = childCount(postmaster) - 1;
  const t0 = performance.now();
  await client.query('BEGIN');
  await pipeline(
    createReadStream(personsCopy),
    client.query(
      copyFrom(`COPY persons (id, name, gender, birth_date, id_enc,
    id_hash, id_mask, phone_enc, phone_hash, phone_mask, frontline, groups, org_id, created_at, updated_at) FROM STDIN`),
    ),
  );
  await pipeline(
    createReadStream(membershipsCopy),
    client.query(
      copyFrom(`COPY memberships (person_id, org_id, role,
    status, gender, birth_date, frontline, joined_on, created_at, updated_at) FROM STDIN`),
    ),
  );
  await client.query('COMMIT');
  const copyMs = performance.now() - t0;
  await client.end();
  await settled(postmaster, others);
  const copyCpu = cpuSince(cpu0);
  const copied = (await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM memberships`))[0]!.n;

  // 2. the import job, in a process of its own
  await reset();
  const dataDir = join(work, 'data');
  await mkdir(join(dataDir, 'imports'), { recursive: true });
  const job = (
    await db.query<{
      id: number;
    }>(sql`INSERT INTO import_jobs (org_id, user_id, file_name, file_format, file_size,
      status, created_at, updated_at) VALUES (${org}, ${admin}, 'members.csv', 'csv', ${size}, 'queued', now(), now()) RETURNING id`)
  )[0]!.id;
  await pipeline(createReadStream(csvPath), createWriteStream(join(dataDir, 'imports', `${job}.csv`)));
  const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(
    process.execPath,
    [...prof, '--import', 'tsx', 'bench/people-import-run.ts', String(job)],
    {
      env: {
        ...process.env,
        DATABASE_URL: url,
        NIUDAI_DATA_DIR: dataDir,
        NIUDAI_PII_KEYS: keys.piiKeys,
        NIUDAI_HASH_KEY: keys.hashKey,
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const cpu1 = serverCpuSeconds(postmaster);
  const before = childCount(postmaster);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`import process exited with ${code}`);
  await settled(postmaster, before);
  const importCpu = cpuSince(cpu1);
  const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; maxRssMb: number; cpuS: number };
  const res = (
    await db.query<{
      status: string;
      persons_created: number;
      memberships_created: number;
      error_rows: number;
      message: string;
    }>(
      sql`SELECT status, persons_created, memberships_created, error_rows, message FROM import_jobs WHERE id = ${job}`,
    )
  )[0]!;
  await db.close();

  const copyRate = ROWS / (copyMs / 1000);
  const importRate = ROWS / (r.ms / 1000);
  console.log('');
  console.log(`rows                       ${ROWS.toLocaleString()} (persons + memberships)`);
  console.log(
    `baseline COPY FROM STDIN   ${(copyMs / 1000).toFixed(1)} s   ${Math.round(copyRate).toLocaleString()} rows/s   (${copied.toLocaleString()} memberships; server CPU ${copyCpu})`,
  );
  console.log(
    `import job (CSV)           ${(r.ms / 1000).toFixed(1)} s   ${Math.round(importRate).toLocaleString()} rows/s   (${res.persons_created.toLocaleString()} persons, ${res.memberships_created.toLocaleString()} memberships, ${res.error_rows} errors, ${res.status}; server CPU ${importCpu}, import process CPU ${r.cpuS.toFixed(0)} s)`,
  );
  console.log(`import / COPY throughput   ${((importRate / copyRate) * 100).toFixed(0)} %   (goal ≥ 50 %)`);
  console.log(`import peak memory (RSS)   ${r.maxRssMb.toFixed(0)} MB   (goal ≤ 500 MB)`);
} finally {
  await rm(work, { recursive: true, force: true });
  stopPg?.();
}
