import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../src/server/platform/audit.js';
import { BackupError, backup, restore, tableCounts } from '../../src/server/platform/backup.js';
import { openPglite, openPostgres, sql } from '../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from './support/system.js';

let sys: TestSystem;
let work: string;
const url = process.env.TEST_DATABASE_URL;
const dbUrl = (name: string) => {
  const u = new URL(url!);
  u.pathname = `/${name}`;
  return u.toString();
};
async function admin(text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(text);
  await c.end();
}

beforeAll(async () => {
  sys = await createTestSystem();
  work = await mkdtemp(join(tmpdir(), 'niudai-backup-'));
});
afterAll(async () => {
  await sys?.close();
  await rm(work, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('round trip: every row, every uploaded file and the audit chain survive', async () => {
    const fileHash = await sys.deps.files.put(randomBytes(2048));
    const source = sys.deps.config.dataDir;
    const dir = join(work, 'b1');
    const m = await backup(sys.db, { dir, dataDir: source, databaseUrl: currentUrl() });
    expect(m.rows.orgs).toBeGreaterThan(100);
    expect(m.auditEvents).toBeGreaterThan(0);
    expect(m.files).toBeGreaterThanOrEqual(1);

    const target = join(work, 'target-data');
    let targetUrl: string | undefined;
    if (sys.engine === 'postgres') {
      const name = `niudai_restore_${randomBytes(4).toString('hex')}`;
      await admin(`CREATE DATABASE ${name}`);
      targetUrl = dbUrl(name);
    }
    try {
      const r = await restore({
        dir,
        dataDir: target,
        engine: sys.engine,
        databaseUrl: targetUrl,
        openTarget: (load) => (targetUrl ? openPostgres(targetUrl, 2) : openPglite(join(target, 'pg'), load)),
      });
      expect(r.mismatches).toEqual([]);
      expect(r.audit.ok).toBe(true);
      expect(r.audit.checked).toBe(m.auditEvents);
      // the restored rows are the saved ones, not only as many: the audit trail is the source's
      // trail up to the moment of the backup, event for event (the source went on writing since)
      const reopened = targetUrl ? await openPostgres(targetUrl, 2) : await openPglite(join(target, 'pg'));
      try {
        const restored = await reopened.query<{ id: number; hash: string }>(
          sql`SELECT id, hash FROM audit_events ORDER BY id`,
        );
        const last = restored.at(-1)!.id;
        expect(restored).toEqual(
          await sys.db.query(sql`SELECT id, hash FROM audit_events WHERE id <= ${last} ORDER BY id`),
        );
        expect(await tableCounts(reopened)).toEqual(m.rows);
        expect((await verifyAudit(reopened)).ok).toBe(true);
      } finally {
        await reopened.close();
      }
      const restoredFile = join(target, 'files', fileHash.slice(0, 2), fileHash.slice(2, 4), fileHash);
      expect((await import('node:fs')).existsSync(restoredFile)).toBe(true);

      // a second restore into the now non-empty target is refused unless forced
      await expect(
        restore({
          dir,
          dataDir: target,
          engine: sys.engine,
          databaseUrl: targetUrl,
          openTarget: (load) =>
            targetUrl ? openPostgres(targetUrl, 2) : openPglite(join(target, 'pg'), load),
        }),
      ).rejects.toThrow(/不是空的.*--force/);
    } finally {
      if (targetUrl)
        await admin(`DROP DATABASE IF EXISTS ${new URL(targetUrl).pathname.slice(1)} WITH (FORCE)`);
    }
  });

  it('refuses a directory that is not empty or not writable, and a folder that is not a backup', async () => {
    const used = join(work, 'used');
    await mkdir(used);
    await writeFile(join(used, 'x'), 'x');
    await expect(
      backup(sys.db, { dir: used, dataDir: sys.deps.config.dataDir, databaseUrl: currentUrl() }),
    ).rejects.toThrow(/不是空的/);
    if (process.getuid?.() !== 0) {
      const locked = join(work, 'locked');
      await mkdir(locked);
      await chmod(locked, 0o500);
      await expect(
        backup(sys.db, {
          dir: join(locked, 'b'),
          dataDir: sys.deps.config.dataDir,
          databaseUrl: currentUrl(),
        }),
      ).rejects.toBeInstanceOf(BackupError);
    }
    await expect(
      backup(sys.db, {
        dir: join(used, 'x', 'backup'),
        dataDir: sys.deps.config.dataDir,
        databaseUrl: currentUrl(),
      }),
    ).rejects.toThrow(/不可写/);
    await expect(
      restore({
        dir: used,
        dataDir: join(work, 'x'),
        engine: sys.engine,
        openTarget: () => Promise.reject(new Error('not reached')),
      }),
    ).rejects.toThrow(/不是有效的备份目录/);
  });
});

/** The URL of the test system's own database (a fresh database per test file on PostgreSQL). */
function currentUrl(): string | undefined {
  if (sys.engine !== 'postgres') return undefined;
  return sys.databaseUrl;
}
