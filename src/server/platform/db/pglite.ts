import { PGlite, types } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Sql } from './sql.js';
import type { Db, Queryable } from './types.js';

const parsers = {
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => Number(v),
  [types.DATE]: (v: string) => v,
};

function wrap(run: {
  query<T>(t: string, p?: unknown[]): Promise<{ rows: T[] }>;
  exec(t: string): Promise<{ rows: unknown[] }[]>;
}): Queryable {
  return {
    async query<T>(q: Sql) {
      const { text, values } = q.compile();
      return (await run.query<T>(text, values)).rows;
    },
    async exec(text: string) {
      await run.exec(text);
    },
    // pg-boss sends multi-statement scripts without parameters: those need the simple protocol
    executeSql: async (text, values) =>
      values && values.length > 0
        ? { rows: (await run.query(text, values)).rows }
        : { rows: (await run.exec(text)).at(-1)?.rows ?? [] },
  };
}

/**
 * Embedded PostgreSQL (WASM) in a data folder, or in memory with `memory://`; `load` fills a
 * new data folder from a tarball made by `dumpDataDir` (restore).
 */
export async function openPglite(dataDir: string, load?: Blob): Promise<Db> {
  const lite = await PGlite.create(dataDir, {
    extensions: { pg_trgm },
    parsers,
    relaxedDurability: false,
    ...(load ? { loadDataDir: load } : {}),
  });
  const base = wrap(lite);
  return {
    engine: 'pglite',
    ...base,
    tx: (fn) => lite.transaction((t) => fn(wrap(t))),
    close: () => lite.close(),
    dumpDataDir: () => lite.dumpDataDir('gzip'),
  };
}
