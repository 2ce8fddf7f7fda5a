import { z } from 'zod';
import { paging } from '../../../shared/contracts/common.js';
import type { App } from '../../app.js';
import { requirePermission, scopeWhere } from '../../platform/access.js';
import { type Sql, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { likeEscape } from '../../platform/text.js';

const when = z.iso.datetime({ offset: true }).or(z.iso.date());

const auditQuery = z
  .object({
    actor: z.string().trim().max(40).optional(),
    action: z.string().trim().max(60).optional(),
    entityType: z.string().trim().max(40).optional(),
    entityId: z.string().trim().max(40).optional(),
    from: when.optional(),
    to: when.optional(),
    ...paging,
  })
  .strict();

const loginQuery = z
  .object({
    username: z.string().trim().max(40).optional(),
    success: z.enum(['true', 'false']).optional(),
    from: when.optional(),
    to: when.optional(),
    ...paging,
  })
  .strict();

const auditItem = z.object({
  id: z.number(),
  at: z.string(),
  actorName: z.string(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
});
const loginItem = z.object({
  id: z.number(),
  at: z.string(),
  username: z.string(),
  success: z.boolean(),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

function range(col: Sql, from?: string, to?: string): Sql[] {
  const out: Sql[] = [];
  if (from) out.push(sql`${col} >= ${new Date(from)}`);
  if (to)
    out.push(
      sql`${col} < ${new Date(to.length === 10 ? new Date(new Date(to).getTime() + 86_400_000) : to)}`,
    );
  return out;
}

/** Operation (audit) and login logs, RuoYi-style: filterable, newest first, within data scope. */
export function registerLogRoutes(app: App, deps: Deps) {
  const tags = ['日志 logs'];
  app.get(
    '/api/audit-events',
    {
      schema: {
        tags,
        querystring: auditQuery,
        response: { 200: z.object({ items: z.array(auditItem), total: z.number() }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'audit:read');
      const f = req.query;
      const conds: Sql[] = [
        ctx.actor.scope.all
          ? sql.raw('TRUE')
          : sql`(a.org_id IS NOT NULL AND ${scopeWhere(ctx.actor, { orgId: sql.raw('a.org_id') })})`,
        ...range(sql.raw('a.at'), f.from, f.to),
      ];
      if (f.actor) conds.push(sql`a.actor_name ILIKE ${`%${likeEscape(f.actor)}%`}`);
      if (f.action) conds.push(sql`a.action LIKE ${`${likeEscape(f.action)}%`}`);
      if (f.entityType) conds.push(sql`a.entity_type = ${f.entityType}`);
      if (f.entityId) conds.push(sql`a.entity_id = ${f.entityId}`);
      const where = sql.and(conds);
      const [rows, count] = await Promise.all([
        deps.db.query<{
          id: number;
          at: Date;
          actor_name: string;
          action: string;
          entity_type: string;
          entity_id: string | null;
          before: unknown;
          after: unknown;
          request_id: string | null;
          ip: string | null;
        }>(
          sql`SELECT a.id, a.at, a.actor_name, a.action, a.entity_type, a.entity_id, a.before, a.after, a.request_id, a.ip
          FROM audit_events a WHERE ${where} ORDER BY a.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
        ),
        deps.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events a WHERE ${where}`),
      ]);
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorName: r.actor_name,
          action: r.action,
          entityType: r.entity_type,
          entityId: r.entity_id,
          before: r.before,
          after: r.after,
          requestId: r.request_id,
          ip: r.ip,
        })),
        total: count[0]?.n ?? 0,
      };
    },
  );

  app.get(
    '/api/login-log',
    {
      schema: {
        tags,
        querystring: loginQuery,
        response: { 200: z.object({ items: z.array(loginItem), total: z.number() }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'loginlog:read');
      const f = req.query;
      const conds: Sql[] = [...range(sql.raw('l.at'), f.from, f.to)];
      if (!ctx.actor.scope.all) {
        conds.push(
          sql`EXISTS (SELECT 1 FROM users u WHERE u.id = l.user_id AND ${scopeWhere(ctx.actor, { orgId: sql.raw('u.org_id'), owner: sql.raw('u.id') })})`,
        );
      }
      if (f.username) conds.push(sql`l.username ILIKE ${`%${likeEscape(f.username)}%`}`);
      if (f.success) conds.push(sql`l.success = ${f.success === 'true'}`);
      const where = sql.and(conds);
      const [rows, count] = await Promise.all([
        deps.db.query<{
          id: number;
          at: Date;
          username: string;
          success: boolean;
          reason: string | null;
          ip: string | null;
          user_agent: string | null;
        }>(
          sql`SELECT l.id, l.at, l.username, l.success, l.reason, l.ip, l.user_agent FROM login_log l
          WHERE ${where} ORDER BY l.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
        ),
        deps.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM login_log l WHERE ${where}`),
      ]);
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          username: r.username,
          success: r.success,
          reason: r.reason,
          ip: r.ip,
          userAgent: r.user_agent,
        })),
        total: count[0]?.n ?? 0,
      };
    },
  );
}
