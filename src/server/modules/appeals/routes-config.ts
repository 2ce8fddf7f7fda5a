import { z } from 'zod';
import { appealGroup, categoryCode, categoryKind } from '../../../shared/contracts/appeals.js';
import { text, version } from '../../../shared/contracts/common.js';
import { orgLevel, orgType } from '../../../shared/contracts/orgs.js';
import type { App } from '../../app.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { conflict, forbidden, invalid, notFound, staleVersion } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/context.js';
import { invalidateAppealConfig, readRoutingRules, readSlaRules } from './config.js';

const day = z.iso.date();
const days = (max: number) => z.number().int().min(0).max(max);

const categoryBody = z
  .object({
    parentCode: categoryCode.nullable(),
    name: text(40, 2),
    kind: categoryKind,
    sort: z.number().int().min(0).max(100_000).default(0),
    active: z.boolean().default(true),
    /** the version the edit was based on; null creates a new category */
    version: version.nullable(),
  })
  .strict();
const rulesBody = z
  .object({
    version,
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
    version,
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
    version,
    overrides: z
      .array(z.object({ day, kind: z.enum(['holiday', 'workday']), note: text(100).optional() }).strict())
      .max(1000),
  })
  .strict();

const categoryItem = z.object({
  code: z.string(),
  parentCode: z.string().nullable(),
  name: z.string(),
  kind: categoryKind,
  sort: z.number(),
  active: z.boolean(),
  version: z.number(),
});
interface CategoryDbRow {
  code: string;
  parent_code: string | null;
  name: string;
  kind: z.infer<typeof categoryKind>;
  sort: number;
  active: boolean;
  version: number;
}
const CATEGORY_SELECT = sql`SELECT code, parent_code, name, kind, sort, active, version FROM appeal_categories`;
const categoryOf = (r: CategoryDbRow): z.infer<typeof categoryItem> => ({
  code: r.code,
  parentCode: r.parent_code,
  name: r.name,
  kind: r.kind,
  sort: r.sort,
  active: r.active,
  version: r.version,
});

/** The lists that are saved whole, each with one version (table appeal_config_versions). */
type ConfigList = 'routing' | 'sla' | 'calendar';

/**
 * The version of a list, read before the list itself: FOR SHARE waits for a save of the list
 * in progress (which holds the row from its first statement), so the list read next in the
 * same transaction is the one of this version.
 */
async function listVersion(tx: Queryable, list: ConfigList): Promise<number> {
  const r = await tx.query<{ version: number }>(
    sql`SELECT version FROM appeal_config_versions WHERE list = ${list} FOR SHARE`,
  );
  return r[0]!.version;
}

/**
 * The first statement of a save of a list: the next version if `expected` is still the current
 * one (the row stays locked until commit, so a concurrent save with the same version waits and
 * then finds it stale); otherwise 409 and nothing is changed.
 */
async function nextListVersion(tx: Queryable, list: ConfigList, expected: number): Promise<number> {
  const r = await tx.query<{ version: number }>(sql`UPDATE appeal_config_versions SET version = version + 1
    WHERE list = ${list} AND version = ${expected} RETURNING version`);
  if (!r[0]) throw staleVersion();
  return r[0].version;
}

const readCalendar = (q: Queryable) =>
  q.query<{ day: string; kind: 'holiday' | 'workday'; note: string | null }>(
    sql`SELECT day, kind, note FROM workday_overrides ORDER BY day`,
  );

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

/**
 * Refuses to move a category under one of its own descendants (the tree would lose both).
 * Moves are serialized by a lock on the table, so two crossing moves cannot make a cycle.
 */
async function refuseCycle(tx: Queryable, code: string, parentCode: string): Promise<void> {
  await tx.query(sql`LOCK TABLE appeal_categories IN SHARE ROW EXCLUSIVE MODE`);
  const below = await tx.query(sql`WITH RECURSIVE up AS (
      SELECT code, parent_code FROM appeal_categories WHERE code = ${parentCode}
      UNION ALL
      SELECT c.code, c.parent_code FROM appeal_categories c JOIN up ON c.code = up.parent_code)
    SELECT 1 FROM up WHERE code = ${code} LIMIT 1`);
  if (below.length > 0) throw invalid('不能把分类移到它自己的下级分类之下', { field: 'parentCode' });
}

/**
 * Administrators change categories, routing rules, time limits and the working-day calendar.
 * Every save carries the version it was based on (a category's own, or the list's); a stale
 * one answers 409 CONFLICT and changes nothing, so two administrators cannot silently
 * overwrite each other.
 */
