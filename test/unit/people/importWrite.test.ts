import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { arrayLiteral } from '../../../src/server/modules/people/import/batch.js';
import { Pii } from '../../../src/server/platform/pii.js';

describe('field encryption with IVs drawn ahead', () => {
  it('gives every value a fresh IV across pool refills and stays decryptable in the v1 format', () => {
    const pii = new Pii([{ id: 'k1', key: randomBytes(32) }], randomBytes(32));
    const ivs = new Set<string>();
    // 5,000 values cross at least one refill of the 4,096-IV pool
    for (let i = 0; i < 5_000; i++) {
      const plain = `13${String(i).padStart(9, '0')}`;
      const blob = pii.encrypt(plain);
      const parts = blob.split('.');
      expect(parts).toHaveLength(5);
      expect(parts[0]).toBe('v1');
      expect(parts[1]).toBe('k1');
      expect(Buffer.from(parts[2]!, 'base64url')).toHaveLength(12);
      expect(Buffer.from(parts[3]!, 'base64url')).toHaveLength(16);
      ivs.add(parts[2]!);
      expect(pii.decrypt(blob)).toBe(plain);
    }
    expect(ivs.size).toBe(5_000);
    expect(pii.decrypt(pii.encrypt(''))).toBe('');
    expect(pii.decrypt(pii.encrypt('张三·阿依古丽'))).toBe('张三·阿依古丽');
  }, 30_000);
});

describe('array literals of a batch', () => {
  it('quotes text, escapes quotes and backslashes, writes NULL, numbers and booleans', () => {
    expect(arrayLiteral(['a', null, 'b"c', 'd\\e', '', 'NULL', 'x,y {z}'])).toBe(
      '{"a",NULL,"b\\"c","d\\\\e","","NULL","x,y {z}"}',
    );
    expect(arrayLiteral([1, 2.5, true, false, undefined])).toBe('{1,2.5,true,false,NULL}');
    expect(arrayLiteral([])).toBe('{}');
  });
});
