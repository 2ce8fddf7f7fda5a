import { describe, expect, it } from 'vitest';
import { exitStreak } from '../../../src/server/modules/assistance/cases/income.js';
import {
  DEFAULT_EXIT_RULE,
  ELIGIBILITY_NAMES,
  EXIT_NAMES,
  ruleTest,
} from '../../../src/server/modules/assistance/rules.js';
import { DEMO_RULES } from '../../../src/server/modules/assistance/seed.js';
import { compileRule } from '../../../src/shared/assistance/ruleAdapter.js';

describe('assistance rules through the platform evaluator', () => {
  it('refuses what cannot be evaluated, with the position', () => {
    const unknown = compileRule('perCapitaIncom > line', EXIT_NAMES);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.position).toBe(0);
    const syntax = compileRule('perCapitaIncome > ', EXIT_NAMES);
    expect(syntax.ok).toBe(false);
    const notBoolean = compileRule('perCapitaIncome + 1', EXIT_NAMES);
    expect(notBoolean.ok).toBe(false);
    const typeMismatch = compileRule('category > 3', EXIT_NAMES);
    expect(typeMismatch.ok).toBe(false);
    expect(compileRule('perCapitaIncome > line and category != "dibao"', EXIT_NAMES).ok).toBe(true);
  });

  it('compiles the demo programs and gives amounts by level for archived families and others', () => {
    const amount = (env: Record<string, string | number | boolean>) =>
      DEMO_RULES.education.amounts.find((a) => ruleTest(a.when, ELIGIBILITY_NAMES)(env))?.amount;
    const base = {
      status: 'archived',
      category: 'illness',
      primaryCause: 'illness',
      perCapitaIncome: 500,
      householdIncome: 1500,
      members: 3,
      studentCount: 1,
      regionCode: '130702000000',
      schooling: 'higher',
      relation: 'child',
    };
    expect(
      ruleTest(
        DEMO_RULES.education.eligibility,
        ELIGIBILITY_NAMES,
      )({ ...base, archived: true, level: 'county' }),
    ).toBe(true);
    expect(
      ruleTest(
        DEMO_RULES.education.eligibility,
        ELIGIBILITY_NAMES,
      )({ ...base, archived: true, level: 'county', schooling: 'none' }),
    ).toBe(false);
    expect(amount({ ...base, archived: true, level: 'county' })).toBe(500_000);
    expect(amount({ ...base, archived: true, level: 'grassroots' })).toBe(300_000);
    expect(amount({ ...base, archived: false, level: 'city' })).toBe(400_000);
    expect(amount({ ...base, archived: false, level: 'grassroots' })).toBe(200_000);
    expect(
      ruleTest(
        DEMO_RULES.warmth.eligibility,
        ELIGIBILITY_NAMES,
      )({ ...base, archived: false, level: 'city', status: 'applied' }),
    ).toBe(false);
  });

  it('counts the exit streak on per-capita income against the line', () => {
    const rule = { ...DEFAULT_EXIT_RULE, line: 80_000, months: 3 };
    const m = (month: string, yuan: number, members = 2) => ({ month, total: yuan * 100, members });
    expect(exitStreak(rule, [m('2026-01', 1700), m('2026-02', 1700), m('2026-03', 1700)], 'dibao')).toBe(3);
    expect(exitStreak(rule, [m('2026-01', 1700), m('2026-02', 1600), m('2026-03', 1700)], 'dibao')).toBe(1);
    expect(exitStreak(rule, [m('2026-01', 1700, 3), m('2026-02', 1700), m('2026-03', 1700)], 'dibao')).toBe(
      2,
    );
    expect(
      exitStreak(
        { ...rule, expr: 'perCapitaIncome > line and category != "dibao"' },
        [m('2026-03', 9000)],
        'dibao',
      ),
    ).toBe(0);
  });
});
