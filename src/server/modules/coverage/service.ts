import type {
  CoverageRow,
  CoverageStatsQuery,
  UncoveredQuery,
  UncoveredView,
} from '../../../shared/contracts/coverage.js';
import {
  ORG_TYPES,
  UNIT_KINDS,
  UNIT_OWNERSHIP,
  type UnitKind,
  type UnitOwnership,
} from '../../../shared/orgs.js';
import { assertAccess, requirePermission, scopeWhere } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { type Sql, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';

/** Next level of a region prefix: province (2) → city (4) → county (6) → township (9) → village (12). */
const NEXT_LEN: Record<number, number> = { 2: 4, 4: 6, 6: 9, 9: 12, 12: 12 };

function prefixOf(code: string): string {
  // a 12-digit code stands for its significant prefix ('130700000000' → '1307')
  if (code.length !== 12) return code;
  if (code.slice(9) !== '000') return code;
  if (code.slice(6, 9) !== '000') return code.slice(0, 9);
  if (code.slice(4, 6) !== '00') return code.slice(0, 6);
  if (code.slice(2, 4) !== '00') return code.slice(0, 4);
  return code.slice(0, 2);
}

const rate = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10000) / 10000);

/**
 * 组织覆盖: which grassroots units (enterprises, social organizations, communities, villages,
 * platform employers) an organization covers, coverage rates by region, organization type and
 * unit kind, and the uncovered units with the most people first. Rows in the caller's unit scope.
 */
