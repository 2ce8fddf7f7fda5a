import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/server/config.js';
import { scopeWhere } from '../../../src/server/platform/access.js';
import type { Actor } from '../../../src/server/platform/actor.js';
import { canonical } from '../../../src/server/platform/audit.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { likeEscape } from '../../../src/server/platform/text.js';

describe('sql builder', () => {
  it('numbers parameters across nested fragments and never inlines values', () => {
    const inner = sql`b = ${2} AND c = ${'x; DROP TABLE t'}`;
    const q = sql`SELECT * FROM t WHERE a = ${1} AND ${inner} AND d = ${[3, 4]}`.compile();
    expect(q.text).toBe('SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3 AND d = $4');
    expect(q.values).toEqual([1, 2, 'x; DROP TABLE t', [3, 4]]);
  });
  it('joins and combines conditions', () => {
    expect(sql.and([]).compile().text).toBe('TRUE');
    expect(sql.or([]).compile().text).toBe('FALSE');
    const q = sql.and([sql`a = ${1}`, sql`b = ${2}`]).compile();
    expect(q.text).toBe('(a = $1 AND b = $2)');
  });
});

const actor = (scope: Partial<Actor['scope']>): Actor => ({
  userId: 7,
  username: 'u',
  displayName: 'u',
  orgId: 5,
  orgPath: '/1/5/',
  permissions: new Set(),
  scope: { kinds: [], all: false, orgIds: [], subtrees: [], self: false, ...scope },
  via: 'session',
});

describe('data scope predicate', () => {
  const cols = { orgId: sql.raw('t.org_id'), owner: sql.raw('t.created_by') };
  it('ALL sees everything', () => {
    expect(scopeWhere(actor({ all: true }), cols).compile().text).toBe('TRUE');
  });
  it('nothing granted sees nothing', () => {
    expect(scopeWhere(actor({}), cols).compile().text).toBe('FALSE');
  });
  it('unions organizations, subtrees and own rows', () => {
    const q = scopeWhere(actor({ orgIds: [5, 9], subtrees: ['/1/5/'], self: true }), cols).compile();
    expect(q.text).toContain('t.org_id = ANY($1::bigint[])');
    expect(q.text).toContain('so.path LIKE ANY($2::text[])');
    expect(q.text).toContain('t.created_by = $3');
    expect(q.values).toEqual([[5, 9], ['/1/5/%'], 7]);
  });
  it('uses the row path directly for organizations', () => {
    const q = scopeWhere(actor({ subtrees: ['/1/5/'] }), {
      orgId: sql.raw('o.id'),
      path: sql.raw('o.path'),
    }).compile();
    expect(q.text).toBe('(o.path LIKE ANY($1::text[]))');
  });
});

describe('audit canonical JSON', () => {
  it('is independent of key order and drops undefined', () => {
    expect(canonical({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });
});

describe('configuration', () => {
  it('applies defaults and treats empty variables as unset', () => {
    const c = loadConfig({ DATABASE_URL: '', PORT: '3001' });
    expect(c.port).toBe(3001);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.sessionIdleMinutes).toBe(30);
  });
  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ NIUDAI_DEMO_CITY: '13' })).toThrow(/NIUDAI_DEMO_CITY/);
  });
  it('requires keys and refuses the test clock in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/NIUDAI_PII_KEYS/);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        NIUDAI_PII_KEYS: 'k:a',
        NIUDAI_HASH_KEY: 'b',
        NIUDAI_TEST_CLOCK: 'true',
      }),
    ).toThrow(/TEST_CLOCK/);
  });
});

describe('LIKE escaping', () => {
  it('escapes wildcards typed by users', () => {
    expect(likeEscape('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});
