/** Why a unit has its score: every item's value, formula, curve and inputs, the records behind them, deductions, vetoes, corrections. */
import { periodOrThrow } from '../../../shared/stats/period.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import { INDICATOR_BY_KEY, indicatorRecords } from '../stats/index.js';
import { correctedValues, type ResultRow, type RunRow } from './repo.js';

export async function explainUnit(q: Queryable, run: RunRow, res: ResultRow) {
  const def = run.definition;
  const period = periodOrThrow(run.period);
  const values = correctedValues(res.inputs);
  const org = { id: res.org_id, path: res.org_path };
  const records = new Map<string, Awaited<ReturnType<typeof indicatorRecords>>>();
  for (const key of Object.keys(res.inputs.values))
    records.set(key, await indicatorRecords(q, key, org, period, 50));
  const ind = (key: string | null) => {
    const d = key ? INDICATOR_BY_KEY.get(key) : undefined;
    return d ? { key: d.key, label: d.label, unit: d.unit, formula: d.formula } : null;
  };
  const corrections = await q.query<{
    item: string;
    before: unknown;
    after: unknown;
    reason: string;
    at: Date;
  }>(
    sql`SELECT item, before, after, reason, at FROM assess_corrections WHERE run_id = ${run.id} AND org_id = ${res.org_id} ORDER BY id`,
  );
  return {
    runId: run.id,
    period: run.period,
    status: run.status,
    orgId: res.org_id,
    orgName: res.org_name,
    score: Number(res.score),
    grade: res.vetoed ? null : res.grade,
    gradeLabel: res.vetoed
      ? '整顿（一票否决）'
      : (def.grades.find((g) => g.grade === res.grade)?.label ?? null),
    vetoed: res.vetoed,
    rank: res.rank,
    version: res.version,
    groups: def.groups.map((g) => ({ code: g.code, name: g.name, weight: g.weight })),
    items: def.items.map((i) => {
      const s = res.items.items?.find((x) => x.code === i.code);
      return {
        code: i.code,
        group: i.group,
        name: i.name,
        kind: i.kind,
        weight: i.weight,
        indicator: ind(i.indicator),
        curve: i.curve,
        value: i.kind === 'computed' ? (values[i.indicator ?? ''] ?? null) : (s?.value ?? null),
        inputs: i.indicator ? (res.inputs.inputs[i.indicator] ?? {}) : {},
        score: s?.score ?? 0,
        points: s?.points ?? 0,
        source: s?.source ?? 'none',
        self: res.self_scores[i.code] ?? null,
        review: res.review_scores[i.code] ?? null,
        records: i.indicator ? (records.get(i.indicator) ?? []) : [],
      };
    }),
    adjustments: def.adjustments.map((a) => ({
      code: a.code,
      name: a.name,
      kind: a.kind,
      indicator: ind(a.indicator),
      perUnit: a.perUnit,
      max: a.max,
      value: a.indicator ? (values[a.indicator] ?? null) : null,
      points: res.items.adjustments?.find((x) => x.code === a.code)?.points ?? 0,
      records: a.indicator ? (records.get(a.indicator) ?? []) : [],
    })),
    bonus: res.items.bonus ?? 0,
    deduction: res.items.deduction ?? 0,
    vetoes: def.vetoes.map((v) => ({
      code: v.code,
      name: v.name,
      indicator: ind(v.indicator),
      above: v.above,
      value: v.indicator ? (values[v.indicator] ?? null) : null,
      hit: (res.items.vetoes ?? []).some((x) => x.code === v.code),
      records: v.indicator ? (records.get(v.indicator) ?? []) : [],
    })),
    corrections: corrections.map((c) => ({
      item: c.item,
      before: c.before,
      after: c.after,
      reason: c.reason,
      at: c.at.toISOString(),
    })),
  };
}