export function createCoverageService(deps: Deps) {
  const { db } = deps;

  function unitWhere(
    ctx: Ctx,
    f: { regionCode?: string; kind?: string; ownership?: string; orgId?: number },
  ): Sql {
    const conds: Sql[] = [sql`u.status = 'active'`, scopeWhere(ctx.actor, { orgId: sql.raw('u.org_id') })];
    if (f.regionCode) conds.push(sql`u.region_code LIKE ${`${prefixOf(f.regionCode)}%`}`);
    if (f.kind) conds.push(sql`u.kind = ${f.kind}`);
    if (f.ownership) conds.push(sql`u.ownership = ${f.ownership}`);
    if (f.orgId)
      conds.push(
        sql`u.org_id IN (SELECT d.id FROM orgs d WHERE d.path LIKE (SELECT x.path FROM orgs x WHERE x.id = ${f.orgId}) || '%')`,
      );
    return sql.and(conds);
  }

  return {
    async stats(ctx: Ctx, f: CoverageStatsQuery) {
      requirePermission(ctx.actor, 'unit:read');
      const where = unitWhere(ctx, f);
      type R = { key: string; units: number; covered: number; headcount: number; covered_headcount: number };
      const toRow = (r: R, label: string): CoverageRow => ({
        key: r.key,
        label,
        units: r.units,
        covered: r.covered,
        rate: rate(r.covered, r.units),
        headcount: Number(r.headcount ?? 0),
        coveredHeadcount: Number(r.covered_headcount ?? 0),
      });
      const agg = (key: Sql, covered: Sql) => sql`SELECT ${key} AS key, count(*)::int AS units,
          count(*) FILTER (WHERE ${covered})::int AS covered,
          COALESCE(sum(u.headcount), 0)::bigint AS headcount,
          COALESCE(sum(u.headcount) FILTER (WHERE ${covered}), 0)::bigint AS covered_headcount
        FROM units u WHERE ${where} GROUP BY 1 ORDER BY 1`;
      const anyCover = sql`EXISTS (SELECT 1 FROM unit_coverage uc WHERE uc.unit_id = u.id)`;
      const totalRows = await db.query<R>(agg(sql`''`, anyCover));
      const total = toRow(
        totalRows[0] ?? { key: '', units: 0, covered: 0, headcount: 0, covered_headcount: 0 },
        '合计',
      );
      let rows: CoverageRow[];
      if (f.by === 'orgType') {
        const byType = await db.query<R>(sql`SELECT c.type AS key, count(DISTINCT u.id)::int AS covered,
            0 AS units, 0 AS headcount, 0 AS covered_headcount FROM units u
          JOIN unit_coverage uc ON uc.unit_id = u.id JOIN orgs c ON c.id = uc.org_id WHERE ${where} GROUP BY 1`);
        const heads = await db.query<{
          key: string;
          n: number;
        }>(sql`SELECT x.type AS key, COALESCE(sum(u.headcount), 0)::bigint AS n
          FROM (SELECT DISTINCT uc.unit_id, c.type FROM unit_coverage uc JOIN orgs c ON c.id = uc.org_id) x
          JOIN units u ON u.id = x.unit_id WHERE ${where} GROUP BY 1`);
        const headOf = new Map(heads.map((h) => [h.key, Number(h.n)]));
        const covered = new Map(byType.map((r) => [r.key, r.covered]));
        rows = Object.entries(ORG_TYPES)
          .filter(([k]) => k !== 'party_mass_office')
          .map(([k, label]) =>
            toRow(
              {
                key: k,
                units: total.units,
                covered: covered.get(k) ?? 0,
                headcount: total.headcount,
                covered_headcount: headOf.get(k) ?? 0,
              },
              label,
            ),
          );
      } else if (f.by === 'region') {
        const prefix = f.regionCode ? prefixOf(f.regionCode) : '';
        const len = prefix ? (NEXT_LEN[prefix.length] ?? 12) : 6;
        const r = await db.query<R>(agg(sql`substr(u.region_code, 1, ${len})`, anyCover));
        const codes = r.map((x) => x.key.padEnd(12, '0'));
        const names = await db.query<{ code: string; name: string }>(
          sql`SELECT code, name FROM regions WHERE code = ANY(${codes}::text[])`,
        );
        const nameOf = new Map(names.map((n) => [n.code.slice(0, len), n.name]));
        rows = r.map((x) => toRow(x, nameOf.get(x.key) ?? x.key));
      } else {
        const col = f.by === 'kind' ? sql.raw('u.kind') : sql.raw('u.ownership');
        const dict: Record<string, string> = f.by === 'kind' ? UNIT_KINDS : UNIT_OWNERSHIP;
        rows = (await db.query<R>(agg(col, anyCover))).map((x) => toRow(x, dict[x.key] ?? x.key));
      }
      return { by: f.by, rows, total };
    },

    /** Units that no organization (of a type) covers, the most people first. */
    async uncovered(ctx: Ctx, f: UncoveredQuery) {
      if (f.orgId) await assertAccess(db, ctx.actor, 'unit:read', 'org', [f.orgId]);
      requirePermission(ctx.actor, 'unit:read');
      const gap = f.orgType
        ? sql`NOT EXISTS (SELECT 1 FROM unit_coverage uc JOIN orgs c ON c.id = uc.org_id WHERE uc.unit_id = u.id AND c.type = ${f.orgType})`
        : sql`NOT EXISTS (SELECT 1 FROM unit_coverage uc WHERE uc.unit_id = u.id)`;
      const where = sql`${unitWhere(ctx, f)} AND ${gap}`;
      const [rows, count] = await Promise.all([
        db.query<{
          id: number;
          name: string;
          kind: string;
          ownership: string;
          region_code: string;
          region_name: string | null;
          org_id: number;
          org_name: string;
          headcount: number;
          registered: number;
          types: string[] | null;
        }>(sql`SELECT u.id, u.name, u.kind, u.ownership, u.region_code, r.name AS region_name, u.org_id, o.name AS org_name,
            u.headcount, (SELECT count(*)::int FROM persons p WHERE p.employer_unit_id = u.id) AS registered,
            (SELECT array_agg(DISTINCT c.type) FROM unit_coverage uc JOIN orgs c ON c.id = uc.org_id WHERE uc.unit_id = u.id) AS types
          FROM units u JOIN orgs o ON o.id = u.org_id LEFT JOIN regions r ON r.code = u.region_code
          WHERE ${where} ORDER BY u.headcount DESC, u.id LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`),
        db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM units u WHERE ${where}`),
      ]);
      const items: UncoveredView[] = rows.map((r) => ({
        id: r.id,
        name: r.name,
        kind: r.kind as UnitKind,
        kindLabel: UNIT_KINDS[r.kind as UnitKind] ?? r.kind,
        ownership: r.ownership as UnitOwnership,
        ownershipLabel: UNIT_OWNERSHIP[r.ownership as UnitOwnership] ?? r.ownership,
        regionCode: r.region_code,
        regionName: r.region_name,
        orgId: r.org_id,
        orgName: r.org_name,
        headcount: r.headcount,
        registered: r.registered,
        coveringTypes: r.types ?? [],
      }));
      return { items, total: count[0]?.n ?? 0 };
    },
  };
}
