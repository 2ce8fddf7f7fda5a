import { describe, expect, it } from 'vitest';
import {
  checkPassword,
  isPasswordAcceptable,
  passwordClasses,
} from '../../../../src/shared/rules/password.js';

describe('checkPassword', () => {
  it.each(['Abcdefg1', 'abcdefg1!', 'ABCDEFG1!', 'Abcdefg!', 'Aa1!Aa1!', '纽带Ab12345'])(
    'accepts %j',
    (pw) => {
      expect(checkPassword(pw)).toEqual([]);
      expect(isPasswordAcceptable(pw)).toBe(true);
    },
  );

  it('requires at least 8 characters', () => {
    expect(checkPassword('Ab1!Ab1')).toEqual(['minLength']);
  });

  it('requires at least 3 character classes', () => {
    expect(checkPassword('abcdefgh')).toEqual(['classes']);
    expect(checkPassword('abcd1234')).toEqual(['classes']);
    expect(checkPassword('ABCD!@#$')).toEqual(['classes']);
  });

  it('limits the length to 128', () => {
    expect(checkPassword(`Aa1!${'x'.repeat(124)}`)).toEqual([]);
    expect(checkPassword(`Aa1!${'x'.repeat(125)}`)).toEqual(['maxLength']);
  });

  it('reports several failed rules at once', () => {
    expect(checkPassword('abc')).toEqual(['minLength', 'classes']);
    expect(checkPassword('')).toEqual(['minLength', 'classes']);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(checkPassword('Aa1😀😀😀😀')).toEqual(['minLength']);
  });

  it('does not count whitespace as a symbol', () => {
    expect(passwordClasses('abc def')).toBe(1);
    expect(passwordClasses('aB3$')).toBe(4);
  });
});
