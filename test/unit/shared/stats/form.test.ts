import { describe, expect, it } from 'vitest';
import type { FormDefinition } from '../../../../src/shared/contracts/stats.js';
import { formDefinition } from '../../../../src/shared/contracts/stats.js';
import {
  cellKeys,
  checkDefinition,
  checkValues,
  evaluateRules,
  missingRequired,
  totalOf,
} from '../../../../src/shared/stats/form.js';
import {
  lastYearOf,
  parsePeriod,
  periodOfDate,
  shiftPeriod,
  windowOf,
} from '../../../../src/shared/stats/period.js';

const def: FormDefinition = formDefinition.parse({
  disaggregations: [
    {
      key: 'gender',
      label: '性别',
      options: [
        { code: 'M', label: '男' },
        { code: 'F', label: '女' },
      ],
    },
    {
      key: 'age',
      label: '年龄',
      options: [
        { code: 'Y', label: '青年' },
        { code: 'O', label: '其他' },
      ],
    },
  ],
  cells: [
    { code: 'B1', label: '会员', type: 'integer', required: true, disaggregation: 'gender' },
    { code: 'B2', label: '农民工', type: 'integer', disaggregation: 'gender' },
    { code: 'B3', label: '组织数', type: 'integer' },
    { code: 'B4', label: '青年', type: 'integer', disaggregation: 'age' },
    { code: 'B5', label: '比例', type: 'percent' },
    { code: 'B6', label: '说明', type: 'text' },
  ],
  rules: [
    { code: 'R1', label: '农民工不多于会员', expr: 'B2 <= B1', severity: 'error' },
    { code: 'R2', label: '会员不少于组织数', expr: 'B1 >= B3', severity: 'warning' },
    { code: 'R3', label: '青年不多于会员', expr: 'B4 <= B1', severity: 'error' },
    {
      code: 'R4',
      label: '同比',
      expr: 'abs(B1 - last_year(B1)) / last_year(B1) <= 0.2',
      severity: 'warning',
    },
  ],
});

describe('periods', () => {
  it.each([
    ['2026', 'year', '2026-01-01', '2026-12-31'],
    ['2026-H1', 'half_year', '2026-01-01', '2026-06-30'],
    ['2026-H2', 'half_year', '2026-07-01', '2026-12-31'],
    ['2026-Q3', 'quarter', '2026-07-01', '2026-09-30'],
    ['2024-02', 'month', '2024-02-01', '2024-02-29'],
    ['2026-02', 'month', '2026-02-01', '2026-02-28'],
  ])('%s is a %s from %s to %s', (key, type, start, end) => {
    const p = parsePeriod(key);
    expect(p.ok && p.period).toMatchObject({ type, start, end, key });
  });

  it.each(['2026-13', '2026-Q5', '2026-H3', '26', '2026-7', '2026Q1', '', '1999'])('refuses %j', (key) => {
    expect(parsePeriod(key).ok).toBe(false);
  });

  it('refuses a period of another type with a clear message', () => {
    const p = parsePeriod('2026-07', 'year');
    expect(p.ok ? '' : p.message).toContain('年报');
  });

  it('shifts across years, finds last year and the period of a date', () => {
    const m = parsePeriod('2026-01');
    if (!m.ok) throw new Error();
    expect(shiftPeriod(m.period, -1).key).toBe('2025-12');
    expect(shiftPeriod(m.period, 13).key).toBe('2027-02');
    expect(lastYearOf(m.period).key).toBe('2025-01');
    expect(periodOfDate('quarter', '2026-08-15').key).toBe('2026-Q3');
    expect(periodOfDate('half_year', '2026-06-30').key).toBe('2026-H1');
    expect(windowOf(m.period, { openDays: -3, dueDays: 5, graceDays: 2, lockDays: 30 })).toEqual({
      opens: '2026-01-28',
      due: '2026-02-05',
      onTimeUntil: '2026-02-07',
      locks: '2026-03-02',
    });
  });
});

