/** Queries of the statistics module (forms, reports, cell rows) and the organization lookups it needs. */
import type { FormDefinition } from '../../../shared/contracts/stats.js';
import type { Window } from '../../../shared/stats/period.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import { notFound } from '../../platform/errors.js';

export interface FormRow {
  id: number;
  code: string;
  name: string;
  period_type: 'month' | 'quarter' | 'half_year' | 'year';
  org_types: string[];
  org_levels: string[];
  window: Window;
  definition: FormDefinition;
  form_version: number;
  status: string;
  owner_org_id: number;
  version: number;
}

export interface ReportRow {
  id: number;
  form_id: number;
  form_version: number;
  org_id: number;
  org_path: string;
  period: string;
  status: 'draft' | 'submitted' | 'returned' | 'approved';
  values: Record<string, number | string | null>;
  computed: Record<string, number | string | null>;
  overrides: Record<string, string>;
  explanations: Record<string, string>;
  cell_reasons: Record<string, string>;
  submitted_at: Date | null;
  approved_at: Date | null;
  on_time: boolean | null;
  return_count: number;
  version: number;
}

export interface OrgRow {
  id: number;
  name: string;
  path: string;
  type: string;
  level: string;
  parent_id: number | null;
  depth: number;
}

export async function findForm(q: Queryable, id: number): Promise<FormRow> {
  const r = await q.query<FormRow>(sql`SELECT * FROM stat_forms WHERE id = ${id}`);
  if (!r[0]) throw notFound('报表');
  return r[0];
}

/** The definition a report was filled in (its form version). */
export async function definitionAt(
  q: Queryable,
  formId: number,
  formVersion: number,
): Promise<FormDefinition> {
  const r = await q.query<{ definition: FormDefinition }>(
    sql`SELECT definition FROM stat_form_versions WHERE form_id = ${formId} AND form_version = ${formVersion}`,
  );
  if (!r[0]) throw notFound('报表版本');
  return r[0].definition;
}

/** An organization in the actor's scope (else 404). */
export async function scopedOrg(q: Queryable, actor: Actor, orgId: number): Promise<OrgRow> {
  const r = await q.query<OrgRow>(
    sql`SELECT t.id, t.name, t.path, t.type, t.level, t.parent_id, t.depth FROM orgs t
      WHERE t.id = ${orgId} AND ${scopeWhere(actor, { orgId: sql.raw('t.id'), path: sql.raw('t.path') })}`,
  );
  if (!r[0]) throw notFound('组织');
  return r[0];
}

export async function findReport(q: Queryable, formId: number, period: string, orgId: number, lock = false) {
  const r = await q.query<ReportRow>(
    sql`SELECT * FROM stat_reports WHERE form_id = ${formId} AND period = ${period} AND org_id = ${orgId}
      ${lock ? sql.raw('FOR UPDATE') : sql.raw('')}`,
  );
  return r[0];
}

export const expectedOf = (f: Pick<FormRow, 'org_types' | 'org_levels'>, o: Pick<OrgRow, 'type' | 'level'>) =>
  f.org_types.includes(o.type) && f.org_levels.includes(o.level);

/** Replaces a report's numeric cell rows (what summaries add up). */
export async function writeCellRows(
  q: Queryable,
  report: { id: number; form_id: number; period: string },
  values: Record<string, unknown>,
): Promise<void> {
  await q.query(sql`DELETE FROM stat_values WHERE report_id = ${report.id}`);
  const nums = Object.entries(values).filter(([, v]) => typeof v === 'number');
  if (nums.length === 0) return;
  await q.query(sql`INSERT INTO stat_values (report_id, form_id, period, key, num)
    SELECT ${report.id}, ${report.form_id}, ${report.period}, k, v::numeric
    FROM jsonb_each_text(${JSON.stringify(Object.fromEntries(nums))}::jsonb) AS e(k, v)`);
}

export async function addEvent(
  q: Queryable,
  e: {
    reportId: number;
    version: number;
    action: 'save' | 'submit' | 'approve' | 'return' | 'unlock' | 'urge';
    status: string;
    actor: Actor;
    now: Date;
    values?: unknown;
    comment?: string;
    cellReasons?: Record<string, string>;
    explanations?: Record<string, string>;
  },
): Promise<void> {
  await q.query(sql`INSERT INTO stat_report_events (report_id, version, action, status, actor_id, actor_name, actor_org_id,
      "values", comment, cell_reasons, explanations, at)
    VALUES (${e.reportId}, ${e.version}, ${e.action}, ${e.status}, ${e.actor.userId}, ${e.actor.displayName},
      ${e.actor.orgId || null}, ${e.values === undefined ? null : JSON.stringify(e.values)}::jsonb, ${e.comment ?? ''},
      ${JSON.stringify(e.cellReasons ?? {})}::jsonb, ${JSON.stringify(e.explanations ?? {})}::jsonb, ${e.now})`);
}

/** Users of an organization holding a permission (for notices). */
export async function usersWith(
  q: Queryable,
  orgIds: readonly number[],
  permission: string,
): Promise<number[]> {
  if (orgIds.length === 0) return [];
  const r = await q.query<{ id: number }>(
    sql`SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles ro ON ro.id = ur.role_id
      WHERE u.org_id = ANY(${orgIds}::bigint[]) AND u.status = 'active' AND ${permission} = ANY(ro.permissions)`,
  );
  return r.map((x) => x.id);
}
