import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Db, sql } from './db/index.js';

const DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/**
 * Applies pending SQL migrations in file-name order, each in its own transaction,
 * under an advisory lock so several processes may start at once.
 */
/** Migration files not yet applied to this database (empty when it is up to date). */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.sql')).sort();
  const has = await db.query<{ t: string | null }>(sql`SELECT to_regclass('schema_migrations')::text AS t`);
  if (!has[0]?.t) return files;
  const done = new Set(
    (await db.query<{ name: string }>(sql`SELECT name FROM schema_migrations`)).map((r) => r.name),
  );
  return files.filter((f) => !done.has(f));
}

export async function migrate(db: Db): Promise<string[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.sql')).sort();
  const applied: string[] = [];
  for (const file of files) {
    const text = await readFile(DIR + file, 'utf8');
    const done = await db.tx(async (tx) => {
      await tx.query(sql`SELECT pg_advisory_xact_lock(424242)`);
      const seen = await tx.query(sql`SELECT 1 FROM schema_migrations WHERE name = ${file}`);
      if (seen.length > 0) return false;
      await tx.exec(text);
      await tx.query(sql`INSERT INTO schema_migrations (name) VALUES (${file})`);
      return true;
    });
    if (done) applied.push(file);
  }
  return applied;
}
