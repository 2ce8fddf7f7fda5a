import { type Sql, sql } from './sql.js';

/** A column of a row-wise INSERT: its name and SQL type. */
export type Col = readonly [name: string, type: string];

/** The SQL of cell `i` of a row `r` passed as a JSON array, as a value of the column's type. */
function cell(i: number, type: string): string {
  if (type.endsWith('[]')) return `ARRAY(SELECT jsonb_array_elements_text(r->${i}))::${type}`;
  if (type === 'text') return `r->>${i}`;
  return `(r->>${i})::${type}`; // a jsonb cell is JSON text, as it would be as a parameter
}

const NONE: readonly Col[] = [];

/** The SQL texts built from a list of columns, kept per list (the lists are module constants). */
interface ColTexts {
  /** `rowsOf`'s select list: each cell as a column of its type */
  select: string;
  /** the inserted columns' names */
  columns: string;
  /** the same as `x.<name>` */
  names: string;
}
const texts = new WeakMap<readonly Col[], WeakMap<readonly Col[], ColTexts>>();

function textsOf(cols: readonly Col[], extra: readonly Col[] = NONE): ColTexts {
  let byExtra = texts.get(cols);
  if (!byExtra) {
    byExtra = new WeakMap();
    texts.set(cols, byExtra);
  }
  let t = byExtra.get(extra);
  if (!t) {
    t = {
      select: [...cols, ...extra].map(([name, type], i) => `${cell(i, type)} AS ${name}`).join(', '),
      columns: cols.map(([n]) => n).join(', '),
      names: cols.map(([n]) => `x.${n}`).join(', '),
    };
    byExtra.set(extra, t);
  }
  return t;
}

function rowsSelect(t: ColTexts, rows: readonly (readonly unknown[])[]): Sql {
  return sql`(SELECT ${sql.raw(t.select)} FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) AS r)`;
}

/**
 * Rows as a subquery with the columns `cols` (to use as `FROM ${rowsOf(…)} AS x`), passed as
 * one JSON parameter: an array of rows, each an array of cells in the order of `cols` (a Date
 * travels as its ISO text, an array cell as a JSON array, a jsonb cell as JSON text). The
 * statement's text is the same whatever the number of rows, and the rows cost one
 * `JSON.stringify` here: an array parameter per column made the driver escape every cell.
 */
export function rowsOf(cols: readonly Col[], rows: readonly (readonly unknown[])[]): Sql {
  return rowsSelect(textsOf(cols), rows);
}

/**
 * INSERT … SELECT of rows passed as one parameter (`rowsOf`), so the statement's text is the
 * same whatever the number of rows and can be prepared once. `when` is a condition on each
 * row, naming its columns `x.<name>`; `extra` columns travel with the rows for `when` only
 * (e.g. the key of the entity a row belongs to) and are not inserted. Table and column
 * names are code, never input; `cols` and `extra` are constants (their texts are kept).
 */
export function insertRows(
  table: string,
  cols: readonly Col[],
  rows: readonly (readonly unknown[])[],
  when: Sql = sql.raw('TRUE'),
  extra: readonly Col[] = NONE,
): Sql {
  const t = textsOf(cols, extra);
  return sql`INSERT INTO ${sql.raw(table)} (${sql.raw(t.columns)})
    SELECT ${sql.raw(t.names)} FROM ${rowsSelect(t, rows)} AS x
    WHERE ${when}`;
}
