import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.js';

/**
 * A service for read-only, read-heavy routes (dashboards, statistics, rankings), built twice:
 * on the primary and on the standby. Each request gets the one its reads should use
 * (`ReadRouter.readerFor`: the standby when up, fresh and past the caller's own writes).
 * Only for services whose calls never write: a standby refuses writes.
 */
export function forReads<T>(deps: Deps, make: (d: Deps) => T): (req: FastifyRequest) => Promise<T> {
  const onPrimary = make(deps);
  const replica = deps.reads.replica;
  if (!replica) return async () => onPrimary;
  const onReplica = make({ ...deps, db: replica });
  return async (req) => ((await deps.reads.readerFor(req)) === replica ? onReplica : onPrimary);
}
