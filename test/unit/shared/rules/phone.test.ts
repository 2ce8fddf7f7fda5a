import { describe, expect, it } from 'vitest';
import {
  isLandline,
  isMobile,
  normalizePhone,
  parsePhone,
  validatePhone,
} from '../../../../src/shared/rules/phone.js';

describe('parsePhone', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['138 1234 5678', '13812345678'],
    ['138-1234-5678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['+8613812345678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['１３８１２３４５６７８', '13812345678'],
    ['19912345678', '19912345678'],
  ])('normalizes mobile %j', (input, value) => {
    expect(parsePhone(input)).toEqual({ ok: true, kind: 'mobile', value });
  });

  it.each([
    ['010-12345678', '010-12345678', '010'],
    ['01012345678', '010-12345678', '010'],
    ['(021) 6123 4567', '021-61234567', '021'],
    ['0313-1234567', '0313-1234567', '0313'],
    ['03131234567', '0313-1234567', '0313'],
    ['0755-87654321', '0755-87654321', '0755'],
    ['+86 10 1234 5678', '010-12345678', '010'],
    ['+86 313 1234567', '0313-1234567', '0313'],
  ])('normalizes landline %j', (input, value, areaCode) => {
    expect(parsePhone(input)).toEqual({ ok: true, kind: 'landline', value, areaCode });
  });

  it.each([
    '12812345678',
    '1381234567',
    '138123456789',
    '010-123456',
    '010-123456789',
    '0313-0123456',
    '12345678',
    '138abc45678',
    '+1 138 1234 5678',
  ])('rejects %j', (input) => {
    expect(parsePhone(input)).toEqual({ ok: false, reason: 'format' });
  });

  it('reports empty input', () => {
    expect(parsePhone('  ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('offers boolean and normalizing helpers', () => {
    expect(isMobile('13812345678')).toBe(true);
    expect(isMobile('010-12345678')).toBe(false);
    expect(isLandline('010-12345678')).toBe(true);
    expect(normalizePhone('+86 138-1234-5678')).toBe('13812345678');
    expect(normalizePhone('nope')).toBeNull();
    expect(validatePhone('0313 1234567')).toEqual(parsePhone('0313-1234567'));
  });
});
