import { describe, expect, it } from 'vitest';
import {
  idNumberCheckChar,
  isIdNumber,
  makeIdNumber,
  parseIdNumber,
} from '../../../../src/shared/rules/idNumber.js';

const today = new Date('2026-03-01T12:00:00+08:00');

describe('parseIdNumber', () => {
  it('accepts the GB 11643 example and decomposes it', () => {
    expect(parseIdNumber('11010519491231002X', { today })).toEqual({
      ok: true,
      value: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'F',
      regionCode: '110105',
    });
  });

  it('normalizes a lowercase x and surrounding whitespace', () => {
    const r = parseIdNumber(' 11010519491231002x ', { today });
    expect(r.ok && r.value).toBe('11010519491231002X');
  });

  it('derives gender from the sequence parity', () => {
    const male = parseIdNumber(makeIdNumber('130702', '19900101', '123'), { today });
    const female = parseIdNumber(makeIdNumber('130702', '19900101', '124'), { today });
    expect(male.ok && male.gender).toBe('M');
    expect(female.ok && female.gender).toBe('F');
  });

  it.each(['', '1101051949123100', '11010519491231002Y', '01010519491231002X', '110105194912310021X', 'abc'])(
    'rejects %j as format',
    (s) => {
      expect(parseIdNumber(s, { today })).toEqual({ ok: false, reason: 'format' });
    },
  );

  it('detects any single changed digit via the checksum', () => {
    const valid = '11010519491231002X';
    for (let i = 0; i < 17; i++) {
      const d = (Number(valid[i]) + 1) % 10;
      if (i === 0 && d === 0) continue;
      const changed = valid.slice(0, i) + d + valid.slice(i + 1);
      expect(parseIdNumber(changed, { today })).toEqual({ ok: false, reason: 'checksum' });
    }
    expect(parseIdNumber('110105194912310021', { today })).toEqual({ ok: false, reason: 'checksum' });
  });

  it('rejects impossible, pre-1900 and future birth dates', () => {
    const feb30 = `11010519900230001`;
    expect(parseIdNumber(feb30 + idNumberCheckChar(feb30), { today })).toEqual({
      ok: false,
      reason: 'birthDate',
    });
    // GB 11643's own example born 1880: valid checksum, outside the accepted range.
    expect(parseIdNumber('440524188001010014', { today })).toEqual({ ok: false, reason: 'birthDate' });
    const future = makeIdNumber('110105', '20260302', '001');
    expect(parseIdNumber(future, { today })).toEqual({ ok: false, reason: 'birthDate' });
    expect(parseIdNumber(makeIdNumber('110105', '20260301', '001'), { today }).ok).toBe(true);
    expect(parseIdNumber(makeIdNumber('110105', '20000229', '001'), { today }).ok).toBe(true);
    const notLeap = '11010519000229001';
    expect(parseIdNumber(notLeap + idNumberCheckChar(notLeap), { today }).ok).toBe(false);
  });

  it('uses the Asia/Shanghai date for "today"', () => {
    const id = makeIdNumber('110105', '20260301', '001');
    // 2026-02-28T16:30Z is 2026-03-01 00:30 in Shanghai.
    expect(isIdNumber(id, { today: new Date('2026-02-28T16:30:00Z') })).toBe(true);
    expect(isIdNumber(id, { today: new Date('2026-02-28T15:30:00Z') })).toBe(false);
  });
});

describe('makeIdNumber', () => {
  it('appends the MOD 11-2 check character', () => {
    expect(makeIdNumber('110105', '19491231', '002')).toBe('11010519491231002X');
    expect(makeIdNumber('440524', '18800101', '001')).toBe('440524188001010014');
  });

  it('rejects malformed parts', () => {
    expect(() => makeIdNumber('11010', '19491231', '002')).toThrow(RangeError);
    expect(() => makeIdNumber('110105', '19491331', '002')).toThrow(RangeError);
    expect(() => makeIdNumber('110105', '19491231', '02')).toThrow(RangeError);
  });
});
