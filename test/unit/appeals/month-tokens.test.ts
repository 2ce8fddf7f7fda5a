import { describe, expect, it } from 'vitest';
import { monthToken, monthTokens } from '../../../src/shared/appeals/search.js';

describe('month tokens of the appeal search', () => {
  it('names the month of Asia/Shanghai, whatever the UTC date', () => {
    expect(monthToken(new Date('2026-05-31T15:59:59Z'))).toBe('@2026-05');
    expect(monthToken(new Date('2026-05-31T16:00:00Z'))).toBe('@2026-06');
    expect(monthToken(new Date('2026-12-31T16:30:00Z'))).toBe('@2027-01');
  });
  it('lists the newest months first, across a year', () => {
    expect(monthTokens(new Date('2026-02-10T00:00:00Z'), 4)).toEqual([
      '@2026-02',
      '@2026-01',
      '@2025-12',
      '@2025-11',
    ]);
    expect(monthTokens(new Date('2026-03-31T17:00:00Z'), 1)).toEqual(['@2026-04']);
  });
});
