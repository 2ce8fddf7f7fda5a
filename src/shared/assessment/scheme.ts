/**
 * Assessment schemes as data (考核方案) and their scoring. Pure.
 *
 * total = Σ groups weight × Σ items (item weight / 100) × item score   (0–100)
 *       + min(Σ bonus, bonusCap) − min(Σ deductions, deductionCap)
 * A computed item scores along a linear curve between `zero` (0 %) and `full` (100 %) of the
 * item (a lower-is-better figure has full < zero); a hand-scored item takes the reviewed score
 * (0–100 %) or else the self-assessed one. Any veto makes the unit ungraded (grade null).
 * Grades by thresholds, highest first, capped by quotas (share of graded units).
 */
import { z } from 'zod';

const code = z.string().regex(/^[A-Za-z0-9_-]{1,24}$/, '编码应为字母、数字、下划线或连字符');
const name = z.string().trim().min(1).max(60);

export const curveDef = z.object({ zero: z.number().finite(), full: z.number().finite() }).strict();

export const schemeDefinition = z
  .object({
    groups: z
      .array(z.object({ code, name, weight: z.number().min(0).max(100) }).strict())
      .min(1)
      .max(20),
    items: z
      .array(
        z
          .object({
            code,
            group: code,
            name,
            kind: z.enum(['computed', 'manual']),
            weight: z.number().min(0).max(100),
            indicator: z.string().max(64).nullable().default(null),
            curve: curveDef.nullable().default(null),
            /** a computed item with no data (no appeals to rate): full marks or none */
            noData: z.enum(['full', 'zero']).default('full'),
          })
          .strict(),
      )
      .min(1)
      .max(100),
    adjustments: z
      .array(
        z
          .object({
            code,
            name,
            kind: z.enum(['bonus', 'deduction']),
            /** computed: points per unit of the indicator; manual: points given at review */
            indicator: z.string().max(64).nullable().default(null),
            perUnit: z.number().min(0).max(100).default(1),
            max: z.number().min(0).max(100),
          })
          .strict(),
      )
      .max(50)
      .default([]),
    bonusCap: z.number().min(0).max(100).default(5),
    deductionCap: z.number().min(0).max(100).default(20),
    vetoes: z
      .array(
        z
          .object({
            code,
            name,
            /** computed: vetoed when the indicator exceeds `above`; manual: set at review */
            indicator: z.string().max(64).nullable().default(null),
            above: z.number().default(0),
          })
          .strict(),
      )
      .max(20)
      .default([]),
    grades: z
      .array(
        z
          .object({ grade: z.string().max(16), label: z.string().max(20), min: z.number().min(0).max(200) })
          .strict(),
      )
      .min(1)
      .max(10)
      .default([
        { grade: '5', label: '五星', min: 90 },
        { grade: '4', label: '四星', min: 80 },
        { grade: '3', label: '三星', min: 70 },
        { grade: '2', label: '二星', min: 60 },
        { grade: 'rectify', label: '整顿', min: 0 },
      ]),
    /** the most a grade may take, as a percentage of the graded units */
    quotas: z.record(z.string().max(16), z.number().min(0).max(100)).default({ '5': 20, '4': 60 }),
    publicityDays: z.number().int().min(1).max(30).default(5),
  })
  .strict();
export type SchemeDefinition = z.infer<typeof schemeDefinition>;

export interface SchemeProblem {
  path: string;
  message: string;
}

const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;

export function checkScheme(def: SchemeDefinition, knownIndicators: ReadonlySet<string>): SchemeProblem[] {
  const out: SchemeProblem[] = [];
  const sum = def.groups.reduce((s, g) => s + g.weight, 0);
  if (!near(sum, 100)) out.push({ path: 'groups', message: `各组权重之和应为 100，现为 ${sum}` });
  const groups = new Set<string>();
  for (const g of def.groups) {
    if (groups.has(g.code)) out.push({ path: 'groups', message: `组「${g.code}」重复` });
    groups.add(g.code);
    const items = def.items.filter((i) => i.group === g.code);
    const w = items.reduce((s, i) => s + i.weight, 0);
    if (items.length === 0) out.push({ path: 'items', message: `组「${g.name}」没有指标` });
    else if (!near(w, 100))
      out.push({ path: 'items', message: `组「${g.name}」内指标权重之和应为 100，现为 ${w}` });
  }
  const codes = new Set<string>();
  def.items.forEach((i, n) => {
    if (codes.has(i.code)) out.push({ path: `items.${n}.code`, message: `指标编码「${i.code}」重复` });
    codes.add(i.code);
    if (!groups.has(i.group))
      out.push({ path: `items.${n}.group`, message: `指标「${i.name}」的组「${i.group}」不存在` });
    if (i.kind === 'computed') {
      if (!i.indicator || !knownIndicators.has(i.indicator))
        out.push({
          path: `items.${n}.indicator`,
          message: `指标「${i.name}」的数据来源「${i.indicator ?? ''}」不存在`,
        });
      if (!i.curve) out.push({ path: `items.${n}.curve`, message: `指标「${i.name}」缺少计分曲线` });
      else if (i.curve.zero === i.curve.full)
        out.push({ path: `items.${n}.curve`, message: `指标「${i.name}」计分曲线的零分点与满分点不能相同` });
    }
  });
  def.adjustments.forEach((a, n) => {
    if (a.indicator && !knownIndicators.has(a.indicator))
      out.push({
        path: `adjustments.${n}.indicator`,
        message: `加减分项「${a.name}」的数据来源「${a.indicator}」不存在`,
      });
  });
  def.vetoes.forEach((v, n) => {
    if (v.indicator && !knownIndicators.has(v.indicator))
      out.push({
        path: `vetoes.${n}.indicator`,
        message: `否决项「${v.name}」的数据来源「${v.indicator}」不存在`,
      });
  });
  const mins = def.grades.map((g) => g.min);
  if (mins.some((m, i) => i > 0 && m >= mins[i - 1]!))
    out.push({ path: 'grades', message: '等级门槛应从高到低排列' });
  for (const k of Object.keys(def.quotas))
    if (!def.grades.some((g) => g.grade === k))
      out.push({ path: 'quotas', message: `名额限制的等级「${k}」不存在` });
  return out;
}

