/** Queries of the assessment module. */
import type { ManualScore, SchemeDefinition, UnitScore } from '../../../shared/assessment/scheme.js';
import { gradeUnits, scoreUnit } from '../../../shared/assessment/scheme.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import { notFound } from '../../platform/errors.js';

export interface SchemeRow {
  id: number;
  name: string;
  period_type: 'month' | 'quarter' | 'half_year' | 'year';
  owner_org_id: number;
  org_types: string[];
  org_levels: string[];
  definition: SchemeDefinition;
  scheme_version: number;
  status: string;
  version: number;
}

export interface RunRow {
  id: number;
  scheme_id: number;
  scheme_version: number;
  definition: SchemeDefinition;
  period: string;
  status: 'self_eval' | 'review' | 'result' | 'publicity' | 'published';
  computed_at: Date;
  closed_at: Date | null;
  publicity_from: string | null;
  publicity_until: string | null;
  version: number;
}

/** What a result keeps frozen: each indicator's value and inputs, and the corrections made later. */
export interface FrozenInputs {
  values: Record<string, number | null>;
  inputs: Record<string, Record<string, number>>;
  corrections: Record<string, number>;
}

export interface ResultRow {
  run_id: number;
  org_id: number;
  org_path: string;
  org_name: string;
  inputs: FrozenInputs;
  self_scores: Record<string, ManualScore>;
  review_scores: Record<string, ManualScore>;
  items: UnitScore;
  score: number;
  vetoed: boolean;
  grade: string | null;
  rank: number | null;
  version: number;
}

export async function findScheme(q: Queryable, id: number): Promise<SchemeRow> {
  const r = await q.query<SchemeRow>(sql`SELECT * FROM assess_schemes WHERE id = ${id}`);
  if (!r[0]) throw notFound('考核方案');
  return r[0];
}

/** A scheme whose owner organization is in the actor's scope (else 404). */
export async function managedScheme(q: Queryable, actor: Actor, id: number): Promise<SchemeRow> {
  const r = await q.query<SchemeRow>(
    sql`SELECT t.* FROM assess_schemes t WHERE t.id = ${id} AND ${scopeWhere(actor, { orgId: sql.raw('t.owner_org_id') })}`,
  );
  if (!r[0]) throw notFound('考核方案');
  return r[0];
}

export async function findRun(q: Queryable, id: number, lock = false): Promise<RunRow> {
  const r = await q.query<RunRow>(
    sql`SELECT * FROM assess_runs WHERE id = ${id} ${lock ? sql.raw('FOR UPDATE') : sql.raw('')}`,
  );
  if (!r[0]) throw notFound('考核');
  return r[0];
}

/** The value of each indicator after corrections. */
export const correctedValues = (f: FrozenInputs) => ({ ...f.values, ...f.corrections });

/**
 * Scores every unit of a run again from its frozen inputs, corrections and hand scores, then
 * grades and ranks them all; one UPDATE for the run.
 */
export async function rescore(q: Queryable, run: RunRow): Promise<void> {
  const rows = await q.query<Pick<ResultRow, 'org_id' | 'inputs' | 'self_scores' | 'review_scores'>>(
    sql`SELECT org_id, inputs, self_scores, review_scores FROM assess_results WHERE run_id = ${run.id}`,
  );
  const scored = rows.map((r) => {
    const s = scoreUnit(run.definition, correctedValues(r.inputs), r.self_scores, r.review_scores);
    return { orgId: r.org_id, s, total: s.total, vetoed: s.vetoes.length > 0 };
  });
  const grades = gradeUnits(run.definition, scored);
  const payload = scored.map((u) => ({
    org_id: u.orgId,
    items: u.s,
    score: u.total,
    vetoed: u.vetoed,
    vetoes: u.s.vetoes,
    grade: grades.get(u.orgId)?.grade ?? null,
    rank: grades.get(u.orgId)?.rank ?? null,
  }));
  if (payload.length === 0) return;
  await q.query(sql`UPDATE assess_results r SET items = x.items, score = x.score, vetoed = x.vetoed, vetoes = x.vetoes,
      grade = x.grade, rank = x.rank
    FROM jsonb_to_recordset(${JSON.stringify(payload)}::jsonb)
      AS x(org_id bigint, items jsonb, score numeric, vetoed boolean, vetoes jsonb, grade text, rank int)
    WHERE r.run_id = ${run.id} AND r.org_id = x.org_id`);
}
