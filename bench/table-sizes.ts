/**
 * Bytes per row of the tables that grow without bound, measured on PostgreSQL with their real
 * indexes (trigram ones included): each table's rows in a seeded database (DATABASE_URL) are
 * copied into a scratch table of the same shape until it holds BENCH_ROWS rows (default
 * 100,000), its indexes built (unique ones as plain, since the copies repeat keys), then
 * ANALYZE and pg_total_relation_size. B-tree indexes are built without deduplication (real
 * keys differ); GIN (trigram) indexes of repeated texts stay smaller than real ones, so their
 * share is a lower bound. docs/scaling.md projects the figures.
 * Run: DATABASE_URL=… npm run bench:table-sizes
 */
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL of a seeded database (the demo city, some appeals) is needed');
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const TABLES = (
  process.env.BENCH_TABLES ??
  'appeals,appeal_events,appeal_messages,audit_events,notifications,outbox,persons,memberships,tasks,task_events,orgs,units'
).split(',');

const c = new pg.Client({ connectionString: url });
await c.connect();
console.log(`table            sample rows   bytes/row (heap + indexes)   of which indexes`);
try {
  for (const t of TABLES) {
    const n = Number((await c.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n);
    if (n === 0) {
      console.log(`${t.padEnd(16)} (empty: seed or load some rows first)`);
      continue;
    }
    const copy = `size_probe_${t}`;
    await c.query(`DROP TABLE IF EXISTS ${copy}`);
    await c.query(`CREATE UNLOGGED TABLE ${copy} (LIKE ${t} INCLUDING DEFAULTS)`);
    await c.query(
      `INSERT INTO ${copy} SELECT s.* FROM generate_series(1, ${Math.ceil(ROWS / n)}) g, LATERAL (SELECT * FROM ${t}) s LIMIT ${ROWS}`,
    );
    const defs = (
      await c.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1`, [t])
    ).rows as { indexdef: string }[];
    for (const [i, d] of defs.entries()) {
      let on = d.indexdef.slice(d.indexdef.indexOf(' USING '));
      // copies repeat keys: B-tree deduplication would make their index far smaller than real keys'
      if (on.startsWith(' USING btree')) {
        const w = on.indexOf(' WHERE ');
        on =
          w < 0
            ? `${on} WITH (deduplicate_items = off)`
            : `${on.slice(0, w)} WITH (deduplicate_items = off)${on.slice(w)}`;
      }
      await c.query(`CREATE INDEX ${copy}_${i} ON ${copy}${on}`);
    }
    await c.query(`ANALYZE ${copy}`);
    const r = (
      await c.query(
        `SELECT pg_total_relation_size($1::regclass) AS total, pg_indexes_size($1::regclass) AS idx, (SELECT count(*) FROM ${copy}) AS rows`,
        [copy],
      )
    ).rows[0];
    const per = Number(r.total) / Number(r.rows);
    console.log(
      `${t.padEnd(16)} ${String(n).padStart(11)}   ${per.toFixed(0).padStart(9)}                    ${(Number(r.idx) / Number(r.rows)).toFixed(0).padStart(6)}`,
    );
    await c.query(`DROP TABLE ${copy}`);
  }
} finally {
  await c.end();
}
