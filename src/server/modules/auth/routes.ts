import { z } from 'zod';
import { id } from '../../../shared/contracts/common.js';
import { changePasswordBody, loginBody, meView, tokenCreate } from '../../../shared/contracts/users.js';
import { maskPhone } from '../../../shared/mask.js';
import type { App } from '../../app.js';
import { requirePermission } from '../../platform/access.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { csrfCookieOptions, sessionCookieOptions } from '../../platform/http/auth.js';
import { ctxOf } from '../../platform/http/context.js';
import { CSRF_COOKIE, SESSION_COOKIE, SESSION_MAX_HOURS } from '../../platform/sessions.js';
import { createAuthService } from './service.js';

export function registerAuthRoutes(app: App, deps: Deps) {
  const auth = createAuthService(deps);
  const tags = ['认证 auth'];

  app.post(
    '/api/auth/login',
    {
      schema: {
        tags,
        summary: '登录（用户名与密码）',
        body: loginBody,
        response: { 200: z.object({ csrfToken: z.string(), mustChangePassword: z.boolean() }) },
      },
      config: { rateLimit: { max: deps.config.rateLimit, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const r = await auth.login({
        ...req.body,
        ip: req.ip ?? null,
        userAgent: req.headers['user-agent'] ?? null,
        requestId: req.id,
        now: deps.clock.now(),
      });
      const maxAge = SESSION_MAX_HOURS * 3600;
      void reply.setCookie(SESSION_COOKIE, r.token, { ...sessionCookieOptions(deps), maxAge });
      void reply.setCookie(CSRF_COOKIE, r.csrfToken, { ...csrfCookieOptions(deps), maxAge });
      return { csrfToken: r.csrfToken, mustChangePassword: r.mustChangePassword };
    },
  );

  app.post('/api/auth/logout', { schema: { tags, summary: '退出登录' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await auth.logout(token);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get(
    '/api/me',
    { schema: { tags, summary: '查询当前登录用户', response: { 200: meView } } },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      const a = ctx.actor;
      const rows = await deps.db.query<{
        name: string;
        type: string;
        level: string;
        phone_enc: string | null;
        key: string | null;
        role_name: string | null;
      }>(sql`
      SELECT o.name, o.type, o.level, u.phone_enc, r.key, r.name AS role_name
      FROM users u JOIN orgs o ON o.id = u.org_id
      LEFT JOIN user_roles ur ON ur.user_id = u.id LEFT JOIN roles r ON r.id = ur.role_id
      WHERE u.id = ${a.userId} ORDER BY r.id`);
      const first = rows[0]!;
      return {
        user: {
          id: a.userId,
          username: a.username,
          displayName: a.displayName,
          phone: first.phone_enc ? maskPhone(deps.pii.decrypt(first.phone_enc)) : null,
        },
        organization: { id: a.orgId, name: first.name, type: first.type, level: first.level },
        roles: rows.filter((r) => r.key).map((r) => ({ key: r.key!, name: r.role_name! })),
        permissions: [...a.permissions].sort(),
        dataScope: { kinds: a.scope.kinds, orgIds: a.scope.orgIds },
        csrfToken: req.csrfToken,
        sessionIdleMinutes: deps.config.sessionIdleMinutes,
      };
    },
  );

  app.post(
    '/api/auth/password',
    { schema: { tags, summary: '修改本人密码', body: changePasswordBody } },
    async (req, reply) => {
      await auth.changePassword(
        ctxOf(req, deps.clock),
        req.body.oldPassword,
        req.body.newPassword,
        req.cookies[SESSION_COOKIE],
      );
      return reply.status(204).send();
    },
  );

  app.get('/api/auth/tokens', { schema: { tags, summary: '查询本人的接口令牌' } }, async (req) => ({
    items: await auth.listTokens(ctxOf(req, deps.clock)),
  }));

  app.post(
    '/api/auth/tokens',
    { schema: { tags, summary: '创建接口令牌', body: tokenCreate } },
    async (req, reply) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'token:write');
      return reply.status(201).send(await auth.createToken(ctx, req.body));
    },
  );

  app.delete(
    '/api/auth/tokens/:id',
    { schema: { tags, summary: '吊销本人的接口令牌', params: z.object({ id }) } },
    async (req, reply) => {
      await auth.revokeToken(ctxOf(req, deps.clock), req.params.id);
      return reply.status(204).send();
    },
  );
}
