import type { UnitCreate, UnitUpdate, UnitView } from '../../../shared/contracts/units';
import { api } from '../../api';

export type { UnitCreate, UnitUpdate, UnitView };

export const unitApi = {
  create: (body: UnitCreate) => api.post<UnitView>('/api/units', body),
  update: (id: number, body: UnitUpdate) => api.patch<UnitView>(`/api/units/${id}`, body),
  get: (id: number) => api.get<UnitView>(`/api/units/${id}`),
};
