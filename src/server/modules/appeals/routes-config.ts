import { z } from 'zod';
import { appealGroup, categoryCode, categoryKind } from '../../../shared/contracts/appeals.js';
import { text } from '../../../shared/contracts/common.js';
import { orgLevel, orgType } from '../../../shared/contracts/orgs.js';
import type { App } from '../../app.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/context.js';
import { appealConfig, invalidateAppealConfig } from './config.js';

const day = z.iso.date();
const days = (max: number) => z.number().int().min(0).max(max);

const categoryBody = z
  .object({
    parentCode: categoryCode.nullable(),
    name: text(40, 2),
    kind: categoryKind,
    sort: z.number().int().min(0).max(100_000).default(0),
    active: z.boolean().default(true),
  })
  .strict();
const rulesBody = z
  .object({
    rules: z
      .array(
        z
          .object({
            seq: z.number().int().min(0).max(100_000),
            name: text(60, 2),
            groups: z.array(appealGroup).min(1).nullable(),
            categoryCodes: z.array(categoryCode).min(1).nullable(),
            orgType,
            lowestLevel: orgLevel,
            active: z.boolean().default(true),
          })
          .strict(),
      )
      .max(200),
  })
  .strict();
const slaBody = z
  .object({
    rules: z
      .array(
        z
          .object({
            categoryCode: categoryCode.nullable(),
            priority: z.enum(['normal', 'urgent']).nullable(),
            signDays: days(30),
            returnDays: days(30),
            replyDays: days(120),
            visitDays: days(30),
            maxExtensionDays: days(60),
          })
          .strict(),
      )
      .min(1)
      .max(500),
  })
  .strict();
const calendarBody = z
  .object({
    overrides: z
      .array(z.object({ day, kind: z.enum(['holiday', 'workday']), note: text(100).optional() }).strict())
      .max(1000),
  })
  .strict();

/** Configuration is city-wide: only an actor with appeal:config and the whole tree in scope changes it. */
function assertConfigAdmin(ctx: Ctx) {
  if (!ctx.actor.permissions.has('appeal:config') || !ctx.actor.scope.all) throw forbidden();
}

async function knownCategories(q: Queryable, codes: readonly string[]) {
  if (codes.length === 0) return;
  const found = await q.query<{ code: string }>(
    sql`SELECT code FROM appeal_categories WHERE code = ANY(${[...new Set(codes)]}::text[])`,
  );
  if (found.length !== new Set(codes).size) throw invalid('分类编码不存在', { field: 'categoryCode' });
}

