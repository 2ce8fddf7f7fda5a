import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pino from 'pino';
import { openDatabase } from '../boot.js';
import type { Config } from '../config.js';
import { backup, restore } from '../platform/backup.js';
import { openPglite, openPostgres } from '../platform/db/index.js';

/** The pid file a server on the embedded engine keeps in its data folder while it runs. */
export const pidFileOf = (config: Config) => join(config.dataDir, 'server.pid');

/** The embedded engine is one process's: refuse while a server holds the data folder. */
function assertNoEmbeddedServer(config: Config): void {
  if (config.databaseUrl) return;
  const file = pidFileOf(config);
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').trim());
  try {
    process.kill(pid, 0);
  } catch {
    return; // a stale file: that server is gone
  }
  throw new Error(`the server (pid ${pid}) is using ${config.dataDir}: stop it first (embedded database)`);
}

export async function runBackup(config: Config, log: pino.Logger, dir: string): Promise<number> {
  assertNoEmbeddedServer(config);
  const db = await openDatabase(config, log, { seed: false });
  try {
    const m = await backup(db, { dir, dataDir: config.dataDir, databaseUrl: config.databaseUrl });
    const rows = Object.values(m.rows).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `backup written to ${dir}: ${m.engine}, ${Object.keys(m.rows).length} tables, ${rows} rows, ${m.auditEvents} audit events, ${m.files} files\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

export async function runRestore(config: Config, dir: string, force: boolean): Promise<number> {
  assertNoEmbeddedServer(config);
  const url = config.databaseUrl;
  const r = await restore({
    dir,
    dataDir: config.dataDir,
    engine: url ? 'postgres' : 'pglite',
    databaseUrl: url,
    force,
    openTarget: (load) => (url ? openPostgres(url, 2) : openPglite(join(config.dataDir, 'pg'), load)),
  });
  const ok = r.mismatches.length === 0 && r.audit.ok;
  process.stdout.write(
    ok
      ? `restored from ${dir} (backup of ${r.manifest.createdAt}): rows, files and ${r.audit.checked} audit events check out\n`
      : `restored from ${dir}, but it does not check out:\n${r.mismatches.map((m) => `  ${m}\n`).join('')}${
          r.audit.ok ? '' : `  audit chain broken at event ${r.audit.firstBadId}: ${r.audit.reason}\n`
        }`,
  );
  return ok ? 0 : 1;
}
