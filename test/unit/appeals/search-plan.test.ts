import { describe, expect, it } from 'vitest';
import { indexedGrams } from '../../../src/server/modules/appeals/query.js';

describe('which bigrams the search looks up in the index', () => {
  const freq = new Map([
    ['我在', 1],
    ['工作', 0.9],
    ['工资', 0.2],
    ['拖欠', 0.05],
  ]);
  it('leaves near-ubiquitous ones to the substring recheck', () => {
    expect(indexedGrams(['我在', '拖欠', '工资'], freq)).toEqual(['拖欠', '工资']);
    expect(indexedGrams(['工资', '资条'], freq)).toEqual(['工资', '资条']);
  });
  it('uses the rarest when every one is ubiquitous, and all without statistics', () => {
    expect(indexedGrams(['我在', '工作'], freq)).toEqual(['工作']);
    expect(indexedGrams(['我在', '工作'], new Map())).toEqual(['我在', '工作']);
  });
});
