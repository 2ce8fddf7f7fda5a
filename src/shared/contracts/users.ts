import { z } from 'zod';
import { DATA_SCOPES, PERMISSIONS } from '../permissions.js';
import { id, paging, text, version } from './common.js';

export const permission = z.enum(Object.keys(PERMISSIONS) as [keyof typeof PERMISSIONS]);
export const dataScope = z.enum(Object.keys(DATA_SCOPES) as [keyof typeof DATA_SCOPES]);

export const loginBody = z.object({ username: text(40), password: z.string().min(1).max(128) }).strict();
export const changePasswordBody = z
  .object({ oldPassword: z.string().min(1).max(128), newPassword: z.string().min(1).max(128) })
  .strict();

export const username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9._-]{2,39}$/, '用户名为3-40位小写字母、数字或 . _ -，以字母开头');

export const userListQuery = z
  .object({
    orgId: id.optional(),
    q: text(50).optional(),
    status: z.enum(['active', 'disabled']).optional(),
    ...paging,
  })
  .strict();

export const userCreate = z
  .object({
    username,
    displayName: text(50),
    orgId: id,
    password: z.string().min(1).max(128),
    phone: text(20).nullable().optional(),
    roleIds: z.array(id).min(1).max(20),
  })
  .strict();

export const userUpdate = z
  .object({
    version,
    displayName: text(50).optional(),
    orgId: id.optional(),
    phone: text(20).nullable().optional(),
    roleIds: z.array(id).min(1).max(20).optional(),
    status: z.enum(['active', 'disabled']).optional(),
    password: z.string().min(1).max(128).optional(),
  })
  .strict();

export const userView = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  orgId: z.number(),
  orgName: z.string(),
  phone: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  locked: z.boolean(),
  lastLoginAt: z.string().nullable(),
  roles: z.array(z.object({ id: z.number(), key: z.string(), name: z.string() })),
  version: z.number(),
});

export const roleCreate = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, '角色标识为2-40位小写字母、数字或下划线'),
    name: text(50),
    permissions: z.array(permission).max(100),
    dataScope,
    customOrgIds: z.array(id).max(1000).default([]),
  })
  .strict();
export const roleUpdate = roleCreate.omit({ key: true }).partial().extend({ version }).strict();

export const roleView = z.object({
  id: z.number(),
  key: z.string(),
  name: z.string(),
  permissions: z.array(z.string()),
  dataScope,
  customOrgIds: z.array(z.number()),
  builtin: z.boolean(),
  version: z.number(),
});

export const meView = z.object({
  user: z.object({
    id: z.number(),
    username: z.string(),
    displayName: z.string(),
    phone: z.string().nullable(),
  }),
  organization: z.object({ id: z.number(), name: z.string(), type: z.string(), level: z.string() }),
  roles: z.array(z.object({ key: z.string(), name: z.string() })),
  permissions: z.array(z.string()),
  dataScope: z.object({
    kinds: z.array(dataScope),
    orgIds: z.array(z.number()),
  }),
  csrfToken: z.string().nullable(),
  sessionIdleMinutes: z.number(),
});

export const tokenCreate = z
  .object({
    name: text(50),
    permissions: z.array(permission).min(1).max(50),
    expiresInDays: z.number().int().min(1).max(366).default(90),
  })
  .strict();

export type UserView = z.infer<typeof userView>;
export type RoleView = z.infer<typeof roleView>;
export type MeView = z.infer<typeof meView>;
