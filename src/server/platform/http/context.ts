import type { FastifyRequest } from 'fastify';
import type { Actor, Ctx } from '../actor.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
  }
}

/** The request's context; throws UNAUTHENTICATED when nobody is signed in. */
export function ctxOf(req: FastifyRequest, clock: Clock): Ctx {
  if (!req.actor) throw new AppError('UNAUTHENTICATED', '请先登录');
  return { actor: req.actor, requestId: req.id, ip: req.ip ?? null, now: clock.now() };
}
