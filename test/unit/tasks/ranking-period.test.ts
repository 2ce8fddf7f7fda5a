import { describe, expect, it } from 'vitest';
import { computeRanking, lastCompletePeriod } from '../../../src/shared/tasks/ranking.js';

describe('lastCompletePeriod', () => {
  it('is the previous calendar month, across a year and in February', () => {
    expect(lastCompletePeriod('2026-12-08')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(lastCompletePeriod('2026-01-01')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(lastCompletePeriod('2028-03-31')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(lastCompletePeriod('2026-03-15')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
  });
  it('or the previous quarter', () => {
    expect(lastCompletePeriod('2026-12-08', 'quarter')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(lastCompletePeriod('2026-02-10', 'quarter')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(lastCompletePeriod('2026-04-01', 'quarter')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
  });
});

describe('computeRanking counts only what fell due', () => {
  const row = (orgId: number, dueDate: string, completedDate: string | null) => ({
    orgId,
    orgName: `单位${orgId}`,
    dueDate,
    completedDate,
    escalation: 0,
  });
  it('a unit whose tasks are not due yet has no rate and ranks after real progress', () => {
    const r = computeRanking(
      [row(1, '2026-04-25', null), row(2, '2026-04-05', '2026-04-03'), row(3, '2026-04-06', null)],
      { from: '2026-04-01', to: '2026-04-30', asOf: '2026-04-10' },
    );
    const by = new Map(r.map((x) => [x.orgId, x]));
    expect(by.get(1)).toMatchObject({ due: 0, rate: null, overdue: 0 });
    expect(by.get(2)).toMatchObject({ due: 1, onTime: 1, rate: 1 });
    expect(by.get(3)).toMatchObject({ due: 1, onTime: 0, rate: 0, overdue: 1 });
    expect(r.map((x) => x.orgId)).toEqual([2, 3, 1]);
  });
  it('a task finished early counts although its date is still ahead', () => {
    const r = computeRanking([row(1, '2026-04-25', '2026-04-08')], {
      from: '2026-04-01',
      to: '2026-04-30',
      asOf: '2026-04-10',
    });
    expect(r[0]).toMatchObject({ due: 1, onTime: 1, rate: 1 });
  });
});
