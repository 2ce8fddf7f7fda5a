/**
 * A tiny composable SQL builder: `sql` tagged templates become parameterised text.
 * Interpolated values become $n parameters; interpolated Sql fragments are inlined.
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
    /** Run as a prepared statement where the engine keeps them (see `prepared()`). */
    readonly isPrepared = false,
  ) {}

  /**
   * The same statement, to be parsed and planned once per connection on PostgreSQL and then
   * only executed: for a hot statement whose text repeats (its values vary, not its shape).
   */
  prepared(): Sql {
    return new Sql(this.strings, this.values, true);
  }

  compile(): { text: string; values: unknown[]; prepared: boolean } {
    const values: unknown[] = [];
    const text = this.render(values);
    return { text, values, prepared: this.isPrepared };
  }

  private render(out: unknown[]): string {
    let text = this.strings[0] ?? '';
    this.values.forEach((value, i) => {
      if (value instanceof Sql) text += value.render(out);
      else {
        out.push(value);
        text += `$${out.length}`;
      }
      text += this.strings[i + 1] ?? '';
    });
    return text;
  }
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql(strings, values);
}

/** Trusted SQL text (identifiers, keywords chosen by code — never user input). */
sql.raw = (text: string): Sql => new Sql([text], []);

sql.join = (parts: readonly Sql[], separator = ', '): Sql => {
  if (parts.length === 0) return sql.raw('');
  const strings = [''];
  for (let i = 1; i < parts.length; i++) strings.push(separator);
  strings.push('');
  return new Sql(strings, parts);
};

/** AND-joins conditions; an empty list is TRUE. */
sql.and = (conds: readonly Sql[]): Sql =>
  conds.length === 0 ? sql.raw('TRUE') : sql`(${sql.join(conds, ' AND ')})`;

sql.or = (conds: readonly Sql[]): Sql =>
  conds.length === 0 ? sql.raw('FALSE') : sql`(${sql.join(conds, ' OR ')})`;