export function registerAppealConfigRoutes(app: App, deps: Deps) {
  const { db } = deps;
  const tags = ['诉求配置 appeal configuration'];
  /** One audited change; `fn` answers what was saved with its new version. */
  const change = async <T extends { version: number }>(
    ctx: Ctx,
    action: string,
    fn: (tx: Queryable) => Promise<T>,
    after: object,
  ): Promise<T> => {
    assertConfigAdmin(ctx);
    const saved = await db.tx(async (tx) => {
      const out = await fn(tx);
      await audit(tx, ctx, {
        action,
        entityType: 'appeal_config',
        entityId: null,
        after: { ...after, version: out.version },
      });
      return out;
    });
    invalidateAppealConfig(db);
    return saved;
  };
  const readList = async <T>(list: ConfigList, read: (tx: Queryable) => Promise<T>) =>
    db.tx(async (tx) => {
      const v = await listVersion(tx, list);
      return { version: v, items: await read(tx) };
    });
  const requireConfig = (ctx: Ctx) => {
    if (!ctx.actor.permissions.has('appeal:config')) throw forbidden();
  };

  app.put(
    '/api/appeal-config/categories/:code',
    {
      schema: {
        tags,
        summary: '新建或修改诉求分类',
        params: z.object({ code: categoryCode }).strict(),
        body: categoryBody,
        response: { 200: categoryItem },
      },
    },
    (req) =>
      change(
        ctxOf(req, deps.clock),
        'appeal.config.category',
        async (tx) => {
          const { version: expected, ...b } = req.body;
          const code = req.params.code;
          if (b.parentCode) {
            if (b.parentCode === code) throw invalid('上级分类不能是自身', { field: 'parentCode' });
            await knownCategories(tx, [b.parentCode]);
            if (expected !== null) await refuseCycle(tx, code, b.parentCode);
          }
          if (expected === null) {
            const added =
              await tx.query(sql`INSERT INTO appeal_categories (code, parent_code, name, kind, sort, active)
              VALUES (${code}, ${b.parentCode}, ${b.name}, ${b.kind}, ${b.sort}, ${b.active})
              ON CONFLICT (code) DO NOTHING RETURNING code`);
            if (!added[0]) throw conflict(`分类编码 ${code} 已存在`, { field: 'code' });
          } else {
            const updated = await tx.query(sql`UPDATE appeal_categories SET parent_code = ${b.parentCode},
                name = ${b.name}, kind = ${b.kind}, sort = ${b.sort}, active = ${b.active}, version = version + 1
              WHERE code = ${code} AND version = ${expected} RETURNING code`);
            if (!updated[0]) {
              const exists = await tx.query(sql`SELECT 1 FROM appeal_categories WHERE code = ${code}`);
              throw exists.length > 0 ? staleVersion() : notFound('诉求分类');
            }
          }
          const [row] = await tx.query<CategoryDbRow>(sql`${CATEGORY_SELECT} WHERE code = ${code}`);
          return categoryOf(row!);
        },
        { code: req.params.code, ...req.body },
      ),
  );

  // the routing rules and time limits with their versions, for the configuration screen
  // (GET /api/appeal-config serves the same rules from the per-process cache, without versions)
  app.get('/api/appeal-config/routing-rules', { schema: { tags, summary: '查询派单规则' } }, async (req) => {
    requireConfig(ctxOf(req, deps.clock));
    const { version: v, items } = await readList('routing', readRoutingRules);
    return { rules: items, version: v };
  });

  app.put(
    '/api/appeal-config/routing-rules',
    { schema: { tags, summary: '修改派单规则', body: rulesBody } },
    (req) =>
      change(
        ctxOf(req, deps.clock),
        'appeal.config.routing',
        async (tx) => {
          const v = await nextListVersion(tx, 'routing', req.body.version);
          await knownCategories(
            tx,
            req.body.rules.flatMap((r) => r.categoryCodes ?? []),
          );
          await tx.query(sql`DELETE FROM appeal_routing_rules`);
          for (const r of req.body.rules)
            await tx.query(sql`INSERT INTO appeal_routing_rules (seq, name, groups, category_codes, org_type, lowest_level, active)
            VALUES (${r.seq}, ${r.name}, ${r.groups}::text[], ${r.categoryCodes}::text[], ${r.orgType}, ${r.lowestLevel}, ${r.active})`);
          return { rules: await readRoutingRules(tx), version: v };
        },
        { rules: req.body.rules },
      ),
  );

  app.get('/api/appeal-config/sla-rules', { schema: { tags, summary: '查询办理时限规则' } }, async (req) => {
    requireConfig(ctxOf(req, deps.clock));
    const { version: v, items } = await readList('sla', readSlaRules);
    return { rules: items, version: v };
  });

  app.put(
    '/api/appeal-config/sla-rules',
    { schema: { tags, summary: '修改办理时限规则', body: slaBody } },
    (req) =>
      change(
        ctxOf(req, deps.clock),
        'appeal.config.sla',
        async (tx) => {
          const v = await nextListVersion(tx, 'sla', req.body.version);
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
          return { rules: await readSlaRules(tx), version: v };
        },
        { rules: req.body.rules },
      ),
  );

  // the flat list for the configuration screen: disabled categories too, with their order and versions
  app.get(
    '/api/appeal-config/categories',
    {
      schema: {
        tags,
        summary: '查询诉求分类（含已停用）',
        response: { 200: z.object({ items: z.array(categoryItem) }) },
      },
    },
    async (req) => {
      requireConfig(ctxOf(req, deps.clock));
      const rows = await db.query<CategoryDbRow>(sql`${CATEGORY_SELECT} ORDER BY sort, code`);
      return { items: rows.map(categoryOf) };
    },
  );

  app.get('/api/appeal-config/calendar', { schema: { tags, summary: '查询工作日历' } }, async (req) => {
    const ctx = ctxOf(req, deps.clock);
    if (!ctx.actor.permissions.has('appeal:read')) throw forbidden();
    return readList('calendar', readCalendar);
  });

  app.put(
    '/api/appeal-config/calendar',
    { schema: { tags, summary: '修改工作日历', body: calendarBody } },
    (req) =>
      change(
        ctxOf(req, deps.clock),
        'appeal.config.calendar',
        async (tx) => {
          const v = await nextListVersion(tx, 'calendar', req.body.version);
          await tx.query(sql`DELETE FROM workday_overrides`);
          for (const o of req.body.overrides)
            await tx.query(
              sql`INSERT INTO workday_overrides (day, kind, note) VALUES (${o.day}, ${o.kind}, ${o.note ?? null})
              ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note`,
            );
          return { items: await readCalendar(tx), version: v };
        },
        { overrides: req.body.overrides },
      ),
  );
}
