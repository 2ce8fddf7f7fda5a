import type { CaseDetail } from '../../../shared/contracts/assistance';
import { ApiError, api, CSRF_COOKIE, type ErrorCode, readCookie } from '../../api';

export type { CaseDetail };

export interface CaseView {
  id: number;
  applicantName: string;
  category: string;
  categoryLabel: string;
  status: string;
  statusLabel: string;
  orgId: number;
  orgName: string;
  level: string;
  stale: boolean;
  exitProposed: boolean;
  updatedAt: string;
}

export interface Duplicate {
  orgName: string;
  cycleName: string | null;
  amount: number | null;
  status: string;
  samePerson: boolean;
}

export interface EntitlementView {
  id: number;
  cycleId: number;
  orgName: string;
  caseId: number | null;
  beneficiaryName: string;
  idNumber: string;
  amount: number;
  ruleLabel: string | null;
  source: string;
  status: string;
  statusLabel: string;
  note: string | null;
  version: number;
  payment: {
    id: number;
    status: string;
    statusLabel: string;
    version: number;
    batchId: number;
    returnVisit: unknown;
  } | null;
  duplicates: Duplicate[];
}

export interface CycleDetail {
  id: number;
  programName: string;
  orgName: string;
  name: string;
  kind: string;
  mode: 'cash' | 'in_kind';
  target: string;
  periodStart: string;
  periodEnd: string;
  budget: number;
  approvedAmount: number;
  proposedAmount: number;
  status: string;
  computedAt: string | null;
  version: number;
  batches: { id: number; mode: string; total: number; count: number; exported: boolean }[];
  entitlements: EntitlementView[];
}

export const STATUS_COLORS: Record<string, string> = {
  applied: 'default',
  visiting: 'processing',
  reviewing: 'processing',
  publicity: 'warning',
  archived: 'success',
  temporary: 'cyan',
  closed: 'default',
  relieved: 'green',
  rejected: 'error',
};

/** A file as the raw body (photos and the signed authorisation of a visit). */
export async function uploadCaseFile(
  caseId: number,
  kind: string,
  file: File,
): Promise<{ id: number; name: string }> {
  const res = await fetch(
    `/api/assistance/cases/${caseId}/files?kind=${kind}&name=${encodeURIComponent(file.name)}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-csrf-token': readCookie(CSRF_COOKIE) ?? '' },
      credentials: 'same-origin',
      body: file,
    },
  );
  const body = await res.json().catch(() => ({}));
  if (!res.ok)
    throw new ApiError(
      res.status,
      (body?.error?.code as ErrorCode) ?? 'INTERNAL',
      body?.error?.message ?? res.statusText,
      body?.error?.details,
      body?.error?.requestId,
    );
  return body;
}

export const assistApi = {
  get: (id: number) => api.get<CaseDetail>(`/api/assistance/cases/${id}`),
  create: (body: unknown) => api.post<CaseDetail>('/api/assistance/cases', body),
  act: (id: number, action: string, body: { version: number; note?: string; appealId?: number }) =>
    api.post<CaseDetail>(`/api/assistance/cases/${id}/actions/${action}`, body),
  visit: (id: number, body: unknown) => api.post<CaseDetail>(`/api/assistance/cases/${id}/visit`, body),
  income: (id: number, body: unknown) => api.post<CaseDetail>(`/api/assistance/cases/${id}/incomes`, body),
  cycle: (id: number) => api.get<CycleDetail>(`/api/assistance/cycles/${id}`),
};
