import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { type App, buildApp } from './app.js';
import type { Config } from './config.js';
import { registerAppealJobs } from './modules/appeals/index.js';
import { registerOnboardingJobs } from './modules/onboarding/otp.js';
import { registerPeopleJobs } from './modules/people/index.js';
import { registerNotifyJob } from './modules/system/routes.js';
import { calendarGap, workCalendarOf } from './platform/calendar.js';
import { Clock } from './platform/clock.js';
import { type Db, openDb, openPostgres, sql } from './platform/db/index.js';
import { ReadRouter } from './platform/db/replica.js';
import type { Deps } from './platform/deps.js';
import { FileStore } from './platform/files.js';
import { logRequest } from './platform/http/redact.js';
import { Jobs } from './platform/jobs.js';
import { migrate } from './platform/migrate.js';
import { loadPii } from './platform/pii.js';
import { seedDemo } from './seed/demo.js';

export function createLogger(config: Pick<Config, 'logLevel' | 'env'>, destination?: pino.DestinationStream) {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    // the query values of personal-data parameters (phone, q, idNumber, name…) are replaced
    serializers: { req: logRequest },
    // personal data and credentials never reach the logs
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.idNumber',
        '*.phone',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Opens the database of the configuration, applies migrations, seeds the demo city once. */
export async function openDatabase(
  config: Config,
  log: pino.Logger,
  opts: { seed?: boolean } = {},
): Promise<Db> {
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPool,
    onIdleError: (err) => log.warn({ err }, 'an idle database connection closed; the pool opens a new one'),
  });
  const applied = await migrate(db);
  if (applied.length > 0) log.info({ applied }, 'migrations applied');
  if (opts.seed ?? config.seedDemo) {
    const orgs = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM orgs`);
    if ((orgs[0]?.n ?? 0) === 0) {
      const pii = loadPii(config);
      const t0 = Date.now();
      const r = await seedDemo(db, pii, { cityCode: config.demoCity, scale: 'demo', now: new Date() });
      log.info({ ...r, ms: Date.now() - t0 }, 'demo city seeded');
    }
  }
  return db;
}

export interface Running {
  app: App;
  deps: Deps;
  stop(): Promise<void>;
}

/** Builds the whole system on an open database: platform services, jobs, HTTP app. */
export async function startSystem(config: Config, db: Db, log: pino.Logger): Promise<Running> {
  const replica = config.replicaUrl
    ? await openPostgres(config.replicaUrl, config.dbPool, (err) =>
        log.warn({ err }, 'an idle standby connection closed; the pool opens a new one'),
      ).catch((err: Error) => {
        log.warn({ err }, 'the standby (DATABASE_REPLICA_URL) does not answer: reading from the primary');
        return null;
      })
    : null;
  const deps: Deps = {
    config,
    db,
    reads: new ReadRouter(db, replica, config.replicaMaxLagSeconds),
    clock: new Clock(config.testClock),
    pii: loadPii(config),
    jobs: new Jobs(db, log),
    files: new FileStore(join(config.dataDir, 'files')),
    log,
  };
  registerNotifyJob(deps);
  registerPeopleJobs(deps);
  registerAppealJobs(deps);
  registerOnboardingJobs(deps);
  if (config.runJobs) await deps.jobs.start();
  const gap = calendarGap(await workCalendarOf(db), deps.clock.now());
  if (gap) log.warn(gap);
  const app = await buildApp(deps);
  return {
    app,
    deps,
    async stop() {
      await app.close();
      await deps.jobs.stop();
      await deps.reads.close();
    },
  };
}

export const webBuilt = (root: string) => existsSync(join(root, 'dist/web/index.html'));
