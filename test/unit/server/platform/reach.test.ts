import { describe, expect, it } from 'vitest';
import { permissionsCover, type ScopeSpec, scopeCovers } from '../../../../src/server/platform/reach.js';

// a small tree: city 1 → county 2 (→ town 4 → village 6), county 3 (→ town 5)
const city = { id: 1, path: '/1/' };
const county2 = { id: 2, path: '/1/2/' };
const county3 = { id: 3, path: '/1/3/' };
const town4 = { id: 4, path: '/1/2/4/' };
const town5 = { id: 5, path: '/1/3/5/' };
const village6 = { id: 6, path: '/1/2/4/6/' };
// an organization whose id is a prefix of another's in the path: /1/2/ must not cover /1/22/
const county22 = { id: 22, path: '/1/22/' };

const none: ScopeSpec = { all: false, orgs: [], subtrees: [], self: null };
const ALL: ScopeSpec = { ...none, all: true };
const below = (...o: { path: string }[]): ScopeSpec => ({ ...none, subtrees: o.map((x) => x.path) });
const exact = (...o: { id: number; path: string }[]): ScopeSpec => ({ ...none, orgs: o });
const self = (o: { id: number; path: string }): ScopeSpec => ({ ...none, self: o });

describe('scopeCovers', () => {
  const cases: [string, ScopeSpec, ScopeSpec, boolean][] = [
    ['ALL covers ALL', ALL, ALL, true],
    ['ALL covers a subtree', ALL, below(county2), true],
    ['ALL covers exact organizations and SELF', ALL, { ...exact(town5), self: village6 }, true],
    ['a subtree never covers ALL', below(city), ALL, false],
    ['exact organizations never cover ALL', exact(city, county2, county3), ALL, false],
    ['a subtree covers the same subtree', below(county2), below(county2), true],
    ['a subtree covers a subtree below it', below(county2), below(town4), true],
    ['a subtree does not cover the one above it', below(town4), below(county2), false],
    ['a subtree does not cover a sibling subtree', below(county2), below(county3), false],
    ['a subtree does not cover a sibling whose id shares a prefix', below(county2), below(county22), false],
    ['a subtree covers exact organizations inside it', below(county2), exact(county2, town4, village6), true],
    ['a subtree does not cover an exact organization outside it', below(county2), exact(town4, town5), false],
    ['an exact organization covers the same one', exact(town4), exact(town4), true],
    ['exact organizations do not cover another one', exact(town4, county2), exact(village6), false],
    ['an exact organization does not cover its subtree', exact(county2), below(county2), false],
    ['a union of scopes covers each part', { ...below(county3), orgs: [town4] }, exact(town4, town5), true],
    ['SELF is covered by a scope holding its organization', below(county2), self(village6), true],
    ['SELF is not covered from outside its organization', below(county3), self(village6), false],
    ['SELF covers the same SELF', self(town4), self(town4), true],
    ['SELF does not cover another organization', self(town4), exact(town4), false],
    ['the empty scope is covered by anything', self(town5), none, true],
    ['nothing but the empty scope is covered by the empty scope', none, exact(town4), false],
  ];
  for (const [name, outer, inner, expected] of cases)
    it(name, () => expect(scopeCovers(outer, inner)).toBe(expected));
});

describe('permissionsCover', () => {
  it('needs every permission of the target', () => {
    expect(permissionsCover(new Set(['a', 'b']), ['a'])).toBe(true);
    expect(permissionsCover(new Set(['a', 'b']), [])).toBe(true);
    expect(permissionsCover(new Set(['a']), ['a', 'pii:reveal'])).toBe(false);
  });
});
