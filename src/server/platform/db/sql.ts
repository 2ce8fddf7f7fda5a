/**
 * A tiny composable SQL builder: `sql` tagged templates become parameterised text.
 * Interpolated values become $n parameters; interpolated Sql fragments are inlined.
 */
/** The text of each named statement, rendered by its first use (see `prepared`). */
const statementTexts = new Map<string, { text: string; count: number }>();

export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
    /** Run as a prepared statement of this name where the engine keeps them (see `prepared()`). */
    readonly name?: string,
  ) {}

  /**
   * The same statement under a fixed name, for a hot statement whose text never changes (its
   * values vary, not its shape): parsed and planned once per connection on PostgreSQL and
   * then only executed, and its text rendered here once — later uses only collect the values
   * (a large statement's text was a good share of what each call allocated). A name must
   * always mean one text: the number of values is checked on every use, and under tests the
   * whole text too.
   */
  prepared(name: string): Sql {
    return new Sql(this.strings, this.values, name);
  }

  compile(): { text: string; values: unknown[]; name?: string } {
    const values: unknown[] = [];
    if (!this.name) return { text: this.render(values), values };
    const known = statementTexts.get(this.name);
    if (!known || process.env.NODE_ENV === 'test') {
      const text = this.render(values);
      if (known && known.text !== text) throw new Error(`prepared statement ${this.name} changed its text`);
      statementTexts.set(this.name, { text, count: values.length });
      return { text, values, name: this.name };
    }
    this.collect(values);
    if (values.length !== known.count)
      throw new Error(`prepared statement ${this.name}: ${values.length} values for ${known.count}`);
    return { text: known.text, values, name: this.name };
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

  /** The values `render` would give, without the text. */
  private collect(out: unknown[]): void {
    for (const value of this.values) {
      if (value instanceof Sql) value.collect(out);
      else out.push(value);
    }
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
