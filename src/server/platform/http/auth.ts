import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { CSRF_COOKIE, resolveApiToken, resolveSession, SESSION_COOKIE } from '../sessions.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Endpoints a user may call without a session (and so without a CSRF token). */
/** Requests that are not activity of the user: a live stream (re)connecting keeps no session open. */
const PASSIVE = ['/api/me/events'];
const PUBLIC_MUTATIONS = [/^\/api\/auth\/login$/, /^\/api\/public\//];
/** What a user signed in with a one-time password may call before setting their own. */
const BEFORE_PASSWORD_CHANGE = [
  /^\/api\/auth\/(login|logout|password)$/,
  /^\/api\/public\//,
  /^\/api\/health$/,
];

/**
 * Resolves who is calling on every /api request: a session cookie (then mutations need
 * the CSRF header matching the session's token: double-submit) or an API token.
 */
export function installAuth(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    const now = deps.clock.now();
    const authz = req.headers.authorization;
    if (authz?.startsWith('Bearer ')) {
      req.actor = await resolveApiToken(deps.db, authz.slice(7).trim(), now);
      if (!req.actor) throw new AppError('UNAUTHENTICATED', '接口令牌无效或已过期');
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    const path = req.url.split('?')[0] ?? '';
    if (token) {
      const touch = !PASSIVE.includes(path);
      const s = await resolveSession(deps.db, token, now, deps.config.sessionIdleMinutes, touch);
      if (s) {
        req.actor = s.actor;
        req.csrfToken = s.csrfToken;
      } else {
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    if (req.actor?.mustChangePassword && !BEFORE_PASSWORD_CHANGE.some((r) => r.test(path))) {
      throw new AppError('FORBIDDEN', '请先修改初始密码', { reason: 'must_change_password' });
    }
    if (req.actor && MUTATING.has(req.method) && !PUBLIC_MUTATIONS.some((r) => r.test(path))) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== req.csrfToken) {
        throw new AppError('FORBIDDEN', '安全校验失败（CSRF），请刷新页面后重试', { reason: 'csrf' });
      }
    }
  });
}

export function sessionCookieOptions(deps: Deps) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.secureCookies,
  };
}

export function csrfCookieOptions(deps: Deps) {
  return { path: '/', httpOnly: false, sameSite: 'strict' as const, secure: deps.config.secureCookies };
}
export { CSRF_COOKIE, SESSION_COOKIE };
