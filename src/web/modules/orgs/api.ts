import type { OrgCreate, OrgUpdate, OrgView } from '../../../shared/contracts/orgs';
import { api, type Paged, type Query } from '../../api';

export type { OrgCreate, OrgUpdate, OrgView };
export type OrgDetail = OrgView & { ancestors: { id: number; name: string }[] };

export const orgApi = {
  list: (q: Query) => api.get<Paged<OrgView>>('/api/orgs', q),
  children: (parentId: number | 'root', page = 1) =>
    api.get<Paged<OrgView>>('/api/orgs', { parentId, page, pageSize: 200 }),
  search: (q: string, pageSize = 50) => api.get<Paged<OrgView>>('/api/orgs', { q, pageSize }),
  get: (id: number) => api.get<OrgDetail>(`/api/orgs/${id}`),
  create: (body: OrgCreate) => api.post<OrgView>('/api/orgs', body),
  update: (id: number, body: OrgUpdate) => api.patch<OrgView>(`/api/orgs/${id}`, body),
  move: (id: number, body: { version: number; parentId: number }) =>
    api.post<OrgView>(`/api/orgs/${id}/move`, body),
};
