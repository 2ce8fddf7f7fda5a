import { rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLogger, openDatabase, type Running, startSystem } from '../boot.js';
import { loadConfig } from '../config.js';
import { INIT_HINT, InitRefused, initCity, isUninitialized } from '../modules/onboarding/init.js';
import { verifyAudit } from '../platform/audit.js';
import { checkpointConfig, writeCheckpoint } from '../platform/auditCheckpoint.js';
import type { Db } from '../platform/db/index.js';
import { loadPii } from '../platform/pii.js';
import { seedDemo } from '../seed/demo.js';
import { pidFileOf } from './backup.js';

const HELP = `niudai <command>

  serve                       start the server (migrations and demo seed on an empty database)
  worker                      work the job queue and the periodic sweeps only, without HTTP
                              (beside web processes started with NIUDAI_JOBS=false; PostgreSQL)
  migrate                     apply database migrations
  init --city <code> --admin <username>
                              initialize an empty database for a real city: its regions (GB/T 2260,
                              4-digit city code, e.g. 1307), root organizations, built-in roles and
                              the first administrator, whose one-time password is printed once
  seed [--scale demo|large]   seed the demo city into an empty database (large: 100,000 organizations)
  audit verify                verify the hash chain of the audit trail
  backup <dir>                save the database and the uploaded files into a new directory
                              (the embedded engine: stop the server first)
  restore <dir> [--force]     restore a backup into an empty database (--force: over an existing one),
                              then check rows, files and the audit chain against the backup
  audit verify                verify the hash chain of the audit trail against the signed checkpoints
  audit checkpoint            write a signed checkpoint of the audit chain heads now
  decompose <file> [--date YYYY-MM-DD]
                              decompose a speech or plan into headings and tasks (JSON)
`;

/**
 * pg-boss marks jobs done or failed without awaiting: a database error there must not take
 * the process down with it (the job expires and runs again; handlers are idempotent).
 * Logged as an error, so it is seen.
 */
function keepRunning(log: { error(obj: unknown, msg: string): void }, what: string): void {
  process.on('unhandledRejection', (err) => log.error({ err }, `unhandled rejection (${what} kept running)`));
}

