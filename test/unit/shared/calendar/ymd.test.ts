import { describe, expect, it } from 'vitest';
import {
  shanghaiDateTime,
  shanghaiDays,
  shanghaiYmd,
  ymdToDays,
} from '../../../../src/shared/calendar/ymd.js';

describe('shanghaiDays', () => {
  it('is the day count of the Asia/Shanghai date, on both sides of midnight there', () => {
    const instants = [
      '1970-01-01T00:00:00Z',
      '1969-12-31T15:59:59.999Z', // 23:59:59.999 in Shanghai
      '1969-12-31T16:00:00Z', // 00:00 in Shanghai, 1970-01-01
      '2026-11-26T15:59:59Z',
      '2026-11-26T16:00:00Z',
      '2000-02-29T12:00:00Z',
      '1949-10-01T02:00:00Z',
    ].map((s) => new Date(s));
    for (const d of instants) expect(shanghaiDays(d), d.toISOString()).toBe(ymdToDays(shanghaiYmd(d)));
    expect(
      shanghaiDays(new Date('2026-11-26T16:00:00Z')) - shanghaiDays(new Date('2026-11-26T15:59:59Z')),
    ).toBe(1);
  });

  it('refuses an invalid date', () => {
    expect(() => shanghaiDays(new Date('x'))).toThrow(RangeError);
  });
});

describe('shanghaiDateTime', () => {
  it('is the wall-clock time in Asia/Shanghai, whatever the process timezone', () => {
    expect(shanghaiDateTime(new Date('2026-11-26T15:59:59.900Z'))).toBe('2026-11-26 23:59:59');
    expect(shanghaiDateTime(new Date('2026-11-26T16:00:00Z'))).toBe('2026-11-27 00:00:00');
    expect(() => shanghaiDateTime(new Date('x'))).toThrow(RangeError);
  });
});
