import type { AppealStatus } from '../../../shared/appeals/constants';
import type { AppealDetail, AppealListItem, CategoryNode } from '../../../shared/contracts/appeals';
import { ApiError, api, CSRF_COOKIE, readCookie } from '../../api';
import { formatTime } from '../../format';

export type { AppealDetail, AppealListItem, CategoryNode };

export const STATUS_COLORS: Record<AppealStatus, string> = {
  pending_dispatch: 'orange',
  dispatched: 'gold',
  accepted: 'blue',
  handling: 'processing',
  suspended: 'default',
  replied: 'cyan',
  visited: 'geekblue',
  closed: 'green',
  merged: 'default',
};
export const LIGHT_COLORS = { green: '#52c41a', yellow: '#faad14', red: '#f5222d', none: '#d9d9d9' } as const;
export const LIGHT_LABELS = { green: '正常', yellow: '临期', red: '超期', none: '—' } as const;
export const SUPERVISION_COLORS = ['default', 'orange', 'volcano', 'red'] as const;

/** Uploads one file (raw body) to a URL; returns the stored file's id. */
export async function uploadFile(url: string, file: File): Promise<{ id: number; name: string }> {
  const res = await fetch(`${url}${url.includes('?') ? '&' : '?'}name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': readCookie(CSRF_COOKIE) ?? '' },
    body: file,
  });
  const data = await res.json().catch(() => undefined);
  if (!res.ok)
    throw new ApiError(res.status, data?.error?.code ?? 'INTERNAL', data?.error?.message ?? res.statusText);
  return data;
}

export const appealConfig = () =>
  api.get<{ categories: CategoryNode[]; center: { id: number; name: string } }>('/api/appeal-config');

export interface TreeNode {
  value: string;
  title: string;
  children: TreeNode[];
}
/** Category tree as antd TreeSelect data. */
export function categoryTree(nodes: CategoryNode[]): TreeNode[] {
  return nodes.map((n) => ({ value: n.code, title: n.name, children: categoryTree(n.children) }));
}

/** Times on the appeal screens: the app's one format (`YYYY-MM-DD HH:mm:ss`, web/format.ts). */
export const fmtTime = (iso: string | null | undefined) => (iso ? formatTime(iso) : '—');
