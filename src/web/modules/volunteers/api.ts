import type { z } from 'zod';
import type {
  activityView,
  checkinCode,
  ledgerEntry,
  myVolunteer,
  signupView,
  treeStatsRow,
} from '../../../shared/contracts/volunteers';

export type ActivityView = z.infer<typeof activityView>;
export type SignupView = z.infer<typeof signupView>;
export type CheckinCode = z.infer<typeof checkinCode>;
export type LedgerEntry = z.infer<typeof ledgerEntry>;
export type MyVolunteer = z.infer<typeof myVolunteer>;
export type TreeStatsRow = z.infer<typeof treeStatsRow>;

export const PHASES: Record<ActivityView['phase'], { label: string; color: string }> = {
  upcoming: { label: '未开始招募', color: 'default' },
  recruiting: { label: '招募中', color: 'green' },
  waiting: { label: '招募结束', color: 'blue' },
  ongoing: { label: '进行中', color: 'processing' },
  ended: { label: '已结束待结项', color: 'orange' },
  closed: { label: '已结项', color: 'default' },
  cancelled: { label: '已取消', color: 'red' },
};

/** A datetime-local input value (Shanghai wall time) as an ISO time with the +08:00 offset. */
export const localToIso = (v: string) => `${v.length === 16 ? `${v}:00` : v}+08:00`;

export const fmt = (iso: string | null) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';
