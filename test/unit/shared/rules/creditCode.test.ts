import { describe, expect, it } from 'vitest';
import {
  CREDIT_CODE_CHARSET,
  creditCodeCheckChar,
  makeCreditCode,
  validateCreditCode,
} from '../../../../src/shared/rules/creditCode.js';

describe('validateCreditCode', () => {
  it.each(['91350100M000100Y43', '91440300708461136T'])('accepts the published code %s', (code) => {
    expect(validateCreditCode(code)).toEqual({ ok: true, value: code });
  });

  it('normalizes case and whitespace', () => {
    expect(validateCreditCode(' 91350100m000100y43\n')).toEqual({ ok: true, value: '91350100M000100Y43' });
  });

  it('reports length, charset, region and checksum failures', () => {
    expect(validateCreditCode('91350100M000100Y4')).toEqual({ ok: false, reason: 'length' });
    expect(validateCreditCode('91350100M000100Y433')).toEqual({ ok: false, reason: 'length' });
    for (const bad of ['I', 'O', 'S', 'V', 'Z', '-']) {
      expect(validateCreditCode(`91350100M000100${bad}43`)).toEqual({ ok: false, reason: 'charset' });
    }
    expect(validateCreditCode(makeCreditCode('9135A100M000100Y4'))).toEqual({ ok: false, reason: 'region' });
    expect(validateCreditCode('91350100M000100Y44')).toEqual({ ok: false, reason: 'checksum' });
  });

  it('detects every single-character substitution', () => {
    const valid = '91440300708461136T';
    for (let i = 0; i < 18; i++) {
      for (const c of CREDIT_CODE_CHARSET) {
        if (c === valid[i]) continue;
        const changed = valid.slice(0, i) + c + valid.slice(i + 1);
        expect(validateCreditCode(changed).ok).toBe(false);
      }
    }
  });
});

describe('makeCreditCode', () => {
  it('computes the check character, including the 31 → 0 case', () => {
    expect(makeCreditCode('91350100M000100Y4')).toBe('91350100M000100Y43');
    expect(makeCreditCode('91440300708461136')).toBe('91440300708461136T');
    // Find a prefix whose weighted sum is ≡ 0 (mod 31): its check character is '0'.
    let found = false;
    for (const c of CREDIT_CODE_CHARSET) {
      const head = `9111000010000${c}643`;
      if (creditCodeCheckChar(head) === '0') {
        expect(validateCreditCode(`${head}0`).ok).toBe(true);
        found = true;
      }
    }
    expect(found).toBe(true);
  });

  it('throws on invalid characters or length', () => {
    expect(() => makeCreditCode('91350100M000100I4')).toThrow(RangeError);
    expect(() => makeCreditCode('91350100M000100')).toThrow(RangeError);
  });
});
