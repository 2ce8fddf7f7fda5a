import { describe, expect, it } from 'vitest';
import {
  checkScheme,
  curveScore,
  gradeUnits,
  type SchemeDefinition,
  schemeDefinition,
  scoreUnit,
} from '../../../../src/shared/assessment/scheme.js';

const known = new Set(['appeals.satisfaction_rate', 'tasks.overdue', 'tasks.listed_open']);
const def: SchemeDefinition = schemeDefinition.parse({
  groups: [
    { code: 'G1', name: '维权', weight: 60 },
    { code: 'G2', name: '组织', weight: 40 },
  ],
  items: [
    {
      code: 'S',
      group: 'G1',
      name: '满意率',
      kind: 'computed',
      weight: 100,
      indicator: 'appeals.satisfaction_rate',
      curve: { zero: 60, full: 100 },
    },
    { code: 'M', group: 'G2', name: '建设', kind: 'manual', weight: 100 },
  ],
  adjustments: [
    { code: 'D', name: '逾期', kind: 'deduction', indicator: 'tasks.overdue', perUnit: 2, max: 6 },
    { code: 'B', name: '创新', kind: 'bonus', max: 5 },
  ],
  bonusCap: 3,
  vetoes: [{ code: 'V', name: '挂牌未办结', indicator: 'tasks.listed_open', above: 0 }],
});

describe('checkScheme', () => {
  it('accepts a sound scheme', () => expect(checkScheme(def, known)).toEqual([]));
  it('refuses weights that do not add up, unknown indicators, flat curves, unordered grades, quotas of unknown grades', () => {
    const bad = structuredClone(def);
    bad.groups[0]!.weight = 50;
    bad.items[0]!.indicator = 'nope';
    bad.items[1]!.weight = 90;
    bad.grades = [...bad.grades].reverse();
    bad.quotas = { '9': 10 };
    const msgs = checkScheme(bad, known).map((p) => p.message);
    expect(msgs.some((m) => m.includes('各组权重之和应为 100，现为 90'))).toBe(true);
    expect(msgs.some((m) => m.includes('内指标权重之和应为 100，现为 90'))).toBe(true);
    expect(msgs.some((m) => m.includes('nope'))).toBe(true);
    expect(msgs.some((m) => m.includes('从高到低'))).toBe(true);
    expect(msgs.some((m) => m.includes('「9」'))).toBe(true);
  });
});

describe('scoring', () => {
  it('scores along a linear curve, clamped, also lower-is-better', () => {
    expect(curveScore(80, { zero: 60, full: 100 })).toBe(0.5);
    expect(curveScore(50, { zero: 60, full: 100 })).toBe(0);
    expect(curveScore(120, { zero: 60, full: 100 })).toBe(1);
    expect(curveScore(2, { zero: 10, full: 0 })).toBe(0.8);
  });

  it('adds groups by weight, caps bonus and deduction, applies vetoes', () => {
    const s = scoreUnit(
      def,
      { 'appeals.satisfaction_rate': 90, 'tasks.overdue': 5, 'tasks.listed_open': 0 },
      { M: { score: 100 } },
      { M: { score: 50 }, B: { score: 5 } },
    );
    // 60 × 0.75 + 40 × 0.5 = 65; deduction min(10, 6) = 6; bonus min(5, cap 3) = 3
    expect(s.items.map((i) => i.points)).toEqual([45, 20]);
    expect(s.items[1]!.source).toBe('review');
    expect(s.deduction).toBe(6);
    expect(s.bonus).toBe(3);
    expect(s.total).toBe(62);
    expect(s.vetoes).toEqual([]);
    const v = scoreUnit(def, { 'appeals.satisfaction_rate': null, 'tasks.listed_open': 2 }, {}, {});
    expect(v.items[0]!.score).toBe(100);
    expect(v.vetoes.map((x) => x.code)).toEqual(['V']);
  });

  it('grades by thresholds with quotas, ranks with ties, vetoed units last and ungraded', () => {
    const units = [
      { orgId: 1, total: 95, vetoed: false },
      { orgId: 2, total: 93, vetoed: false },
      { orgId: 3, total: 93, vetoed: false },
      { orgId: 4, total: 85, vetoed: false },
      { orgId: 5, total: 99, vetoed: true },
      { orgId: 6, total: 40, vetoed: false },
      { orgId: 7, total: 91, vetoed: false },
      { orgId: 8, total: 72, vetoed: false },
      { orgId: 9, total: 88, vetoed: false },
      { orgId: 10, total: 65, vetoed: false },
      { orgId: 11, total: 90, vetoed: false },
    ];
    const g = gradeUnits(def, units);
    // 10 graded: 5★ ≤ 2, 4★ ≤ 6
    expect(g.get(1)).toEqual({ grade: '5', rank: 1 });
    expect(g.get(2)).toEqual({ grade: '5', rank: 2 });
    expect(g.get(3)).toEqual({ grade: '4', rank: 2 });
    expect(g.get(7)!.grade).toBe('4');
    expect(g.get(11)!.grade).toBe('4');
    expect(g.get(9)!.grade).toBe('4');
    expect(g.get(4)!.grade).toBe('4');
    expect(g.get(8)!.grade).toBe('3');
    expect(g.get(10)!.grade).toBe('2');
    expect(g.get(6)!.grade).toBe('rectify');
    expect(g.get(5)).toEqual({ grade: null, rank: 11 });
    const counts = [...g.values()].filter((x) => x.grade === '4').length;
    expect(counts).toBeLessThanOrEqual(6);
  });
});
