import type { Sql } from './sql.js';

export type Engine = 'pglite' | 'postgres';

export interface Queryable {
  /** Runs one statement and returns its rows. */
  query<T = Record<string, unknown>>(q: Sql): Promise<T[]>;
  /** Raw text (migrations, multi-statement scripts). */
  exec(text: string): Promise<void>;
  /** A pg-boss compatible executor (`executeSql`) bound to this connection or transaction. */
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface Db extends Queryable {
  readonly engine: Engine;
  /** Runs fn in one transaction: commit on success, rollback on throw. */
  tx<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The embedded engine's whole data folder as a gzipped tarball (backups). */
  dumpDataDir?(): Promise<Blob>;
  /** Connections of the pool (PostgreSQL); the embedded engine has one and no pool. */
  poolStats?(): { total: number; idle: number; waiting: number; max: number };
}
