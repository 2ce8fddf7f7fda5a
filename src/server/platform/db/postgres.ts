import pg from 'pg';
import type { Sql } from './sql.js';
import type { Db, Queryable } from './types.js';

pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(q: Sql) {
      const { text, values, name } = q.compile();
      const r = name ? await client.query({ name, text, values }) : await client.query(text, values);
      return r.rows as T[];
    },
    async exec(text: string) {
      await client.query(text);
    },
    executeSql: async (text, values) => {
      const r = (await client.query(text, values && values.length > 0 ? values : undefined)) as
        | pg.QueryResult
        | pg.QueryResult[];
      return { rows: Array.isArray(r) ? (r.at(-1)?.rows ?? []) : r.rows };
    },
  };
}

/**
 * A server PostgreSQL given by URL, through a connection pool. A connection that dies while
 * idle (server restart, administrator command) is dropped from the pool and reported through
 * `onIdleError`, never thrown: the next query opens a new one.
 */
export async function openPostgres(
  url: string,
  poolSize: number,
  onIdleError: (err: Error) => void = () => {},
): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', onIdleError);
  await pool.query('SELECT 1');
  return {
    engine: 'postgres',
    ...wrap(pool),
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: poolSize,
    }),
  };
}
