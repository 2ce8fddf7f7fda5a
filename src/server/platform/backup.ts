import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { access, constants, cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyAudit } from './audit.js';
import { type Db, type Queryable, sql } from './db/index.js';

/**
 * Backups that restore: the database (pg_dump's custom format for PostgreSQL, the data
 * folder's tarball for the embedded engine), the uploaded files, and a manifest of what was
 * saved (row counts per table, the audit trail's length) that a restore checks itself against.
 */
export interface Manifest {
  format: 1;
  engine: Db['engine'];
  createdAt: string;
  migrations: string[];
  rows: Record<string, number>;
  auditEvents: number;
  files: number;
}

export class BackupError extends Error {}

const MANIFEST = 'manifest.json';

/** Row counts of every table of the application's schema (pg-boss's queue is transient). */
export async function tableCounts(db: Queryable): Promise<Record<string, number>> {
  const tables = await db.query<{ t: string }>(
    sql`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const out: Record<string, number> = {};
  for (const { t } of tables) {
    const [r] = await db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM ${sql.raw(`"${t.replaceAll('"', '""')}"`)}`,
    );
    out[t] = r?.n ?? 0;
  }
  return out;
}

async function countFiles(dir: string): Promise<number> {
  if (!existsSync(dir)) return 0;
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).length;
}

/** `pg_dump` / `pg_restore` of the newest PostgreSQL installed (it must not be older than the server). */
function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', name)))
      .sort((a, b) => Number(a) - Number(b));
    const newest = versions.at(-1);
    if (newest) return join(base, newest, 'bin', name);
  }
  return name;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => {
      err += String(d);
    });
    p.on('error', (e) => reject(new BackupError(`无法运行 ${cmd}：${e.message}`)));
    p.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new BackupError(`${cmd} 失败（退出码 ${code}）：${err.trim().slice(0, 500)}`)),
    );
  });
}

async function writableEmptyDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await access(dir, constants.W_OK);
  } catch (e) {
    throw new BackupError(`备份目录不可写：${dir}（${(e as Error).message}）`);
  }
  if ((await readdir(dir)).length > 0) throw new BackupError(`备份目录不是空的：${dir}（请换一个新目录）`);
}

export async function backup(
  db: Db,
  opts: { dir: string; dataDir: string; databaseUrl?: string },
): Promise<Manifest> {
  await writableEmptyDir(opts.dir);
  // the counts and the dump read one snapshot: what the manifest says is what was saved
  const { rows, migrations } = await db.tx(async (tx) => {
    if (db.engine === 'postgres') await tx.query(sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
    const counts = await tableCounts(tx);
    const names = await tx.query<{ name: string }>(sql`SELECT name FROM schema_migrations ORDER BY name`);
    if (db.engine === 'postgres') {
      if (!opts.databaseUrl) throw new BackupError('PostgreSQL 备份需要 DATABASE_URL');
      const [snap] = await tx.query<{ id: string }>(sql`SELECT pg_export_snapshot() AS id`);
      await run(pgTool('pg_dump'), [
        '--format=custom',
        '--no-owner',
        `--snapshot=${snap!.id}`,
        '--file',
        join(opts.dir, 'db.dump'),
        opts.databaseUrl,
      ]);
    }
    return { rows: counts, migrations: names.map((r) => r.name) };
  });
  if (db.engine === 'pglite') {
    if (!db.dumpDataDir) throw new BackupError('此数据库不支持导出数据目录');
    const blob = await db.dumpDataDir();
    await writeFile(join(opts.dir, 'pglite.tar.gz'), Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
  }
  const filesDir = join(opts.dataDir, 'files');
  if (existsSync(filesDir)) await cp(filesDir, join(opts.dir, 'files'), { recursive: true });
  const manifest: Manifest = {
    format: 1,
    engine: db.engine,
    createdAt: new Date().toISOString(),
    migrations,
    rows,
    auditEvents: rows.audit_events ?? 0,
    files: await countFiles(filesDir),
  };
  await writeFile(join(opts.dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  return manifest;
}

export async function readManifest(dir: string): Promise<Manifest> {
  try {
    const m = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
    if (m.format !== 1) throw new Error(`未知的格式 ${String(m.format)}`);
    return m;
  } catch (e) {
    throw new BackupError(`不是有效的备份目录：${dir}（${(e as Error).message}）`);
  }
}

/** True when the database has no table of the application (a fresh one). */
async function isEmpty(db: Db): Promise<boolean> {
  const [r] = await db.query<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
  );
  return (r?.n ?? 0) === 0;
}

export interface RestoreResult {
  manifest: Manifest;
  audit: Awaited<ReturnType<typeof verifyAudit>>;
  mismatches: string[];
}

/**
 * Restores a backup into an empty database (or, with `force`, over an existing one), then
 * checks the result against the manifest: every table's rows, the files and the audit chain.
 * `open` opens the target database (for the embedded engine: from the saved tarball).
 */
export async function restore(opts: {
  dir: string;
  dataDir: string;
  engine: Db['engine'];
  databaseUrl?: string;
  force?: boolean;
  openTarget: (load?: Blob) => Promise<Db>;
}): Promise<RestoreResult> {
  const manifest = await readManifest(opts.dir);
  await mkdir(opts.dataDir, { recursive: true, mode: 0o700 });
  if (manifest.engine !== opts.engine)
    throw new BackupError(`备份来自 ${manifest.engine}，目标数据库是 ${opts.engine}：请用同一种数据库恢复`);
  let db: Db;
  if (opts.engine === 'postgres') {
    if (!opts.databaseUrl) throw new BackupError('PostgreSQL 恢复需要 DATABASE_URL');
    db = await opts.openTarget();
    if (!(await isEmpty(db)) && !opts.force) {
      await db.close();
      throw new BackupError('目标数据库不是空的；确认要覆盖时加 --force');
    }
    const args = ['--no-owner', '--exit-on-error', '--dbname', opts.databaseUrl];
    if (opts.force) args.unshift('--clean', '--if-exists');
    await run(pgTool('pg_restore'), [...args, join(opts.dir, 'db.dump')]);
  } else {
    const pgDir = join(opts.dataDir, 'pg');
    if (existsSync(pgDir) && (await readdir(pgDir)).length > 0) {
      if (!opts.force) throw new BackupError(`数据目录不是空的：${pgDir}；确认要覆盖时加 --force`);
      await rm(pgDir, { recursive: true, force: true });
    }
    const bytes = await readFile(join(opts.dir, 'pglite.tar.gz'));
    db = await opts.openTarget(new Blob([bytes]));
  }
  const saved = join(opts.dir, 'files');
  if (existsSync(saved)) await cp(saved, join(opts.dataDir, 'files'), { recursive: true, force: true });
  try {
    const rows = await tableCounts(db);
    const mismatches = Object.entries(manifest.rows)
      .filter(([t, n]) => rows[t] !== n)
      .map(([t, n]) => `${t}: 备份 ${n} 行，恢复后 ${rows[t] ?? '无此表'}`);
    const files = await countFiles(join(opts.dataDir, 'files'));
    if (files < manifest.files) mismatches.push(`files: 备份 ${manifest.files} 个，恢复后 ${files}`);
    return { manifest, audit: await verifyAudit(db), mismatches };
  } finally {
    await db.close();
  }
}
