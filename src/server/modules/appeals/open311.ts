import { z } from 'zod';
import {
  APPEAL_GROUPS,
  APPEAL_STATUSES,
  type AppealGroup,
  OPEN_STATUSES,
} from '../../../shared/appeals/constants.js';
import { appealGroup, categoryCode } from '../../../shared/contracts/appeals.js';
import { regionCode } from '../../../shared/contracts/common.js';
import { normalizeTrackingCode } from '../../../shared/trackingCode.js';
import type { App } from '../../app.js';
import { requirePermission } from '../../platform/access.js';
import { type Sql, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { invalid } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/context.js';
import { appealConfig } from './config.js';
import { intakeAppeal } from './intake.js';
import { type AppealRow, readScope, SELECT } from './repo.js';

/**
 * Open311 GeoReport v2 mapped onto appeals, so civic tools can talk to the platform:
 * services = appeal categories, service requests = appeals (service_request_id = tracking
 * code, address_id = 12-digit region code, attribute[group] = the submitter's group).
 * Unlike a city's pothole list, appeals are private: reading requests needs an API token
 * (Authorization: Bearer nd_…) with appeal:read; posting one needs appeal:intake.
 */
const BASE = '/api/open311/v2';

const postBody = z
  .object({
    service_code: categoryCode,
    description: z.string().trim().min(5).max(2000),
    address_id: regionCode,
    phone: z.string().trim().min(5).max(30),
    first_name: z.string().trim().max(20).optional(),
    last_name: z.string().trim().max(20).optional(),
    'attribute[group]': appealGroup.optional(),
    attribute: z.object({ group: appealGroup.optional() }).optional(),
    api_key: z.string().optional(),
    lat: z.coerce.number().optional(),
    long: z.coerce.number().optional(),
    address_string: z.string().max(200).optional(),
    email: z.string().max(100).optional(),
    device_id: z.string().max(100).optional(),
    account_id: z.string().max(100).optional(),
    media_url: z.string().max(500).optional(),
  })
  .strict();

const listQuery = z
  .object({
    service_request_id: z.string().max(400).optional(),
    service_code: z.string().max(400).optional(),
    start_date: z.iso.datetime({ offset: true }).optional(),
    end_date: z.iso.datetime({ offset: true }).optional(),
    status: z.enum(['open', 'closed']).optional(),
  })
  .strict();

const isOpen = (s: AppealRow['status']) => OPEN_STATUSES.includes(s);

export function registerOpen311Routes(app: App, deps: Deps) {
  const tags = ['Open311 GeoReport v2'];

  app.get(
    `${BASE}/services.json`,
    { schema: { tags, summary: 'Open311：服务（诉求分类）列表' } },
    async () => {
      const cfg = await appealConfig(deps.db);
      return [...cfg.categories.values()]
        .filter((c) => c.active)
        .map((c) => ({
          service_code: c.code,
          service_name: c.name,
          description: c.parentCode ? `${cfg.categories.get(c.parentCode)?.name ?? ''} / ${c.name}` : c.name,
          metadata: true,
          type: 'realtime',
          keywords: c.kind,
          group: c.parentCode ? (cfg.categories.get(c.parentCode)?.name ?? '') : c.name,
        }));
    },
  );

  app.get(
    `${BASE}/services/:code.json`,
    {
      schema: { tags, summary: 'Open311：服务定义', params: z.object({ code: z.string().max(30) }).strict() },
    },
    async (req) => {
      const cfg = await appealConfig(deps.db);
      const c = cfg.category(req.params.code);
      return {
        service_code: c.code,
        attributes: [
          {
            variable: true,
            code: 'group',
            datatype: 'singlevaluelist',
            required: false,
            datatype_description: '诉求人群',
            order: 1,
            description: '诉求人所属群体',
            values: Object.entries(APPEAL_GROUPS).map(([key, name]) => ({ key, name })),
          },
        ],
      };
    },
  );

  const present = async (rows: AppealRow[]) => {
    const cfg = await appealConfig(deps.db);
    return rows.map((a) => ({
      service_request_id: a.tracking_code,
      status: isOpen(a.status) ? 'open' : 'closed',
      status_notes: APPEAL_STATUSES[a.status],
      service_name: cfg.categories.get(a.category_code)?.name ?? a.category_code,
      service_code: a.category_code,
      description: a.confidential ? '（保密）' : a.content,
      agency_responsible: a.status === 'pending_dispatch' ? null : a.org_name,
      service_notice: a.routing.reason,
      requested_datetime: a.created_at.toISOString(),
      updated_datetime: (a.closed_at ?? a.replied_at ?? a.dispatched_at ?? a.created_at).toISOString(),
      expected_datetime: a.due_at?.toISOString() ?? null,
      address: a.region_name,
      address_id: a.region_code,
      zipcode: null,
      lat: null,
      long: null,
      media_url: null,
    }));
  };

  app.get(
    `${BASE}/requests.json`,
    { schema: { tags, summary: 'Open311：查询诉求', querystring: listQuery } },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'appeal:read');
      const f = req.query;
      const conds: Sql[] = [readScope(ctx.actor)];
      if (f.service_request_id) {
        const codes = f.service_request_id.split(',').map((c) => normalizeTrackingCode(c) ?? '');
        conds.push(sql`a.tracking_code = ANY(${codes}::text[])`);
      }
      if (f.service_code) conds.push(sql`a.category_code = ANY(${f.service_code.split(',')}::text[])`);
      if (f.start_date) conds.push(sql`a.created_at >= ${new Date(f.start_date)}`);
      if (f.end_date) conds.push(sql`a.created_at <= ${new Date(f.end_date)}`);
      if (f.status === 'open') conds.push(sql`a.status = ANY(${[...OPEN_STATUSES]}::text[])`);
      if (f.status === 'closed') conds.push(sql`NOT (a.status = ANY(${[...OPEN_STATUSES]}::text[]))`);
      // GeoReport v2: without a date range, the last 90 days, at most 1000 requests
      if (!f.start_date && !f.service_request_id)
        conds.push(sql`a.created_at >= ${new Date(ctx.now.getTime() - 90 * 86_400_000)}`);
      const rows = await deps.db.query<AppealRow>(
        sql`${SELECT} WHERE ${sql.and(conds)} ORDER BY a.created_at DESC LIMIT 1000`,
      );
      return present(rows);
    },
  );

  app.get(
    `${BASE}/requests/:id.json`,
    {
      schema: {
        tags,
        summary: 'Open311：按查询码查看诉求',
        params: z.object({ id: z.string().max(20) }).strict(),
      },
    },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      requirePermission(ctx.actor, 'appeal:read');
      const code = normalizeTrackingCode(req.params.id) ?? '';
      const rows = await deps.db.query<AppealRow>(
        sql`${SELECT} WHERE a.tracking_code = ${code} AND ${readScope(ctx.actor)}`,
      );
      return present(rows);
    },
  );

  app.register(async (sub) => {
    // GeoReport v2 clients post application/x-www-form-urlencoded
    sub.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    (sub as unknown as App).post(
      `${BASE}/requests.json`,
      { schema: { tags, summary: 'Open311：提交诉求', body: postBody } },
      async (req, reply) => {
        const ctx = ctxOf(req, deps.clock);
        requirePermission(ctx.actor, 'appeal:intake');
        const b = req.body;
        const group = (b['attribute[group]'] ?? b.attribute?.group ?? 'other') as AppealGroup;
        const name = [b.last_name, b.first_name].filter(Boolean).join('') || undefined;
        if (b.email && b.email.length > 0 && !b.email.includes('@')) throw invalid('email 格式不正确');
        const r = await intakeAppeal(deps, ctx, {
          content: b.description,
          group,
          categoryCode: b.service_code,
          regionCode: b.address_id,
          phone: b.phone,
          name,
          anonymous: false,
          confidential: false,
          channel: 'api',
          priority: 'normal',
        });
        return reply.status(r.duplicate ? 200 : 201).send([
          {
            service_request_id: r.trackingCode,
            service_notice: r.orgName ? `已转交「${r.orgName}」办理` : '已受理，等待派单',
            account_id: null,
          },
        ]);
      },
    );
  });
}
