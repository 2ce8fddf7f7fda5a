import { scopeWhere } from '../../../platform/access.js';
import type { Actor } from '../../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../../platform/db/index.js';

export const programScope = (actor: Actor, alias = 'g'): Sql =>
  scopeWhere(actor, { orgId: sql.raw(`${alias}.org_id`), owner: sql.raw(`${alias}.created_by`) });
export const entitlementScope = (actor: Actor, alias = 'e'): Sql =>
  scopeWhere(actor, { orgId: sql.raw(`${alias}.org_id`), owner: sql.raw(`${alias}.created_by`) });

export interface ProgramRow {
  id: number;
  org_id: number;
  org_name: string;
  name: string;
  kind: string;
  target: 'household' | 'student';
  mode: 'cash' | 'in_kind';
  eligibility: string;
  amounts: { when: string; amount: number; label: string }[];
  rule_version: number;
  version: number;
}

export const getProgram = async (q: Queryable, id: number) =>
  (
    await q.query<ProgramRow>(sql`SELECT g.id, g.org_id, o.name AS org_name, g.name, g.kind, g.target, g.mode,
      g.eligibility, g.amounts, g.rule_version, g.version
      FROM assist_programs g JOIN orgs o ON o.id = g.org_id WHERE g.id = ${id}`)
  )[0];

export interface CycleRow {
  id: number;
  program_id: number;
  program_name: string;
  org_id: number;
  org_name: string;
  org_path: string;
  name: string;
  kind: string;
  mode: 'cash' | 'in_kind';
  target: 'household' | 'student';
  period_start: string;
  period_end: string;
  budget: number;
  status: string;
  computed_at: Date | null;
  version: number;
}

export const CYCLE_SELECT = sql`SELECT y.id, y.program_id, g.name AS program_name, y.org_id, o.name AS org_name,
    o.path AS org_path, y.name, y.kind, g.mode, g.target, y.period_start, y.period_end, y.budget::float8 AS budget,
    y.status, y.computed_at, y.version
  FROM assist_cycles y JOIN assist_programs g ON g.id = y.program_id JOIN orgs o ON o.id = y.org_id`;

export const getCycle = async (q: Queryable, id: number, lock = false) => {
  if (lock) await q.query(sql`SELECT id FROM assist_cycles WHERE id = ${id} FOR UPDATE`);
  return (await q.query<CycleRow>(sql`${CYCLE_SELECT} WHERE y.id = ${id}`))[0];
};

export interface EntitlementRow {
  id: number;
  cycle_id: number;
  org_id: number;
  org_name: string;
  kind: string;
  period_start: string;
  period_end: string;
  case_id: number | null;
  person_id: number | null;
  beneficiary_name: string;
  beneficiary_mask: string;
  beneficiary_hash: string;
  household_hashes: string[];
  amount: number;
  rule_label: string | null;
  source: string;
  status: string;
  duplicates: number;
  note: string | null;
  version: number;
  payment_id: number | null;
  payment_status: string | null;
  payment_version: number | null;
  batch_id: number | null;
  return_visit: Record<string, unknown> | null;
}

export const ENTITLEMENT_SELECT = sql`SELECT e.id, e.cycle_id, e.org_id, o.name AS org_name, e.kind, e.period_start,
    e.period_end, e.case_id, e.person_id, e.beneficiary_name, e.beneficiary_mask, e.beneficiary_hash, e.household_hashes,
    e.amount::float8 AS amount, e.rule_label, e.source, e.status, e.duplicates, e.note, e.version,
    p.id AS payment_id, p.status AS payment_status, p.version AS payment_version, p.batch_id, p.return_visit
  FROM assist_entitlements e JOIN orgs o ON o.id = e.org_id LEFT JOIN assist_payments p ON p.entitlement_id = e.id`;

export const getEntitlement = async (q: Queryable, id: number, lock = false) => {
  if (lock) await q.query(sql`SELECT id FROM assist_entitlements WHERE id = ${id} FOR UPDATE`);
  return (await q.query<EntitlementRow>(sql`${ENTITLEMENT_SELECT} WHERE e.id = ${id}`))[0];
};

/**
 * Other entitlements of the same kind in an overlapping period for the same person or the same
 * household (by the registry's keyed hashes), from any organization: the duplicate-relief check.
 */
export async function duplicatesOf(
  q: Queryable,
  e: Pick<
    EntitlementRow,
    'id' | 'kind' | 'period_start' | 'period_end' | 'beneficiary_hash' | 'household_hashes'
  >,
) {
  return q.query<{
    id: number;
    org_id: number;
    org_name: string;
    org_path: string;
    cycle_name: string;
    amount: number;
    status: string;
    same_person: boolean;
  }>(sql`SELECT x.id, x.org_id, o.name AS org_name, o.path AS org_path, y.name AS cycle_name,
      x.amount::float8 AS amount, x.status, (x.beneficiary_hash = ${e.beneficiary_hash}) AS same_person
    FROM assist_entitlements x JOIN orgs o ON o.id = x.org_id JOIN assist_cycles y ON y.id = x.cycle_id
    WHERE x.id <> ${e.id} AND x.kind = ${e.kind} AND x.status <> 'rejected'
      AND x.period_start <= ${e.period_end} AND x.period_end >= ${e.period_start}
      AND (x.beneficiary_hash = ${e.beneficiary_hash} OR x.household_hashes && ${e.household_hashes}::text[]
        OR ${e.beneficiary_hash} = ANY(x.household_hashes))
    ORDER BY x.id`);
}
