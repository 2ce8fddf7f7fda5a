import { afterEach, describe, expect, it } from 'vitest';
import holidays from '../../../../src/shared/calendar/holidays.json' with { type: 'json' };
import { WorkCalendar, workCalendar } from '../../../../src/shared/calendar/workdays.js';

const cal = workCalendar;

describe('shipped data', () => {
  it('has sorted, unique, disjoint date lists from 2020 on', () => {
    for (const list of [holidays.holidays, holidays.workdays]) {
      expect([...list].sort()).toEqual(list);
      expect(new Set(list).size).toBe(list.length);
      for (const d of list) expect(d).toMatch(/^20(2\d)-\d{2}-\d{2}$/);
    }
    expect(holidays.holidays.filter((d) => holidays.workdays.includes(d))).toEqual([]);
    expect(cal.coveredYears).toContain(2026);
    expect(cal.coveredYears[0]).toBe(2020);
  });
});

describe('isWorkday', () => {
  it('follows the 2026 Spring Festival schedule and its 调休 Saturdays', () => {
    expect(cal.isWorkday('2026-02-13')).toBe(true); // Friday
    expect(cal.isWorkday('2026-02-14')).toBe(true); // Saturday, 调休上班
    for (let d = 15; d <= 23; d++) expect(cal.isWorkday(`2026-02-${d}`)).toBe(false);
    expect(cal.isWorkday('2026-02-24')).toBe(true);
    expect(cal.isWorkday('2026-02-28')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkday('2026-03-01')).toBe(false); // ordinary Sunday
    expect(cal.isWorkday('2026-03-07')).toBe(false); // ordinary Saturday
  });

  it('follows the 2026 National Day schedule', () => {
    expect(cal.isWorkday('2026-09-20')).toBe(true); // Sunday, 调休上班
    for (let d = 1; d <= 7; d++) expect(cal.isWorkday(`2026-10-0${d}`)).toBe(false);
    expect(cal.isWorkday('2026-10-08')).toBe(true);
    expect(cal.isWorkday('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(cal.isWorkday('2026-10-11')).toBe(false);
  });

  it('takes the Asia/Shanghai date of a Date', () => {
    // 2026-02-13T16:30Z is Saturday 2026-02-14 00:30 in Shanghai (a 调休 working day).
    expect(cal.isWorkday(new Date('2026-02-13T16:30:00Z'))).toBe(true);
    // 2026-02-14T16:00Z is Sunday 2026-02-15 00:00 in Shanghai (Spring Festival).
    expect(cal.isWorkday(new Date('2026-02-14T15:59:59Z'))).toBe(true);
    expect(cal.isWorkday(new Date('2026-02-14T16:00:00Z'))).toBe(false);
  });

  it('falls back to Monday–Friday outside the data', () => {
    expect(cal.covers('2030-01-01')).toBe(false);
    expect(cal.covers('2026-12-31')).toBe(true);
    expect(cal.isWorkday('2030-01-07')).toBe(true); // Monday
    expect(cal.isWorkday('2030-01-05')).toBe(false); // Saturday
  });

  it('rejects invalid dates', () => {
    expect(() => cal.isWorkday('2026-02-30')).toThrow(RangeError);
    expect(() => cal.isWorkday('2026/02/14')).toThrow(RangeError);
    expect(() => cal.isWorkday(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('addWorkdays / nextWorkday / workdaysBetween', () => {
  it('counts across the Spring Festival', () => {
    expect(cal.addWorkdays('2026-02-13', 1)).toBe('2026-02-14');
    expect(cal.addWorkdays('2026-02-13', 2)).toBe('2026-02-24');
    expect(cal.addWorkdays('2026-02-24', -1)).toBe('2026-02-14');
    expect(cal.addWorkdays('2026-02-24', -2)).toBe('2026-02-13');
    expect(cal.nextWorkday('2026-02-14')).toBe('2026-02-24');
  });

  it('n = 0 keeps a working day and moves a rest day forward', () => {
    expect(cal.addWorkdays('2026-02-24', 0)).toBe('2026-02-24');
    expect(cal.addWorkdays('2026-02-15', 0)).toBe('2026-02-24');
    expect(cal.addWorkdays('2026-03-07', 0)).toBe('2026-03-09');
  });

  it('rejects a non-integer count', () => {
    expect(() => cal.addWorkdays('2026-02-24', 1.5)).toThrow(RangeError);
  });

  it('counts working days in (a, b]', () => {
    expect(cal.workdaysBetween('2026-02-13', '2026-02-24')).toBe(2);
    expect(cal.workdaysBetween('2026-02-24', '2026-02-13')).toBe(-2);
    expect(cal.workdaysBetween('2026-02-13', '2026-02-13')).toBe(0);
    expect(cal.workdaysBetween('2026-09-30', '2026-10-31')).toBe(18);
  });

  it('is consistent with addWorkdays', () => {
    for (let day = 1; day <= 28; day += 3) {
      const from = `2026-02-${String(day).padStart(2, '0')}`;
      for (let n = 1; n <= 25; n++) expect(cal.workdaysBetween(from, cal.addWorkdays(from, n))).toBe(n);
    }
  });
});

describe('deadline', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    process.env.TZ = tz;
  });

  it('ends at 17:30 Shanghai on the nth working day, spanning the Spring Festival', () => {
    const start = new Date('2026-02-12T10:00:00+08:00'); // Thursday
    expect(cal.deadline(start, 3).toISOString()).toBe('2026-02-24T09:30:00.000Z');
    expect(cal.deadline(start, 3, { endOfDayHour: 18 }).toISOString()).toBe('2026-02-24T10:00:00.000Z');
    expect(cal.deadline(start, 3, { endOfDayHour: 24 }).toISOString()).toBe('2026-02-24T16:00:00.000Z');
  });

  it('spans National Day including its 调休 Saturday', () => {
    const start = new Date('2026-09-30T15:00:00+08:00');
    expect(cal.deadline(start, 5).toISOString()).toBe('2026-10-13T09:30:00.000Z');
  });

  it('uses the Shanghai date of the start instant', () => {
    // Thursday 17:00Z is Friday 2026-02-13 01:00 in Shanghai.
    const start = new Date('2026-02-12T17:00:00Z');
    expect(cal.deadline(start, 3).toISOString()).toBe('2026-02-25T09:30:00.000Z');
  });

  it('does not depend on the process timezone', () => {
    const start = new Date('2026-02-12T10:00:00+08:00');
    for (const zone of ['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC']) {
      process.env.TZ = zone;
      expect(cal.deadline(start, 3).toISOString()).toBe('2026-02-24T09:30:00.000Z');
    }
  });

  it('rejects an out-of-range end-of-day hour', () => {
    expect(() => cal.deadline(new Date(), 1, { endOfDayHour: 25 })).toThrow(RangeError);
    expect(() => cal.deadline(new Date(), 1, { endOfDayHour: Number.NaN })).toThrow(RangeError);
  });
});

describe('overrides and custom data', () => {
  it('lets overrides win over data and weekdays', () => {
    const local = new WorkCalendar(undefined, [
      { date: '2026-03-02', kind: 'holiday' }, // a Monday off
      { date: '2026-03-07', kind: 'workday' }, // a Saturday on
      { date: '2026-02-14', kind: 'holiday' }, // cancel a shipped 调休 day
    ]);
    expect(local.isWorkday('2026-03-02')).toBe(false);
    expect(local.isWorkday('2026-03-07')).toBe(true);
    expect(local.isWorkday('2026-02-14')).toBe(false);
    expect(local.addWorkdays('2026-02-13', 1)).toBe('2026-02-24');
    expect(local.addWorkdays('2026-02-27', 2)).toBe('2026-03-03'); // Sat 28 (调休), Mon 2 off, Tue 3
    // the shared default instance is unaffected
    expect(cal.isWorkday('2026-03-02')).toBe(true);
  });

  it('accepts custom data', () => {
    const plain = new WorkCalendar({ holidays: [], workdays: [] });
    expect(plain.isWorkday('2026-02-16')).toBe(true);
    expect(plain.isWorkday('2026-02-14')).toBe(false);
    expect(plain.coveredYears).toEqual([]);
    expect(() => new WorkCalendar({ holidays: ['2026-13-01'], workdays: [] })).toThrow(RangeError);
  });
});
