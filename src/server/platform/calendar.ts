import { type CalendarOverride, WorkCalendar } from '../../shared/calendar/workdays.js';
import { shanghaiYmd } from '../../shared/calendar/ymd.js';
import { RefCache, tablesVersion, type VersionOf } from './cache.js';
import { type Db, type Queryable, sql } from './db/index.js';

/**
 * The platform's working-day calendar: the shipped statutory holidays and 调休 days with the
 * administrator's overrides (table workday_overrides) on top. Every deadline of every module
 * (appeal time limits, task reminders and 催办) counts on this one calendar.
 */
const cache = new RefCache();

/** What `loadCalendar` reads, for the version of a cached calendar. */
export const CALENDAR_TABLE: VersionOf = ['workday_overrides', ['day', 'kind']];

export async function loadCalendar(q: Queryable): Promise<WorkCalendar> {
  const rows = await q.query<{ day: string; kind: CalendarOverride['kind'] }>(
    sql`SELECT day, kind FROM workday_overrides`,
  );
  return new WorkCalendar(
    undefined,
    rows.map((r) => ({ date: r.day, kind: r.kind })),
  );
}

/** The calendar, cached for a few seconds per database (dropped at once by `forgetCalendar`). */
export const workCalendarOf = (db: Db): Promise<WorkCalendar> =>
  cache.get(db, 'calendar', {
    load: () => loadCalendar(db),
    version: tablesVersion(db, [CALENDAR_TABLE]),
  });

export function forgetCalendar(db: Db): void {
  cache.forget(db);
}

/**
 * A warning for the operator when the calendar lacks this year's holidays, or next year's
 * from November on (the State Council publishes them in the autumn), else null.
 */
export function calendarGap(cal: WorkCalendar, now: Date): string | null {
  const today = shanghaiYmd(now);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const missing = [year, ...(month >= 11 ? [year + 1] : [])].filter((y) => !cal.coveredYears.includes(y));
  if (missing.length === 0) return null;
  return `节假日数据缺少 ${missing.join('、')} 年：期限按周一至周五计算。请在国务院办公厅公布放假安排后，在「诉求配置 → 工作日历」录入法定节假日和调休上班日。`;
}
