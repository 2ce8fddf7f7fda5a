import { shanghaiDateTime, shanghaiYmd } from '../shared/calendar/ymd';

/**
 * The one place the web app formats times: `YYYY-MM-DD HH:mm:ss` in Asia/Shanghai (the
 * platform's civil time, whatever the browser's zone), the form Chinese office users expect.
 * Empty or missing values show as `-`.
 */
export function formatTime(iso: string | Date | null | undefined): string {
  if (!iso) return '-';
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return shanghaiDateTime(d);
}

/** A date as `YYYY-MM-DD` (Asia/Shanghai). */
export function formatDate(iso: string | Date | null | undefined): string {
  if (!iso) return '-';
  const d = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return shanghaiYmd(d);
}
