import { describe, expect, it } from 'vitest';
import {
  parseCsvLine,
  type RegionRow,
  readRegions,
} from '../../../../../src/server/platform/regions/loadRegions.js';
import { isWithinRegion, regionLevel } from '../../../../../src/shared/regions/regionCode.js';

async function collect(cityCode: string): Promise<RegionRow[]> {
  const rows: RegionRow[] = [];
  for await (const r of readRegions({ cityCode })) rows.push(r);
  return rows;
}

describe('parseCsvLine', () => {
  it('handles quoted fields, escaped quotes and empty fields', () => {
    expect(parseCsvLine('110101,"东城区",1101,11')).toEqual(['110101', '东城区', '1101', '11']);
    expect(parseCsvLine('1,"a, ""b""",,x')).toEqual(['1', 'a, "b"', '', 'x']);
    expect(parseCsvLine('a,')).toEqual(['a', '']);
  });
});

describe('readRegions', () => {
  it('streams 张家口市 (1307) with consistent parents', { timeout: 30_000 }, async () => {
    const rows = await collect('1307');
    const byLevel = [1, 2, 3, 4, 5].map((l) => rows.filter((r) => r.level === l).length);
    expect(byLevel[0]).toBe(1);
    expect(byLevel[1]).toBe(1);
    expect(byLevel[2]).toBeGreaterThanOrEqual(5);
    expect(byLevel[3]).toBeGreaterThanOrEqual(50);
    expect(byLevel[4]).toBeGreaterThanOrEqual(500);

    expect(rows[0]).toEqual({ code: '130000000000', name: '河北省', level: 1, parentCode: null });
    expect(rows[1]).toEqual({ code: '130700000000', name: '张家口市', level: 2, parentCode: '130000000000' });
    expect(rows).toContainEqual({
      code: '130702000000',
      name: '桥东区',
      level: 3,
      parentCode: '130700000000',
    });

    const codes = new Set(rows.map((r) => r.code));
    expect(codes.size).toBe(rows.length);
    const position = new Map(rows.map((r, i) => [r.code, i]));
    for (const [i, r] of rows.entries()) {
      expect(r.code).toMatch(/^\d{12}$/);
      expect(regionLevel(r.code)).toBe(r.level);
      expect(r.name).not.toBe('');
      if (r.level === 1) continue;
      expect(r.parentCode).not.toBeNull();
      expect(position.get(r.parentCode!)).toBeLessThan(i); // parents come first
      expect(isWithinRegion(r.code, r.parentCode!)).toBe(true);
      if (r.level > 2) expect(r.code.startsWith('1307')).toBe(true);
    }
  });

  it('skips placeholder divisions that repeat their parent code (东莞市)', { timeout: 30_000 }, async () => {
    const rows = await collect('4419');
    expect(new Set(rows.map((r) => r.code)).size).toBe(rows.length);
    expect(rows.filter((r) => r.level === 3)).toEqual([]);
    const street = rows.find((r) => r.level === 4);
    expect(street?.parentCode).toBe('441900000000');
  });

  it('rejects malformed or unknown city codes', async () => {
    await expect(collect('13')).rejects.toThrow(RangeError);
    await expect(collect('1399')).rejects.toThrow(/unknown/);
  });
});