/** Administrators change categories, routing rules, time limits and the working-day calendar. */
export function registerAppealConfigRoutes(app: App, deps: Deps) {
  const { db } = deps;
  const tags = ['诉求配置 appeal configuration'];
  const change = async <T>(ctx: Ctx, action: string, fn: (tx: Queryable) => Promise<T>, after: object) => {
    assertConfigAdmin(ctx);
    await db.tx(async (tx) => {
      await fn(tx);
      await audit(tx, ctx, { action, entityType: 'appeal_config', entityId: null, after: { ...after } });
    });
    invalidateAppealConfig(db);
    const cfg = await appealConfig(db);
    return { categories: cfg.tree(), rules: cfg.rules, sla: cfg.sla };
  };

  app.put(
    '/api/appeal-config/categories/:code',
    { schema: { tags, params: z.object({ code: categoryCode }).strict(), body: categoryBody } },
    (req) =>
      change(
        ctxOf(req, deps.clock),
        'appeal.config.category',
        async (tx) => {
          const b = req.body;
          if (b.parentCode) {
            if (b.parentCode === req.params.code)
              throw invalid('上级分类不能是自身', { field: 'parentCode' });
            await knownCategories(tx, [b.parentCode]);
          }
          await tx.query(sql`INSERT INTO appeal_categories (code, parent_code, name, kind, sort, active)
            VALUES (${req.params.code}, ${b.parentCode}, ${b.name}, ${b.kind}, ${b.sort}, ${b.active})
            ON CONFLICT (code) DO UPDATE SET parent_code = EXCLUDED.parent_code, name = EXCLUDED.name,
              kind = EXCLUDED.kind, sort = EXCLUDED.sort, active = EXCLUDED.active`);
        },
        { code: req.params.code, ...req.body },
      ),
  );

  app.put('/api/appeal-config/routing-rules', { schema: { tags, body: rulesBody } }, (req) =>
    change(
      ctxOf(req, deps.clock),
      'appeal.config.routing',
      async (tx) => {
        await knownCategories(
          tx,
          req.body.rules.flatMap((r) => r.categoryCodes ?? []),
        );
        await tx.query(sql`DELETE FROM appeal_routing_rules`);
        for (const r of req.body.rules)
          await tx.query(sql`INSERT INTO appeal_routing_rules (seq, name, groups, category_codes, org_type, lowest_level, active)
            VALUES (${r.seq}, ${r.name}, ${r.groups}::text[], ${r.categoryCodes}::text[], ${r.orgType}, ${r.lowestLevel}, ${r.active})`);
      },
      { rules: req.body.rules },
    ),
  );

  app.put('/api/appeal-config/sla-rules', { schema: { tags, body: slaBody } }, (req) =>
    change(
      ctxOf(req, deps.clock),
      'appeal.config.sla',
      async (tx) => {
        const rules = req.body.rules;
        if (!rules.some((r) => r.categoryCode === null && r.priority === null))
          throw invalid('须保留一条适用于全部分类和优先级的默认时限', { field: 'rules' });
        const keys = new Set(rules.map((r) => `${r.categoryCode}|${r.priority}`));
        if (keys.size !== rules.length) throw invalid('同一分类和优先级只能有一条时限', { field: 'rules' });
        await knownCategories(
          tx,
          rules.flatMap((r) => (r.categoryCode ? [r.categoryCode] : [])),
        );
        await tx.query(sql`DELETE FROM appeal_sla_rules`);
        for (const r of rules)
          await tx.query(sql`INSERT INTO appeal_sla_rules (category_code, priority, sign_days, return_days, reply_days,
              visit_days, max_extension_days)
            VALUES (${r.categoryCode}, ${r.priority}, ${r.signDays}, ${r.returnDays}, ${r.replyDays}, ${r.visitDays},
              ${r.maxExtensionDays})`);
      },
      { rules: req.body.rules },
    ),
  );

  // the flat list for the configuration screen: disabled categories too, with their order
  app.get(
    '/api/appeal-config/categories',
    {
      schema: {
        tags,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                code: z.string(),
                parentCode: z.string().nullable(),
                name: z.string(),
                kind: categoryKind,
                sort: z.number(),
                active: z.boolean(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, deps.clock);
      if (!ctx.actor.permissions.has('appeal:config')) throw forbidden();
      const rows = await db.query<{
        code: string;
        parent_code: string | null;
        name: string;
        kind: z.infer<typeof categoryKind>;
        sort: number;
        active: boolean;
      }>(sql`SELECT code, parent_code, name, kind, sort, active FROM appeal_categories ORDER BY sort, code`);
      return {
        items: rows.map((r) => ({
          code: r.code,
          parentCode: r.parent_code,
          name: r.name,
          kind: r.kind,
          sort: r.sort,
          active: r.active,
        })),
      };
    },
  );

  app.get('/api/appeal-config/calendar', { schema: { tags } }, async (req) => {
    const ctx = ctxOf(req, deps.clock);
    if (!ctx.actor.permissions.has('appeal:read')) throw forbidden();
    return {
      items: await db.query(sql`SELECT day, kind, note FROM workday_overrides ORDER BY day`),
    };
  });

  app.put('/api/appeal-config/calendar', { schema: { tags, body: calendarBody } }, async (req) => {
    await change(
      ctxOf(req, deps.clock),
      'appeal.config.calendar',
      async (tx) => {
        await tx.query(sql`DELETE FROM workday_overrides`);
        for (const o of req.body.overrides)
          await tx.query(
            sql`INSERT INTO workday_overrides (day, kind, note) VALUES (${o.day}, ${o.kind}, ${o.note ?? null})
              ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note`,
          );
      },
      { overrides: req.body.overrides },
    );
    return { items: await db.query(sql`SELECT day, kind, note FROM workday_overrides ORDER BY day`) };
  });
}