/** On SIGINT or SIGTERM: stop the system (jobs finish their batch), close the database, exit. */
function stopOnSignals(sys: Running, db: Db, cleanup: () => void = () => {}): void {
  const shutdown = async () => {
    await sys.stop();
    await db.close();
    cleanup();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scale: { type: 'string', default: 'demo' },
      date: { type: 'string' },
      city: { type: 'string' },
      admin: { type: 'string' },
      help: { type: 'boolean' },
      force: { type: 'boolean' },
    },
  });
  const [cmd, sub] = positionals;
  if (!cmd || values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (cmd === 'decompose') {
    const { runDecompose } = await import('./decompose.js');
    return runDecompose(sub, values.date);
  }
  const config = loadConfig();
  // whatever this process creates (database files, uploads, checkpoints, secrets) is the owner's only
  process.umask(0o077);
  const log = createLogger(config);
  switch (cmd) {
    case 'serve': {
      keepRunning(log, 'server');
      const db = await openDatabase(config, log);
      const sys = await startSystem(config, db, log);
      const uninitialized = await isUninitialized(db);
      if (uninitialized) log.warn(INIT_HINT);
      await sys.app.listen({ port: config.port, host: config.host });
      // the embedded database is this process's: backup and restore check this file
      const pidFile = config.databaseUrl ? null : pidFileOf(config);
      if (pidFile) writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
      const url = `http://localhost:${config.port}`;
      process.stdout.write(
        `\n  纽带 Niudai is running on ${url}  (database: ${db.engine})\n  API docs: ${url}/api/docs\n` +
          (config.seedDemo
            ? '  Demo logins (password Demo@2026!): admin, city.union, county1.union, county2.union, town1.union, hotline, supervisor, member\n\n'
            : uninitialized
              ? `\n  ${INIT_HINT}\n\n`
              : '\n'),
      );
      stopOnSignals(sys, db, () => pidFile && rmSync(pidFile, { force: true }));
      return undefined;
    }
    case 'worker': {
      if (!config.databaseUrl)
        throw new Error('worker needs DATABASE_URL (a PostgreSQL shared with the web processes)');
      keepRunning(log, 'worker');
      const db = await openDatabase(config, log, { seed: false });
      const sys = await startSystem({ ...config, runJobs: true }, db, log);
      await sys.app.ready(); // starts the periodic sweeps; no port is opened
      log.info('worker running: outbox relay, job queue, periodic sweeps');
      stopOnSignals(sys, db);
      return undefined;
    }
    case 'migrate': {
      const db = await openDatabase(config, log, { seed: false });
      await db.close();
      return 0;
    }
    case 'init': {
      if (!values.city || !values.admin) {
        process.stderr.write('usage: niudai init --city <4-digit city code> --admin <username>\n');
        return 2;
      }
      const db = await openDatabase(config, log, { seed: false });
      try {
        const r = await initCity(db, { cityCode: values.city, admin: values.admin, now: new Date() });
        process.stdout.write(
          `initialized ${r.city.name} (${r.city.code}): ${r.regions} regions, ${r.orgs} organizations, ${r.roles} roles\n` +
            `administrator: ${r.admin.username}\n` +
            `password: ${r.password}\n` +
            'This one-time password is shown only once; it must be changed at the first login.\n',
        );
        return 0;
      } catch (e) {
        if (e instanceof InitRefused) {
          process.stderr.write(`init refused: ${e.message}\n`);
          return 1;
        }
        throw e;
      } finally {
        await db.close();
      }
    }
    case 'seed': {
      if (values.scale !== 'demo' && values.scale !== 'large')
        throw new Error('--scale must be demo or large');
      const db = await openDatabase(config, log, { seed: false });
      const t0 = Date.now();
      const r = await seedDemo(db, loadPii(config), {
        cityCode: config.demoCity,
        scale: values.scale,
        now: new Date(),
      });
      process.stdout.write(`seeded ${JSON.stringify(r)} in ${Date.now() - t0} ms\n`);
      await db.close();
      return 0;
    }
    case 'audit': {
      if (sub !== 'verify' && sub !== 'checkpoint') break;
      const db = await openDatabase(config, log, { seed: false });
      const checkpoints = checkpointConfig(config, loadPii(config));
      if (sub === 'checkpoint') {
        const c = await writeCheckpoint(db, checkpoints, new Date());
        await db.close();
        process.stdout.write(
          c
            ? `audit checkpoint written: ${c.heads.length} chain heads up to event ${c.lastId}\n`
            : 'no audit events yet\n',
        );
        return 0;
      }
      const r = await verifyAudit(db, 5000, { checkpoints });
      await db.close();
      const anchored = r.latestCheckpoint
        ? `; ${r.checkpoints} checkpoints, latest ${r.latestCheckpoint} (truncation and rewriting detected up to it)`
        : '; no checkpoint found: deleting the last events would not be detected';
      process.stdout.write(
        r.ok
          ? `audit chain OK: ${r.checked} events verified${anchored}\n`
          : `audit chain BROKEN${r.firstBadId ? ` at event ${r.firstBadId}` : ''}: ${r.reason} (${r.checked} verified before it)\n`,
      );
      return r.ok ? 0 : 1;
    }
    case 'backup': {
      if (!sub) throw new Error('usage: niudai backup <dir>');
      const { runBackup } = await import('./backup.js');
      return runBackup(config, log, sub);
    }
    case 'restore': {
      if (!sub) throw new Error('usage: niudai restore <dir> [--force]');
      const { runRestore } = await import('./backup.js');
      return runRestore(config, sub, values.force === true);
    }
  }
  process.stderr.write(`unknown command: ${positionals.join(' ')}\n\n${HELP}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
