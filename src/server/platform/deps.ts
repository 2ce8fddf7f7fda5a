import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from './clock.js';
import type { Db } from './db/index.js';
import type { ReadRouter } from './db/replica.js';
import type { FileStore } from './files.js';
import type { Jobs } from './jobs.js';
import type { Pii } from './pii.js';

/** Everything a module may use from the platform, built once in main.ts (or a test). */
export interface Deps {
  config: Config;
  db: Db;
  /** where read-heavy endpoints read: the standby when configured and fresh enough */
  reads: ReadRouter;
  clock: Clock;
  pii: Pii;
  jobs: Jobs;
  files: FileStore;
  log: FastifyBaseLogger;
}
