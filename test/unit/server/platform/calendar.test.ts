import { describe, expect, it } from 'vitest';
import { calendarGap } from '../../../../src/server/platform/calendar.js';
import { WorkCalendar } from '../../../../src/shared/calendar/workdays.js';

const at = (ymd: string) => new Date(`${ymd}T10:00:00+08:00`);

describe('calendar coverage', () => {
  const shipped = new WorkCalendar();
  const last = shipped.coveredYears.at(-1)!;

  it('is quiet inside the shipped years until November', () => {
    expect(calendarGap(shipped, at(`${last}-06-01`))).toBeNull();
  });

  it('warns from November when next year is missing, and for a year without data', () => {
    expect(calendarGap(shipped, at(`${last}-11-02`))).toContain(`${last + 1} 年`);
    expect(calendarGap(shipped, at(`${last + 1}-03-01`))).toContain(`${last + 1} 年`);
  });

  it('counts a year covered once an administrator enters its holidays', () => {
    const next = last + 1;
    const cal = new WorkCalendar(undefined, [{ date: `${next}-01-01`, kind: 'holiday' }]);
    expect(cal.covers(`${next}-05-01`)).toBe(true);
    expect(cal.isWorkday(`${next}-01-01`)).toBe(false);
    expect(calendarGap(cal, at(`${last}-11-02`))).toBeNull();
  });
});
