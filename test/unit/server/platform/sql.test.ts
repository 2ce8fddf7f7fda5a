import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../../../../src/server/platform/db/sql.js';

const statement = (ids: number[], note: string) =>
  sql`SELECT * FROM t WHERE ${sql`id = ANY(${ids})`} AND note = ${note}`;

describe('sql builder', () => {
  const env = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = env;
  });

  it('numbers the values of nested fragments in order', () => {
    expect(statement([1, 2], 'a').compile()).toEqual({
      text: 'SELECT * FROM t WHERE id = ANY($1) AND note = $2',
      values: [[1, 2], 'a'],
    });
  });

  it('renders a named statement once, then only collects its values', () => {
    process.env.NODE_ENV = 'production';
    const first = statement([1], 'a').prepared('sql_test_once').compile();
    expect(first).toEqual({
      text: 'SELECT * FROM t WHERE id = ANY($1) AND note = $2',
      values: [[1], 'a'],
      name: 'sql_test_once',
    });
    // a fragment whose text would differ shows the cached text is used, not rendered again
    const other = sql`SELECT ${sql.raw('other')} ${[3]} ${'b'}`.prepared('sql_test_once').compile();
    expect(other).toEqual({ text: first.text, values: [[3], 'b'], name: 'sql_test_once' });
  });

  it('refuses a name used with another number of values, and under tests with another text', () => {
    process.env.NODE_ENV = 'production';
    statement([1], 'a').prepared('sql_test_count').compile();
    expect(() => sql`SELECT ${1}`.prepared('sql_test_count').compile()).toThrow(/1 values for 2/);
    process.env.NODE_ENV = 'test';
    statement([1], 'a').prepared('sql_test_text').compile();
    expect(statement([2], 'b').prepared('sql_test_text').compile().values).toEqual([[2], 'b']);
    expect(() => sql`SELECT ${1}, ${2}`.prepared('sql_test_text').compile()).toThrow(/changed its text/);
  });
});
