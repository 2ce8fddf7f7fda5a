import { describe, expect, it } from 'vitest';
import {
  isWithinRegion,
  regionLevel,
  regionPrefix,
  toRegionCode12,
} from '../../../../src/shared/regions/regionCode.js';

describe('region codes', () => {
  it('pads codes of every level to 12 digits', () => {
    expect(toRegionCode12('13')).toBe('130000000000');
    expect(toRegionCode12('1307')).toBe('130700000000');
    expect(toRegionCode12('130702')).toBe('130702000000');
    expect(toRegionCode12('130702001')).toBe('130702001000');
    expect(toRegionCode12('130702001001')).toBe('130702001001');
    expect(() => toRegionCode12('1307020')).toThrow(RangeError);
    expect(() => toRegionCode12('13a7')).toThrow(RangeError);
  });

  it('derives level and prefix', () => {
    expect(regionLevel('130000000000')).toBe(1);
    expect(regionLevel('130700000000')).toBe(2);
    expect(regionLevel('130702000000')).toBe(3);
    expect(regionLevel('130702001000')).toBe(4);
    expect(regionLevel('130702001001')).toBe(5);
    expect(regionPrefix('130702001000')).toBe('130702001');
    expect(() => regionLevel('1307')).toThrow(RangeError);
  });

  it('tests containment', () => {
    expect(isWithinRegion('130702001001', '130700000000')).toBe(true);
    expect(isWithinRegion('130700000000', '130700000000')).toBe(true);
    expect(isWithinRegion('130802001001', '130700000000')).toBe(false);
  });
});
