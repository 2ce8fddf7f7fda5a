import type { z } from 'zod';
import type {
  compositionView,
  membershipStatsView,
  PersonDetail,
  PersonView,
  TransferView,
} from '../../../shared/contracts/people';
import type { ImportJobView } from '../../../shared/contracts/peopleImport';
import { ApiError, api, type Paged, readCookie } from '../../api';

export type { ImportJobView, PersonDetail, PersonView, TransferView };
export type CompositionView = z.infer<typeof compositionView>;
export type MembershipStatsView = z.infer<typeof membershipStatsView>;

export const peopleApi = {
  get: (id: number) => api.get<PersonDetail>(`/api/persons/${id}`),
  /** 202 with a claim when the person is kept by an organization outside the caller's scope */
  create: (body: unknown) =>
    api.post<(PersonDetail & { existing: boolean }) | { claimId: number; status: string; message: string }>(
      '/api/persons',
      body,
    ),
  update: (id: number, body: unknown) => api.patch<PersonDetail>(`/api/persons/${id}`, body),
  reveal: (id: number, reason?: string) =>
    api.post<{ idNumber: string; phone: string | null }>(
      `/api/persons/${id}/reveal`,
      reason ? { reason } : {},
    ),
  lookup: (idNumber: string) => api.post<PersonDetail>('/api/persons/lookup', { idNumber }),
  apply: (body: { personId: number; orgId: number; role?: string }) => api.post('/api/memberships', body),
  approve: (id: number, version: number) => api.post(`/api/memberships/${id}/approve`, { version }),
  reject: (id: number, version: number, note?: string) =>
    api.post(`/api/memberships/${id}/reject`, { version, note }),
  leave: (id: number, version: number, reason: string) =>
    api.post(`/api/memberships/${id}/leave`, { version, reason }),
  transfer: (body: { membershipId?: number; idNumber?: string; toOrgId: number; reason?: string }) =>
    api.post<TransferView>('/api/transfers', body),
  act: (id: number, action: 'approve' | 'reject' | 'cancel', version: number, note?: string) =>
    api.post<TransferView>(`/api/transfers/${id}/${action}`, { version, ...(note ? { note } : {}) }),
  imports: (orgId?: number) => api.get<Paged<ImportJobView>>('/api/people/imports', { orgId, pageSize: 10 }),
  importJob: (id: number) => api.get<ImportJobView>(`/api/people/imports/${id}`),
  importErrors: (id: number) =>
    api.get<{ row: number; column: string | null; message: string }[]>(`/api/people/imports/${id}/errors`, {
      format: 'json',
    }),
  composition: (orgId: number | undefined, by: 'level' | 'org') =>
    api.get<CompositionView>('/api/people/composition', { orgId, by }),
  stats: (orgId: number | undefined, by: 'type' | 'level' | 'org') =>
    api.get<MembershipStatsView>('/api/people/stats', { orgId, by }),
};

/** Uploads an import file (multipart, with the CSRF header); the server answers with the queued job. */
export async function uploadImport(orgId: number, file: File): Promise<ImportJobView> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await fetch(`/api/people/imports?orgId=${orgId}`, {
    method: 'POST',
    body: form,
    credentials: 'same-origin',
    headers: { 'x-csrf-token': readCookie('niudai_csrf') ?? '' },
  });
  const data = await res.json().catch(() => undefined);
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; details?: unknown } })?.error;
    throw new ApiError(
      res.status,
      (e?.code ?? 'INTERNAL') as never,
      e?.message ?? res.statusText,
      e?.details,
    );
  }
  return data as ImportJobView;
}
