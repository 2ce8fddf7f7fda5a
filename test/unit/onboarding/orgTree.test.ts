import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/server/config.js';
import { oneTimePassword, rootOrgNames } from '../../../src/server/modules/onboarding/init.js';
import {
  type ExistingOrg,
  type OrgInput,
  planOrgTree,
} from '../../../src/server/modules/onboarding/orgTree.js';
import { mapColumns, ORG_COLUMNS } from '../../../src/shared/onboarding/columns.js';
import { checkPassword } from '../../../src/shared/rules/password.js';

const base = {
  code: null,
  shortName: null,
  type: 'union' as const,
  regionCode: '130402000000',
  creditCode: null,
  contactName: null,
  contactPhone: null,
  takesAppeals: true,
};
const db = (
  id: number,
  parentId: number | null,
  name: string,
  level: ExistingOrg['level'],
  code: string | null = null,
): ExistingOrg => ({
  ...base,
  id,
  parentId,
  path: parentId ? `/${parentId}/${id}/` : `/${id}/`,
  depth: parentId ? 1 : 0,
  name,
  level,
  code,
  active: true,
});
const row = (
  no: number,
  name: string,
  level: OrgInput['level'],
  parentRef: string,
  code: string | null = null,
): OrgInput => ({
  ...base,
  no,
  name,
  level,
  parentRef,
  code,
});
const existing = [
  db(1, null, '市总工会', 'city', 'CITY'),
  db(2, 1, '甲区总工会', 'county'),
  db(3, null, '团市委', 'city'),
];

describe('planOrgTree', () => {
  it('resolves parents in any order, by code or by name path, and through the database', () => {
    const p = planOrgTree(
      [
        row(2, '村工会', 'village', '市总工会/乙区总工会/镇总工会'),
        row(3, '镇总工会', 'township', 'B'),
        row(4, '乙区总工会', 'county', 'CITY', 'B'),
        row(5, '丙镇工会', 'township', '甲区总工会'),
      ],
      existing,
    );
    expect(p.errors).toEqual([]);
    const by = Object.fromEntries(p.items.map((i) => [i.row.name, i]));
    expect(by['村工会']!.parent).toEqual({ row: 3 });
    expect(by['镇总工会']!.parent).toEqual({ row: 4 });
    expect(by['乙区总工会']!.parent).toEqual({ id: 1 });
    expect(by['丙镇工会']!.parent).toEqual({ id: 2 });
  });

  it('matches existing organizations (by code, or by parent and name) as updates or unchanged', () => {
    const p = planOrgTree(
      [
        row(2, '甲区总工会', 'county', '市总工会'),
        { ...row(3, '市总工会', 'city', '', 'CITY'), contactName: '王' },
      ],
      existing,
    );
    expect(p.errors).toEqual([]);
    expect(p.items.map((i) => [i.action, i.id])).toEqual([
      ['unchanged', 2],
      ['update', 1],
    ]);
  });

  it('refuses cycles, self-parents, duplicates, unknown and ambiguous parents, and levels above the parent', () => {
    const p = planOrgTree(
      [
        row(2, '甲', 'county', 'Y', 'X'),
        row(3, '乙', 'county', 'Z', 'Y'),
        row(4, '丙', 'county', 'X', 'Z'),
        row(5, '丁', 'county', 'S', 'S'),
        row(6, '戊', 'township', '甲区总工会'),
        row(7, '戊', 'township', '市总工会/甲区总工会'),
        row(8, '己', 'township', '没有这个组织'),
        row(9, '庚', 'city', '甲区总工会'),
        row(10, '重名', 'county', '市总工会'),
        row(11, '重名', 'county', '团市委'),
        row(12, '辛', 'township', '重名'),
      ],
      existing,
    );
    const msg = (n: number) =>
      p.errors
        .filter((e) => e.row === n)
        .map((e) => e.message)
        .join();
    for (const n of [2, 3, 4]) expect(msg(n)).toMatch(/成环/);
    expect(msg(5)).toMatch(/不能是本行自己/);
    expect(msg(6)).toBe('');
    expect(msg(7)).toMatch(/与第 6 行是同一个组织/);
    expect(msg(8)).toMatch(/不存在/);
    expect(msg(9)).toMatch(/层级不能高于/);
    expect(msg(12)).toMatch(/不唯一/);
  });

  it('refuses two rows with one code and a credit code held by another organization', () => {
    const p = planOrgTree(
      [
        row(2, '甲', 'county', '市总工会', 'K'),
        row(3, '乙', 'county', '市总工会', 'k'),
        { ...row(4, '丙', 'county', '市总工会'), creditCode: 'C1' },
        { ...row(5, '丁', 'county', '市总工会'), creditCode: 'C1' },
      ],
      existing,
    );
    expect(p.errors.map((e) => [e.row, e.column])).toEqual([
      [3, '组织编码'],
      [5, '统一社会信用代码'],
    ]);
  });
});

describe('templates, init and configuration', () => {
  it('maps headers with or without the required mark and names what is missing or renamed', () => {
    const ok = mapColumns(ORG_COLUMNS, ['*组织全称', '组织类型', ' 层级 ', '*行政区划代码', '上级组织']);
    expect('index' in ok && ok.index.parent).toBe(4);
    const bad = mapColumns(ORG_COLUMNS, ['名称', '组织类型', '层级', '行政区划代码']);
    expect(bad).toEqual({ missing: ['组织全称'], unknown: ['名称'] });
  });

  it('one-time passwords pass the policy and differ', () => {
    const a = oneTimePassword();
    expect(checkPassword(a)).toEqual([]);
    expect(a).not.toBe(oneTimePassword());
  });

  it('names the root organizations after the city', () => {
    expect(rootOrgNames('张家口市').map((o) => o.name)).toContain('张家口市总工会');
  });

  it('never seeds the demo city in production unless asked', () => {
    const keys = { NIUDAI_PII_KEYS: 'k1:AAAA', NIUDAI_HASH_KEY: 'AAAA' };
    expect(loadConfig({ NODE_ENV: 'production', ...keys }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', NIUDAI_SEED_DEMO: 'true', ...keys }).seedDemo).toBe(true);
  });
});
