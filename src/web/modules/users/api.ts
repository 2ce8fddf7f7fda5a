import type { RoleView, UserView } from '../../../shared/contracts/users';
import { api } from '../../api';

export type { RoleView, UserView };

export interface UserCreateBody {
  username: string;
  displayName: string;
  orgId: number;
  password: string;
  phone?: string | null;
  roleIds: number[];
}
export type UserPatch = Partial<Omit<UserCreateBody, 'username'>> & {
  version: number;
  status?: 'active' | 'disabled';
};

export const userApi = {
  get: (id: number) => api.get<UserView>(`/api/users/${id}`),
  create: (body: UserCreateBody) => api.post<UserView>('/api/users', body),
  update: (id: number, body: UserPatch) => api.patch<UserView>(`/api/users/${id}`, body),
  unlock: (id: number) => api.post<void>(`/api/users/${id}/unlock`),
  roles: () => api.get<{ items: RoleView[] }>('/api/roles').then((r) => r.items),
};
