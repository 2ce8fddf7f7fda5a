import type {
  DocView,
  DraftTask,
  DraftView,
  MeetingView,
  NoticeView,
  TaskDetail,
  TaskView,
  UnitMatch,
} from '../../../shared/contracts/tasks';
import { ApiError, type ErrorCode } from '../../api';

export type { DocView, DraftTask, DraftView, MeetingView, NoticeView, TaskDetail, TaskView, UnitMatch };

export type ReportView = TaskDetail['reports'][number];

export interface EventView {
  id: number;
  at: string;
  actorName: string;
  org: { id: number; name: string } | null;
  action: string;
  actionLabel: string;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  data?: unknown;
  taskId: number;
  taskTitle?: string;
}

export interface RankRow {
  rank: number;
  orgId: number;
  orgName: string;
  due: number;
  onTime: number;
  late: number;
  overdue: number;
  escalated: number;
  rate: number | null;
}

export const STATUS_COLORS: Record<string, string> = {
  not_started: 'default',
  in_progress: 'processing',
  done: 'success',
  overdue: 'error',
  paused: 'warning',
};
export const ESCALATION_COLORS = ['default', 'orange', 'volcano', 'red'];

/** Uploads a file as the raw request body (the server's upload convention). */
export async function uploadRaw<T>(path: string, file: File): Promise<T> {
  const csrf =
    document.cookie
      .split(';')
      .map((s) => s.trim())
      .find((s) => s.startsWith('niudai_csrf='))
      ?.slice(12) ?? '';
  const res = await fetch(`${path}${path.includes('?') ? '&' : '?'}name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': decodeURIComponent(csrf) },
    credentials: 'same-origin',
    body: file,
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError(
      res.status,
      (body?.error?.code as ErrorCode) ?? 'INTERNAL',
      body?.error?.message ?? res.statusText,
      body?.error?.details,
      body?.error?.requestId,
    );
  return body as T;
}
