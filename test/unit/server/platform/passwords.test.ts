import { describe, expect, it } from 'vitest';
import {
  derivedFromAccount,
  isCommonPassword,
  passwordCore,
} from '../../../../src/server/modules/auth/passwords.js';

describe('password policy helpers', () => {
  it('reads the letters a password is built on', () => {
    expect(passwordCore('Zhangwei@2026!')).toBe('zhangwei');
    expect(passwordCore('P@ssw0rd123')).toBe('password');
    expect(passwordCore('2026#Li.Hua')).toBe('lihua');
    expect(passwordCore('12345678')).toBe('');
  });

  it('knows the common passwords whatever their case, and not ordinary strong ones', () => {
    for (const p of [
      'Password1',
      'PASSW0RD',
      'Qwerty123',
      'woaini1314',
      'Woaini520',
      'Demo@2026!',
      'Admin@123',
      '1qaz2wsx',
    ])
      expect(isCommonPassword(p), p).toBe(true);
    for (const p of ['Ferry-Lantern-42', 'Tide#Mill9x', 'Probe#2026x'])
      expect(isCommonPassword(p), p).toBe(false);
  });

  it('finds passwords built on the username, its parts, or the name in pinyin (either order)', () => {
    const who = { username: 'county1.union', displayName: '张伟' };
    for (const p of [
      'County1.Union',
      'County1union!',
      'xCounty1.Union2026',
      'Union@2026',
      'County@1',
      'Zhangwei@88',
      'WeiZhang#1',
      'Wei#Zhang88',
    ])
      expect(derivedFromAccount(p, who), p).toBe(true);
    for (const p of ['Ferry-Lantern-42', 'Countryside#7', 'Zhao#Lei2026'])
      expect(derivedFromAccount(p, who), p).toBe(false);
    expect(derivedFromAccount('Smith#2026', { username: 'j.doe', displayName: 'John Smith' })).toBe(true);
  });
});
