import { describe, expect, it } from 'vitest';
import { CASES, CLASS_NAMES } from '../decompose/phenomena/cases';
import { runSuite, SUITE_GOAL } from '../decompose/phenomena/run';

describe('phenomenon suite', () => {
  it('has at least five cases for every class, in both batches together', () => {
    for (const cls of Object.keys(CLASS_NAMES).map(Number))
      expect(CASES.filter((c) => c.cls === cls).length, CLASS_NAMES[cls]).toBeGreaterThanOrEqual(5);
  });

  it(`meets ≥ ${SUITE_GOAL} per class in Simplified and Traditional`, () => {
    const below = runSuite()
      .filter((c) => c.passed / c.total < SUITE_GOAL)
      .map((c) => ({
        cls: c.cls,
        name: CLASS_NAMES[c.cls],
        score: `${c.passed}/${c.total}`,
        failures: c.failures,
      }));
    expect(below).toEqual([]);
  }, 60_000);
});
