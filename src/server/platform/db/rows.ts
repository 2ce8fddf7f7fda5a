import { type Sql, sql } from './sql.js';

/** A column of a row-wise INSERT: its name and SQL type. */
export type Col = readonly [name: string, type: string];

const param = (v: unknown, type: string): unknown =>
  v === undefined || v === null
    ? null
    : type.endsWith('[]')
      ? JSON.stringify(v) // an array cell travels as JSON text (a 2-D array would not unnest by row)
      : v instanceof Date
        ? v.toISOString()
        : v;

/** One array parameter per column, of the rows' cells, for `unnest(…)`. */
export function unnestArgs(cols: readonly Col[], rows: readonly (readonly unknown[])[]): Sql {
  return sql.join(
    cols.map(([, type], i) => {
      const t = type.endsWith('[]') ? 'jsonb' : type;
      return sql`${rows.map((r) => param(r[i], type))}::${sql.raw(t)}[]`;
    }),
  );
}

/**
 * INSERT … SELECT of rows passed as one array per column (`unnest`), so the statement's
 * text is the same whatever the number of rows and can be prepared once. `when` is a
 * condition on each row, naming its columns `x.<name>`; `extra` columns travel with the
 * rows for `when` only (e.g. the key of the entity a row belongs to) and are not inserted.
 * Table and column names are code, never input.
 */
export function insertRows(
  table: string,
  cols: readonly Col[],
  rows: readonly (readonly unknown[])[],
  when: Sql = sql.raw('TRUE'),
  extra: readonly Col[] = [],
): Sql {
  const all = [...cols, ...extra];
  const select = cols.map(([name, type]) =>
    sql.raw(
      type.endsWith('[]') ? `ARRAY(SELECT jsonb_array_elements_text(x.${name}))::${type}` : `x.${name}`,
    ),
  );
  return sql`INSERT INTO ${sql.raw(table)} (${sql.raw(cols.map(([n]) => n).join(', '))})
    SELECT ${sql.join(select)} FROM unnest(${unnestArgs(all, rows)}) AS x (${sql.raw(all.map(([n]) => n).join(', '))})
    WHERE ${when}`;
}
