import { type Queryable, type Sql, sql } from '../../../src/server/platform/db/index.js';

/**
 * Runs a statement as an attacker with the database's superuser would: with the triggers
 * that guard the tables (audit_events is append-only) switched off for this transaction.
 */
export async function behindTheServersBack(
  db: { tx<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  ...stmts: Sql[]
): Promise<void> {
  await db.tx(async (tx) => {
    await tx.query(sql`SET LOCAL session_replication_role = replica`);
    for (const s of stmts) await tx.query(s);
  });
}
