import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export { bulkInsert } from './bulk.js';
export { nextId } from './ids.js';
export { openPglite } from './pglite.js';
export { openPostgres } from './postgres.js';
export { Sql, sql } from './sql.js';
export type { Db, Engine, Queryable } from './types.js';

import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Db } from './types.js';

export async function openDb(opts: {
  databaseUrl?: string;
  dataDir: string;
  poolSize: number;
  onIdleError?: (err: Error) => void;
}): Promise<Db> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize, opts.onIdleError);
  await mkdir(opts.dataDir, { recursive: true });
  return openPglite(join(opts.dataDir, 'pg'));
}
