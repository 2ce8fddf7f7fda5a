import { z } from 'zod';
import { id, idParam, page } from '../../../shared/contracts/common.js';
import {
  roleCreate,
  roleUpdate,
  roleView,
  userCreate,
  userListQuery,
  userUpdate,
  userView,
} from '../../../shared/contracts/users.js';
import type { App } from '../../app.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { sendCsv } from '../../platform/http/files.js';
import { createRoleService } from './roles.js';
import { createUserService } from './service.js';
import { createUserTokenService } from './tokens.js';

export function registerUserRoutes(app: App, deps: Deps) {
  const users = createUserService(deps);
  const roles = createRoleService(deps);
  const tokens = createUserTokenService(deps);
  const tags = ['用户与角色 users'];
  const ctx = (req: Parameters<typeof ctxOf>[0]) => ctxOf(req, deps.clock);

  app.get(
    '/api/users',
    {
      schema: {
        tags,
        summary: '查询用户列表',
        querystring: userListQuery,
        response: { 200: page(userView) },
      },
    },
    (req) => users.list(ctx(req), req.query),
  );
  app.get(
    '/api/users/export',
    {
      schema: { tags, summary: '导出用户（CSV，按列表筛选条件，手机号码脱敏）', querystring: userListQuery },
    },
    async (req, reply) => {
      const { page: _p, pageSize: _s, ...filters } = req.query;
      const csv = await users.exportCsv(ctx(req), filters);
      return sendCsv(reply, '用户.csv', csv);
    },
  );
  app.get(
    '/api/users/:id',
    { schema: { tags, summary: '查询用户详情', params: idParam, response: { 200: userView } } },
    (req) => users.get(ctx(req), req.params.id),
  );
  app.post(
    '/api/users',
    { schema: { tags, summary: '新建用户', body: userCreate, response: { 201: userView } } },
    async (req, reply) => reply.status(201).send(await users.create(ctx(req), req.body)),
  );
  app.patch(
    '/api/users/:id',
    { schema: { tags, summary: '修改用户', params: idParam, body: userUpdate, response: { 200: userView } } },
    (req) => users.update(ctx(req), req.params.id, req.body),
  );
  app.post(
    '/api/users/:id/unlock',
    { schema: { tags, summary: '解除账号锁定', params: idParam } },
    async (req, reply) => {
      await users.unlock(ctx(req), req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/users/:id/tokens',
    { schema: { tags, summary: '查看账号的接口令牌（不含令牌本身）', params: idParam } },
    async (req) => ({ items: await tokens.list(ctx(req), req.params.id) }),
  );
  app.delete(
    '/api/users/:id/tokens/:tokenId',
    { schema: { tags, summary: '吊销账号的接口令牌', params: z.object({ id, tokenId: id }).strict() } },
    async (req, reply) => {
      await tokens.revoke(ctx(req), req.params.id, req.params.tokenId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/roles',
    { schema: { tags, summary: '查询角色列表', response: { 200: z.object({ items: z.array(roleView) }) } } },
    async (req) => ({
      items: await roles.list(ctx(req)),
    }),
  );
  app.post(
    '/api/roles',
    { schema: { tags, summary: '新建角色', body: roleCreate, response: { 201: roleView } } },
    async (req, reply) => reply.status(201).send(await roles.create(ctx(req), req.body)),
  );
  app.patch(
    '/api/roles/:id',
    { schema: { tags, summary: '修改角色', params: idParam, body: roleUpdate, response: { 200: roleView } } },
    (req) => roles.update(ctx(req), req.params.id, req.body),
  );
}
