import { sql } from './sql.js';
import type { Db } from './types.js';

/** How many ids one read of a sequence reserves. */
const BLOCK = 64;

interface Pool {
  ids: number[];
  refill: Promise<void> | null;
}
const pools = new WeakMap<Db, Map<string, Pool>>();

/**
 * The next id of a table's identity column, from its sequence but reserved a block at a
 * time per process: a statement that must know its row's id beforehand (to put it in the
 * audit event, notices and outbox rows it writes with the row) costs no round trip of its
 * own. Ids are unique, not in creation order across processes (order by time, not by id).
 */
export async function nextId(db: Db, table: string): Promise<number> {
  let byTable = pools.get(db);
  if (!byTable) {
    byTable = new Map();
    pools.set(db, byTable);
  }
  const pool = byTable.get(table) ?? { ids: [], refill: null };
  byTable.set(table, pool);
  while (pool.ids.length === 0) {
    pool.refill ??= refill(db, table, pool).finally(() => {
      pool.refill = null;
    });
    await pool.refill;
  }
  return pool.ids.shift()!;
}

async function refill(db: Db, table: string, pool: Pool): Promise<void> {
  const rows = await db.query<{ id: string | number }>(
    sql`SELECT nextval(pg_get_serial_sequence(${table}, 'id')) AS id FROM generate_series(1, ${BLOCK})`,
  );
  pool.ids.push(...rows.map((r) => Number(r.id)).sort((a, b) => a - b));
}
