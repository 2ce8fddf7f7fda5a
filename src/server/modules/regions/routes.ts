import { z } from 'zod';
import type { App } from '../../app.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { ctxOf } from '../../platform/http/context.js';
import { likeEscape, toSimplified } from '../../platform/text.js';

const region = z.object({
  code: z.string(),
  name: z.string(),
  level: z.number(),
  parentCode: z.string().nullable(),
  hasChildren: z.boolean(),
});
const query = z
  .object({
    parentCode: z
      .string()
      .regex(/^\d{12}$/, '行政区划代码应为12位数字')
      .optional(),
    q: z.string().trim().min(1).max(30).optional(),
  })
  .strict();

/** Regions are reference data: readable by every signed-in user. */
export function registerRegionRoutes(app: App, deps: Deps) {
  const tags = ['行政区划 regions'];
  app.get(
    '/api/regions',
    {
      schema: {
        tags,
        summary: '查询行政区划',
        querystring: query,
        response: { 200: z.object({ items: z.array(region) }) },
      },
    },
    async (req) => {
      ctxOf(req, deps.clock);
      return { items: await listRegions(deps, req.query) };
    },
  );
}

export async function listRegions(deps: Deps, f: { parentCode?: string; q?: string }) {
  const conds = [];
  if (f.q) {
    conds.push(
      sql`(r.name LIKE ${`%${likeEscape(f.q)}%`} OR r.name LIKE ${`%${likeEscape(toSimplified(f.q))}%`})`,
    );
  } else if (f.parentCode) conds.push(sql`r.parent_code = ${f.parentCode}`);
  else conds.push(sql`r.parent_code IS NULL`);
  const rows = await deps.db.query<{
    code: string;
    name: string;
    level: number;
    parent_code: string | null;
    has_children: boolean;
  }>(sql`
    SELECT r.code, r.name, r.level, r.parent_code, EXISTS (SELECT 1 FROM regions c WHERE c.parent_code = r.code) AS has_children
    FROM regions r WHERE ${sql.and(conds)} ORDER BY r.code LIMIT 500`);
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_code,
    hasChildren: r.has_children,
  }));
}
