import type { UnitListQuery } from '../../../shared/contracts/units.js';
import { regionPrefix, toRegionCode12 } from '../../../shared/regions/regionCode.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { likeEscape, toSimplified } from '../../platform/text.js';

export interface UnitRow {
  id: number;
  name: string;
  kind: string;
  ownership: string;
  credit_code: string | null;
  region_code: string;
  region_name: string | null;
  org_id: number;
  org_name: string;
  headcount: number;
  address: string | null;
  status: 'active' | 'inactive';
  version: number;
  covering: { id: number; name: string; type: string }[] | null;
}

const SELECT = sql`SELECT u.id, u.name, u.kind, u.ownership, u.credit_code, u.region_code, r.name AS region_name,
    u.org_id, o.name AS org_name, u.headcount, u.address, u.status, u.version,
    (SELECT json_agg(json_build_object('id', c.id, 'name', c.name, 'type', c.type) ORDER BY c.id)
       FROM unit_coverage uc JOIN orgs c ON c.id = uc.org_id WHERE uc.unit_id = u.id) AS covering
  FROM units u JOIN orgs o ON o.id = u.org_id LEFT JOIN regions r ON r.code = u.region_code`;

export const unitScope = (actor: Actor) => scopeWhere(actor, { orgId: sql.raw('u.org_id') });

type UnitFilters = Omit<UnitListQuery, 'page' | 'pageSize'>;

function unitWhere(actor: Actor, f: UnitFilters): Sql {
  const conds: Sql[] = [unitScope(actor)];
  if (f.kind) conds.push(sql`u.kind = ${f.kind}`);
  if (f.ownership) conds.push(sql`u.ownership = ${f.ownership}`);
  if (f.regionCode) conds.push(sql`u.region_code LIKE ${`${regionPrefix(toRegionCode12(f.regionCode))}%`}`);
  if (f.orgId) conds.push(sql`u.org_id = ${f.orgId}`);
  if (f.covered === 'yes') conds.push(sql`EXISTS (SELECT 1 FROM unit_coverage uc WHERE uc.unit_id = u.id)`);
  if (f.covered === 'no')
    conds.push(sql`NOT EXISTS (SELECT 1 FROM unit_coverage uc WHERE uc.unit_id = u.id)`);
  if (f.q) {
    const code = f.q.toUpperCase();
    conds.push(
      sql`(u.name ILIKE ${`%${likeEscape(f.q)}%`} OR u.name ILIKE ${`%${likeEscape(toSimplified(f.q))}%`} OR u.credit_code = ${code})`,
    );
  }
  return sql.and(conds);
}

export async function findUnits(q: Queryable, actor: Actor, f: UnitListQuery) {
  const where = unitWhere(actor, f);
  const [items, count] = await Promise.all([
    q.query<UnitRow>(
      sql`${SELECT} WHERE ${where} ORDER BY u.headcount DESC, u.id LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
    ),
    q.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM units u WHERE ${where}`),
  ]);
  return { items, total: count[0]?.n ?? 0 };
}

export async function getUnit(q: Queryable, id: number, lock = false): Promise<UnitRow | undefined> {
  const rows = await q.query<UnitRow>(
    sql`${SELECT} WHERE u.id = ${id} ${sql.raw(lock ? 'FOR UPDATE OF u' : '')}`,
  );
  return rows[0];
}

export async function setCoverage(q: Queryable, unitId: number, orgIds: number[]): Promise<void> {
  await q.query(sql`DELETE FROM unit_coverage WHERE unit_id = ${unitId}`);
  if (orgIds.length > 0) {
    await q.query(
      sql`INSERT INTO unit_coverage (unit_id, org_id) SELECT ${unitId}, unnest(${orgIds}::bigint[])`,
    );
  }
}

/** The filtered list for an export, in the order of the list, at most `limit` rows. */
export function exportUnits(q: Queryable, actor: Actor, f: UnitFilters, limit: number): Promise<UnitRow[]> {
  return q.query<UnitRow>(
    sql`${SELECT} WHERE ${unitWhere(actor, f)} ORDER BY u.headcount DESC, u.id LIMIT ${limit}`,
  );
}
