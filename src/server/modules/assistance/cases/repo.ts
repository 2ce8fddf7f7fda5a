import { scopeWhere } from '../../../platform/access.js';
import type { Actor } from '../../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../../platform/db/index.js';

export interface CaseRow {
  id: number;
  org_id: number;
  org_name: string;
  org_path: string;
  level: string;
  region_code: string | null;
  status: string;
  category: string;
  primary_cause: string;
  secondary_causes: string[];
  health: string;
  housing: string;
  employment: string;
  description: string;
  applicant_person_id: number;
  applicant_name: string;
  bank_name: string | null;
  bank_mask: string | null;
  monthly_income: number;
  publicity_start: string | null;
  publicity_until: string | null;
  exit_proposed_at: Date | null;
  exit_note: string | null;
  end_reason: string | null;
  created_by: number;
  version: number;
  created_at: Date;
  updated_at: Date;
  verified_at: Date;
  members_count: number;
}

export const caseScope = (actor: Actor, alias = 'c'): Sql =>
  scopeWhere(actor, { orgId: sql.raw(`${alias}.org_id`), owner: sql.raw(`${alias}.created_by`) });

const CASE_SELECT = sql`SELECT c.id, c.org_id, o.name AS org_name, o.path AS org_path, c.level, c.region_code, c.status,
    c.category, c.primary_cause, c.secondary_causes, c.health, c.housing, c.employment, c.description,
    c.applicant_person_id, c.applicant_name, c.bank_name, c.bank_mask, c.monthly_income::float8 AS monthly_income,
    c.publicity_start, c.publicity_until, c.exit_proposed_at, c.exit_note, c.end_reason, c.created_by, c.version,
    c.created_at, c.updated_at, c.verified_at,
    (SELECT count(*)::int FROM assist_members m WHERE m.case_id = c.id) AS members_count
  FROM assist_cases c JOIN orgs o ON o.id = c.org_id`;

export function caseFilter(
  actor: Actor,
  f: { status?: string; orgId?: number; category?: string; flag?: 'stale' | 'exit' | 'never' },
  staleBefore: Date,
): Sql {
  const conds: Sql[] = [caseScope(actor)];
  if (f.status) conds.push(sql`c.status = ${f.status}`);
  if (f.orgId)
    conds.push(
      sql`c.org_id IN (SELECT d.id FROM orgs d WHERE d.path LIKE (SELECT x.path FROM orgs x WHERE x.id = ${f.orgId}) || '%')`,
    );
  if (f.category) conds.push(sql`c.category = ${f.category}`);
  if (f.flag === 'stale') conds.push(sql`c.status = 'archived' AND c.verified_at < ${staleBefore}`);
  if (f.flag === 'exit') conds.push(sql`c.status = 'archived' AND c.exit_proposed_at IS NOT NULL`);
  if (f.flag === 'never')
    conds.push(sql`c.status = 'archived' AND NOT EXISTS (SELECT 1 FROM assist_entitlements e
      JOIN assist_payments p ON p.entitlement_id = e.id WHERE e.case_id = c.id AND p.status = 'paid')`);
  return sql.and(conds);
}

export async function findCases(q: Queryable, where: Sql, page: { page: number; pageSize: number }) {
  const [items, count] = await Promise.all([
    q.query<CaseRow>(
      sql`${CASE_SELECT} WHERE ${where} ORDER BY c.updated_at DESC, c.id DESC LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`,
    ),
    q.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM assist_cases c WHERE ${where}`),
  ]);
  return { items, total: count[0]?.n ?? 0 };
}

export async function getCase(q: Queryable, id: number, lock = false): Promise<CaseRow | undefined> {
  if (lock) await q.query(sql`SELECT id FROM assist_cases WHERE id = ${id} FOR UPDATE`);
  return (await q.query<CaseRow>(sql`${CASE_SELECT} WHERE c.id = ${id}`))[0];
}

export interface MemberRow {
  person_id: number;
  name: string;
  id_mask: string;
  id_hash: string;
  relation: string;
  schooling: string;
  monthly_income: number;
}

export const membersOf = (q: Queryable, caseId: number) =>
  q.query<MemberRow>(sql`SELECT person_id, name, id_mask, id_hash, relation, schooling,
      monthly_income::float8 AS monthly_income
    FROM assist_members WHERE case_id = ${caseId} ORDER BY (relation = 'self') DESC, id`);

export const incomesOf = (q: Queryable, caseId: number) =>
  q.query<{ month: string; total: number; members: number }>(
    sql`SELECT month, total::float8 AS total, members FROM assist_incomes WHERE case_id = ${caseId} ORDER BY month DESC`,
  );
