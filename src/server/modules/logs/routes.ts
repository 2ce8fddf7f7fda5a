import { z } from 'zod';
import { shanghaiDateTime } from '../../../shared/calendar/ymd.js';
import { paging } from '../../../shared/contracts/common.js';
import type { App } from '../../app.js';
import { requirePermission, scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { audit, exportAudit } from '../../platform/audit.js';
import { csvDocument } from '../../platform/csv.js';
import { type Sql, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { sendCsv } from '../../platform/http/files.js';
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

type AuditQuery = z.infer<typeof auditQuery>;
type LoginQuery = z.infer<typeof loginQuery>;

/** The operation log's rows a user may see under the filters: of organizations in scope. */
function auditWhere(actor: Actor, f: AuditQuery): Sql {
  const conds: Sql[] = [
    actor.scope.all
      ? sql.raw('TRUE')
      : sql`(a.org_id IS NOT NULL AND ${scopeWhere(actor, { orgId: sql.raw('a.org_id') })})`,
    ...range(sql.raw('a.at'), f.from, f.to),
  ];
  if (f.actor) conds.push(sql`a.actor_name ILIKE ${`%${likeEscape(f.actor)}%`}`);
  if (f.action) conds.push(sql`a.action LIKE ${`${likeEscape(f.action)}%`}`);
  if (f.entityType) conds.push(sql`a.entity_type = ${f.entityType}`);
  if (f.entityId) conds.push(sql`a.entity_id = ${f.entityId}`);
  return sql.and(conds);
}

/** The login log's rows a user may see under the filters: of users in scope. */
function loginWhere(actor: Actor, f: LoginQuery): Sql {
  const conds: Sql[] = [...range(sql.raw('l.at'), f.from, f.to)];
  if (!actor.scope.all) {
    conds.push(
      sql`EXISTS (SELECT 1 FROM users u WHERE u.id = l.user_id AND ${scopeWhere(actor, { orgId: sql.raw('u.org_id'), owner: sql.raw('u.id') })})`,
    );
  }
  if (f.username) conds.push(sql`l.username ILIKE ${`%${likeEscape(f.username)}%`}`);
  if (f.success) conds.push(sql`l.success = ${f.success === 'true'}`);
  return sql.and(conds);
}

/** Rows of one log export, newest first (a wider range is exported in parts by date). */
export const LOG_EXPORT_LIMIT = 50_000;

/** Operation (audit) and login logs, RuoYi-style: filterable, newest first, within data scope. */
export function registerLogRoutes(app: App, deps: Deps) {
  const tags = ['日志 logs'];
  app.get(
    '/api/audit-events',
    {
      schema: {
        tags,
        summary: '查询操作日志',
        querystring: auditQuery,
        response: { 200: z.object({ items: z.array(auditItem), total: z.number() }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'audit:read');
      const f = req.query;
      const where = auditWhere(ctx.actor, f);
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
        summary: '查询登录日志',
        querystring: loginQuery,
        response: { 200: z.object({ items: z.array(loginItem), total: z.number() }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'loginlog:read');
      const f = req.query;
      const where = loginWhere(ctx.actor, f);
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

  app.get(
    '/api/audit-events/export',
    {
      schema: {
        tags,
        summary: '导出操作日志（CSV，按列表筛选条件，最新的 50,000 条）',
        querystring: auditQuery,
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'audit:read');
      const rows = await deps.db.query<{
        at: Date;
        actor_name: string;
        action: string;
        entity_type: string;
        entity_id: string | null;
        ip: string | null;
        request_id: string | null;
      }>(sql`SELECT a.at, a.actor_name, a.action, a.entity_type, a.entity_id, a.ip, a.request_id
        FROM audit_events a WHERE ${auditWhere(ctx.actor, req.query)} ORDER BY a.id DESC LIMIT ${LOG_EXPORT_LIMIT}`);
      await audit(deps.db, ctx, exportAudit(ctx.actor, 'audit.export', req.query, rows.length));
      const csv = csvDocument(
        ['时间', '操作人', '操作', '对象类型', '对象编号', 'IP', '请求号'],
        rows.map((r) => [
          shanghaiDateTime(r.at),
          r.actor_name,
          r.action,
          r.entity_type,
          r.entity_id,
          r.ip,
          r.request_id,
        ]),
      );
      return sendCsv(reply, '操作日志.csv', csv);
    },
  );

  app.get(
    '/api/login-log/export',
    {
      schema: {
        tags,
        summary: '导出登录日志（CSV，按列表筛选条件，最新的 50,000 条）',
        querystring: loginQuery,
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'loginlog:read');
      const rows = await deps.db.query<{
        at: Date;
        username: string;
        success: boolean;
        reason: string | null;
        ip: string | null;
        user_agent: string | null;
      }>(sql`SELECT l.at, l.username, l.success, l.reason, l.ip, l.user_agent FROM login_log l
        WHERE ${loginWhere(ctx.actor, req.query)} ORDER BY l.id DESC LIMIT ${LOG_EXPORT_LIMIT}`);
      await audit(deps.db, ctx, exportAudit(ctx.actor, 'loginlog.export', req.query, rows.length));
      const csv = csvDocument(
        ['时间', '用户名', '结果', '原因', 'IP', '浏览器'],
        rows.map((r) => [
          shanghaiDateTime(r.at),
          r.username,
          r.success ? '成功' : '失败',
          r.reason,
          r.ip,
          r.user_agent,
        ]),
      );
      return sendCsv(reply, '登录日志.csv', csv);
    },
  );
}
