import { parseArgs } from 'node:util';
import { createLogger, openDatabase, type Running, startSystem } from '../boot.js';
import { loadConfig } from '../config.js';
import { verifyAudit } from '../platform/audit.js';
import { checkpointConfig, writeCheckpoint } from '../platform/auditCheckpoint.js';
import type { Db } from '../platform/db/index.js';
import { loadPii } from '../platform/pii.js';
import { seedDemo } from '../seed/demo.js';

const HELP = `niudai <command>

  serve                       start the server (migrations and demo seed on an empty database)
  worker                      work the job queue and the periodic sweeps only, without HTTP
                              (beside web processes started with NIUDAI_JOBS=false; PostgreSQL)
  migrate                     apply database migrations
  seed [--scale demo|large]   seed the demo city into an empty database (large: 100,000 organizations)
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
function stopOnSignals(sys: Running, db: Db): void {
  const shutdown = async () => {
    await sys.stop();
    await db.close();
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
      help: { type: 'boolean' },
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
      await sys.app.listen({ port: config.port, host: config.host });
      const url = `http://localhost:${config.port}`;
      process.stdout.write(
        `\n  纽带 Niudai is running on ${url}  (database: ${db.engine})\n  API docs: ${url}/api/docs\n` +
          (config.seedDemo
            ? '  Demo logins (password Demo@2026!): admin, city.union, county1.union, county2.union, town1.union, hotline, supervisor, member\n\n'
            : '\n'),
      );
      stopOnSignals(sys, db);
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