/** The indicators a scheme reads. */
export const indicatorsOf = (def: SchemeDefinition) => [
  ...new Set(
    [
      ...def.items.map((i) => i.indicator),
      ...def.adjustments.map((a) => a.indicator),
      ...def.vetoes.map((v) => v.indicator),
    ].filter((x): x is string => !!x),
  ),
];

/** A linear scoring curve: 0 at `zero`, 1 at `full`, clamped; works for lower-is-better (full < zero). */
export function curveScore(value: number, c: { zero: number; full: number }): number {
  const t = (value - c.zero) / (c.full - c.zero);
  return Math.max(0, Math.min(1, t));
}

export interface ManualScore {
  score: number;
  evidence?: string;
  reason?: string;
}

export interface UnitScore {
  items: {
    code: string;
    group: string;
    value: number | null;
    score: number;
    points: number;
    source: 'computed' | 'self' | 'review' | 'none';
  }[];
  adjustments: { code: string; kind: 'bonus' | 'deduction'; points: number }[];
  bonus: number;
  deduction: number;
  vetoes: { code: string; name: string; value: number | null }[];
  total: number;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

export function scoreUnit(
  def: SchemeDefinition,
  values: Record<string, number | null>,
  self: Record<string, ManualScore>,
  review: Record<string, ManualScore>,
): UnitScore {
  const items: UnitScore['items'] = [];
  let base = 0;
  for (const g of def.groups) {
    for (const i of def.items.filter((x) => x.group === g.code)) {
      let value: number | null = null;
      let score = 0;
      let source: UnitScore['items'][number]['source'] = 'none';
      if (i.kind === 'computed') {
        value = values[i.indicator ?? ''] ?? null;
        score = value === null ? (i.noData === 'full' ? 1 : 0) : curveScore(value, i.curve!);
        source = 'computed';
      } else {
        const m = review[i.code] ?? self[i.code];
        source = review[i.code] ? 'review' : self[i.code] ? 'self' : 'none';
        value = m ? m.score : null;
        score = m ? Math.max(0, Math.min(100, m.score)) / 100 : 0;
      }
      const points = (g.weight * i.weight * score) / 100;
      base += points;
      items.push({ code: i.code, group: g.code, value, score: r2(score * 100), points: r2(points), source });
    }
  }
  const adjustments: UnitScore['adjustments'] = def.adjustments.map((a) => {
    const raw = a.indicator ? (values[a.indicator] ?? 0) * a.perUnit : (review[a.code]?.score ?? 0);
    return { code: a.code, kind: a.kind, points: r2(Math.max(0, Math.min(a.max, raw))) };
  });
  const bonus = Math.min(
    def.bonusCap,
    adjustments.filter((a) => a.kind === 'bonus').reduce((s, a) => s + a.points, 0),
  );
  const deduction = Math.min(
    def.deductionCap,
    adjustments.filter((a) => a.kind === 'deduction').reduce((s, a) => s + a.points, 0),
  );
  const vetoes = def.vetoes
    .map((v) => ({
      code: v.code,
      name: v.name,
      value: v.indicator ? (values[v.indicator] ?? null) : review[v.code] ? 1 : null,
    }))
    .filter((v, k) => {
      const d = def.vetoes[k]!;
      return d.indicator
        ? v.value !== null && v.value > d.above
        : !!review[d.code] && review[d.code]!.score > 0;
    });
  return {
    items,
    adjustments,
    bonus: r2(bonus),
    deduction: r2(deduction),
    vetoes,
    total: r2(Math.max(0, base + bonus - deduction)),
  };
}

/**
 * Grades and ranks. Units are ranked by score (ties share a rank; vetoed units after the
 * others); each graded unit takes the highest grade whose threshold it reaches and whose quota
 * still has room, else the next one down.
 */
export function gradeUnits(
  def: SchemeDefinition,
  units: readonly { orgId: number; total: number; vetoed: boolean }[],
): Map<number, { grade: string | null; rank: number }> {
  const sorted = [...units].sort(
    (a, b) => Number(a.vetoed) - Number(b.vetoed) || b.total - a.total || a.orgId - b.orgId,
  );
  const graded = sorted.filter((u) => !u.vetoed).length;
  const used = new Map<string, number>();
  const out = new Map<number, { grade: string | null; rank: number }>();
  let rank = 0;
  sorted.forEach((u, i) => {
    const prev = sorted[i - 1];
    if (!prev || prev.vetoed !== u.vetoed || prev.total !== u.total) rank = i + 1;
    if (u.vetoed) {
      out.set(u.orgId, { grade: null, rank });
      return;
    }
    let grade: string | null = null;
    for (const g of def.grades) {
      if (u.total < g.min) continue;
      const quota = def.quotas[g.grade];
      const cap = quota === undefined ? Number.POSITIVE_INFINITY : Math.floor((quota / 100) * graded);
      if ((used.get(g.grade) ?? 0) >= cap) continue;
      grade = g.grade;
      break;
    }
    grade ??= def.grades[def.grades.length - 1]!.grade;
    used.set(grade, (used.get(grade) ?? 0) + 1);
    out.set(u.orgId, { grade, rank });
  });
  return out;
}
