import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createLogger, type Running, startSystem } from '../../../src/server/boot.js';
import { loadConfig } from '../../../src/server/config.js';
import { type Db, openPglite, openPostgres } from '../../../src/server/platform/db/index.js';
import { migrate } from '../../../src/server/platform/migrate.js';
import { loadPii } from '../../../src/server/platform/pii.js';
import { seedDemo } from '../../../src/server/seed/demo.js';
import { type Client, clientFor } from './client.js';

/**
 * A whole system for one test file: a fresh database (in-memory PGlite by default, a new
 * database on the PostgreSQL of TEST_DATABASE_URL when set), migrated and seeded with the
 * demo city, and the HTTP app driven through `inject` (no port).
 */
export interface TestSystem extends Running {
  db: Db;
  engine: 'pglite' | 'postgres';
  /** the URL of this test's own database on PostgreSQL (unset on the embedded engine) */
  databaseUrl?: string;
  login(username: string, password?: string): Promise<Client>;
  anonymous(): Client;
  close(): Promise<void>;
}

export async function createTestSystem(
  opts: {
    seed?: boolean;
    env?: Record<string, string>;
    /** where the JSON log lines go (to read the real log output) */
    logStream?: import('pino').DestinationStream;
  } = {},
): Promise<TestSystem> {
  const dataDir = await mkdtemp(join(tmpdir(), 'niudai-test-'));
  const url = process.env.TEST_DATABASE_URL;
  let db: Db;
  let dropDb: (() => Promise<void>) | undefined;
  let databaseUrl: string | undefined;
  if (url) {
    const name = `niudai_t_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    db = await openPostgres(databaseUrl, 5);
    dropDb = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  } else {
    db = await openPglite('memory://');
  }
  const config = loadConfig({
    NODE_ENV: 'test',
    NIUDAI_DATA_DIR: dataDir,
    NIUDAI_TEST_CLOCK: 'true',
    NIUDAI_RATE_LIMIT: '100000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...opts.env,
  });
  const log = createLogger(config, opts.logStream);
  await migrate(db);
  if (opts.seed !== false)
    await seedDemo(db, loadPii(config), { cityCode: config.demoCity, scale: 'demo', now: new Date() });
  const sys = await startSystem(config, db, log);
  await sys.app.ready();
  return {
    ...sys,
    db,
    engine: db.engine,
    databaseUrl,
    login: (username, password = 'Demo@2026!') => clientFor(sys.app).login(username, password),
    anonymous: () => clientFor(sys.app),
    async close() {
      await sys.stop();
      await db.close();
      await dropDb?.();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
