import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from '../../../src/shared/mask.js';

describe('maskIdNumber', () => {
  it('keeps the region code and the last 4 characters', () => {
    expect(maskIdNumber('110105199001011234')).toBe('110105********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('110105900101123')).toBe('110105*****1123');
  });

  it('masks short input entirely', () => {
    expect(maskIdNumber('12345')).toBe('*****');
  });
});

describe('maskPhone', () => {
  it('masks the middle of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
  });

  it('keeps the area code and last 2 digits of a landline', () => {
    expect(maskPhone('010-12345678')).toBe('010-******78');
    expect(maskPhone('03131234567')).toBe('0313-*****67');
  });

  it('keeps only the last 2 characters of anything else', () => {
    expect(maskPhone('12345')).toBe('***45');
  });
});

describe('maskName', () => {
  it('keeps the first character', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName(' 李四 ')).toBe('李*');
  });

  it('keeps separator dots of transliterated names', () => {
    expect(maskName('阿依·买买提')).toBe('阿*·***');
  });

  it('masks a single character and handles empty input', () => {
    expect(maskName('王')).toBe('*');
    expect(maskName('')).toBe('');
  });

  it('treats astral characters as one', () => {
    expect(maskName('𠮷野家')).toBe('𠮷**');
  });
});