describe('a form definition', () => {
  it('expands disaggregated cells to their keys', () => {
    expect(cellKeys(def).map((k) => k.key)).toEqual([
      'B1.M',
      'B1.F',
      'B2.M',
      'B2.F',
      'B3',
      'B4.Y',
      'B4.O',
      'B5',
      'B6',
    ]);
  });

  it('is accepted when its rules are sound', () => {
    expect(checkDefinition(def)).toEqual([]);
  });

  it('refuses rules naming unknown cells, text in arithmetic, non-boolean rules, duplicates', () => {
    const bad = structuredClone(def);
    bad.rules.push({ code: 'R5', label: 'x', expr: 'B9 > 0', severity: 'error' });
    bad.rules.push({ code: 'R6', label: 'x', expr: 'B6 + 1 > 0', severity: 'error' });
    bad.rules.push({ code: 'R7', label: 'x', expr: 'B1 + B2', severity: 'error' });
    bad.rules.push({ code: 'R1', label: 'x', expr: 'B1 > 0', severity: 'error' });
    bad.cells.push({ ...bad.cells[2]!, code: 'B3' });
    const p = checkDefinition(bad);
    expect(p.map((x) => x.path)).toEqual([
      'cells.6.code',
      'rules.4.expr',
      'rules.5.expr',
      'rules.6.expr',
      'rules.7.code',
    ]);
    expect(p[1]!.position).toMatchObject({ start: 0, end: 2 });
  });
});

describe('values', () => {
  it('refuses wrong types, negative counts, decimals in integers, percent over 100, unknown keys', () => {
    const p = checkValues(def, { 'B1.M': 'x', 'B1.F': -2, B3: 1.5, B5: 120, B6: 3, Q: 1, 'B2.M': null });
    expect(p.map((x) => x.key)).toEqual(['B1.M', 'B1.F', 'B3', 'B5', 'B6', 'Q']);
  });

  it('names required cells left empty', () => {
    expect(missingRequired(def, { 'B1.M': 3 }).map((x) => x.key)).toEqual(['B1.F']);
  });

  it('adds up a cell over its disaggregation', () => {
    expect(totalOf(def, { 'B1.M': 3, 'B1.F': 4 }, 'B1')).toBe(7);
    expect(totalOf(def, {}, 'B1')).toBeNull();
  });
});

describe('rules over disaggregations', () => {
  it('checks a rule for each option when its cells share a disaggregation', () => {
    const issues = evaluateRules(def, { 'B1.M': 10, 'B1.F': 10, 'B2.M': 4, 'B2.F': 12, B3: 1 }, null);
    expect(issues.map((i) => [i.rule, i.option, i.severity])).toEqual([['R1', 'F', 'error']]);
  });

  it('reports a total failure once when no option fails', () => {
    const d = structuredClone(def);
    d.rules = [{ code: 'Q', label: '会员比农民工多一倍', expr: 'B1 >= 2 * B2', severity: 'warning' }];
    const i = evaluateRules(d, { 'B1.M': 10, 'B1.F': 10, 'B2.M': 5, 'B2.F': 5 }, null);
    expect(i).toEqual([]);
  });

  it('uses totals when a rule mixes a split cell with a whole one, or two different splits', () => {
    const issues = evaluateRules(def, { 'B1.M': 1, 'B1.F': 1, B3: 3, 'B4.Y': 1, 'B4.O': 2 }, null);
    expect(issues.map((i) => [i.rule, i.option])).toEqual([
      ['R2', null],
      ['R3', null],
    ]);
  });

  it('reads last year per option and reports a rule that cannot be evaluated as a warning', () => {
    const ok = evaluateRules(def, { 'B1.M': 11, 'B1.F': 10 }, { 'B1.M': 10, 'B1.F': 10 });
    expect(ok).toEqual([]);
    const jump = evaluateRules(def, { 'B1.M': 20, 'B1.F': 10 }, { 'B1.M': 10, 'B1.F': 10 });
    expect(jump.map((i) => [i.rule, i.option])).toEqual([['R4', 'M']]);
    const zero = evaluateRules(def, { 'B1.M': 5, 'B1.F': 5 }, { 'B1.M': 0, 'B1.F': 3 });
    const z = zero.filter((i) => i.rule === 'R4');
    expect(z.map((i) => [i.option, i.severity, i.failed])).toEqual([
      ['M', 'warning', false],
      ['F', 'warning', true],
    ]);
    expect(z[0]!.message).toContain('除数为 0');
  });
});
