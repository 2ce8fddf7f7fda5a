import type { ChecklistView, ImportView } from '../../../shared/contracts/onboarding';
import type { ImportKind } from '../../../shared/onboarding/columns';
import { ApiError, api, type Paged, readCookie } from '../../api';

export type { ChecklistView, ImportKind, ImportView };

export const onboardingApi = {
  checklist: () => api.get<ChecklistView>('/api/onboarding/checklist'),
  imports: (kind: ImportKind) =>
    api.get<Paged<ImportView>>('/api/onboarding/imports', { kind, pageSize: 10 }),
};

/** Uploads a file for a dry run (dryRun = true) or to apply it. */
export async function uploadOnboarding(kind: ImportKind, file: File, dryRun: boolean): Promise<ImportView> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await fetch(`/api/onboarding/imports/${kind}?dryRun=${dryRun}`, {
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
  return data as ImportView;
}
