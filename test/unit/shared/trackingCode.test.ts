import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  formatTrackingCode,
  isTrackingCode,
  newTrackingCode,
  normalizeTrackingCode,
  TRACKING_ALPHABET,
  TRACKING_CODE_LENGTH,
} from '../../../src/shared/trackingCode.js';

const cryptoSource = (n: number) => new Uint8Array(randomBytes(n));

describe('tracking codes', () => {
  it('uses a 31-symbol alphabet without ambiguous characters', () => {
    expect(TRACKING_ALPHABET).toHaveLength(31);
    expect(new Set(TRACKING_ALPHABET).size).toBe(31);
    for (const c of '01OIL') expect(TRACKING_ALPHABET).not.toContain(c);
  });

  it('generates valid 10-character codes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const code = newTrackingCode(cryptoSource);
      expect(code).toHaveLength(TRACKING_CODE_LENGTH);
      expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
      expect(isTrackingCode(code)).toBe(true);
      seen.add(code);
    }
    expect(seen.size).toBe(1000);
  });

  it('is deterministic for a given byte source and skips biased bytes', () => {
    const zeros = () => new Uint8Array(9);
    expect(newTrackingCode(zeros)).toBe('2222222222');
    // 248..255 are rejected; 32 ≡ 1 (mod 31) maps to the second symbol.
    let calls = 0;
    const source = (n: number) => (calls++ === 0 ? new Uint8Array(n).fill(255) : new Uint8Array(n).fill(32));
    const code = newTrackingCode(source);
    expect(code.slice(0, 9)).toBe('333333333');
    expect(calls).toBe(2);
  });

  it('fails loudly on a broken random source', () => {
    expect(() => newTrackingCode((n) => new Uint8Array(n).fill(250))).toThrow();
  });

  it('detects every single-character substitution and adjacent transposition', () => {
    for (let k = 0; k < 50; k++) {
      const code = newTrackingCode(cryptoSource);
      for (let i = 0; i < code.length; i++) {
        for (const c of TRACKING_ALPHABET) {
          if (c === code[i]) continue;
          expect(isTrackingCode(code.slice(0, i) + c + code.slice(i + 1))).toBe(false);
        }
        if (i + 1 < code.length && code[i] !== code[i + 1]) {
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          expect(isTrackingCode(swapped)).toBe(false);
        }
      }
    }
  });

  it('normalizes case, spaces and hyphens', () => {
    const code = newTrackingCode(cryptoSource);
    const messy = ` ${code.slice(0, 5).toLowerCase()}-${code.slice(5)} `;
    expect(normalizeTrackingCode(messy)).toBe(code);
    expect(isTrackingCode(messy)).toBe(true);
    expect(formatTrackingCode(messy)).toBe(`${code.slice(0, 5)}-${code.slice(5)}`);
  });

  it('rejects wrong lengths and foreign characters', () => {
    const code = newTrackingCode(cryptoSource);
    expect(isTrackingCode(code.slice(0, 9))).toBe(false);
    expect(isTrackingCode(`${code}2`)).toBe(false);
    expect(isTrackingCode(`0${code.slice(1)}`)).toBe(false);
    expect(isTrackingCode('')).toBe(false);
    expect(formatTrackingCode('nope')).toBe('nope');
  });
});
