/**
 * A statistics form as data: its cells expanded through their disaggregations, the save-time
 * check of its rules (with the evaluator of src/shared/rules/expr.ts), the check of a
 * report's values, and the evaluation of its rules for every disaggregation. Pure.
 */
import type { CellDef, FormDefinition, Issue, RuleDef } from '../contracts/stats.js';
import {
  compileExpr,
  type ExprError,
  evalExpr,
  type FunctionDef,
  type ParsedExpr,
  type Value,
} from '../rules/expr.js';

export type Values = Record<string, Value>;

/** One stored cell: `B1` or, for a disaggregated cell, `B1.F`. */
export interface CellKey {
  key: string;
  cell: CellDef;
  option: string | null;
  label: string;
}

export function cellKeys(def: FormDefinition): CellKey[] {
  const out: CellKey[] = [];
  for (const c of def.cells) {
    const d = c.disaggregation ? def.disaggregations.find((x) => x.key === c.disaggregation) : undefined;
    if (!d) out.push({ key: c.code, cell: c, option: null, label: c.label });
    else
      for (const o of d.options)
        out.push({ key: `${c.code}.${o.code}`, cell: c, option: o.code, label: `${c.label}（${o.label}）` });
  }
  return out;
}

const lastYearSig = { minArgs: 1, maxArgs: 1, args: ['name' as const], returns: 'number' as const };

export interface DefinitionProblem {
  path: string;
  message: string;
  position?: { start: number; end: number; line: number; column: number };
}

/** Everything wrong with a definition (empty when it may be saved). */
export function checkDefinition(def: FormDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const seen = new Set<string>();
  def.cells.forEach((c, i) => {
    if (seen.has(c.code)) problems.push({ path: `cells.${i}.code`, message: `指标编码「${c.code}」重复` });
    seen.add(c.code);
    if (c.disaggregation && !def.disaggregations.some((d) => d.key === c.disaggregation))
      problems.push({
        path: `cells.${i}.disaggregation`,
        message: `指标「${c.code}」引用了不存在的分组「${c.disaggregation}」`,
      });
    if (c.disaggregation && c.type === 'text')
      problems.push({ path: `cells.${i}.disaggregation`, message: `文本指标「${c.code}」不能分组` });
  });
  const dkeys = new Set<string>();
  def.disaggregations.forEach((d, i) => {
    if (dkeys.has(d.key))
      problems.push({ path: `disaggregations.${i}.key`, message: `分组「${d.key}」重复` });
    dkeys.add(d.key);
    const codes = new Set(d.options.map((o) => o.code));
    if (codes.size !== d.options.length)
      problems.push({ path: `disaggregations.${i}.options`, message: `分组「${d.label}」的选项编码重复` });
  });
  const types = Object.fromEntries(
    def.cells.map((c) => [c.code, c.type === 'text' ? 'string' : 'number'] as const),
  );
  const rcodes = new Set<string>();
  def.rules.forEach((r, i) => {
    if (rcodes.has(r.code)) problems.push({ path: `rules.${i}.code`, message: `规则编码「${r.code}」重复` });
    rcodes.add(r.code);
    const c = compileExpr(r.expr, {
      variables: types,
      functions: { last_year: lastYearSig },
      expect: 'boolean',
    });
    if (!c.ok)
      for (const e of c.errors)
        problems.push({
          path: `rules.${i}.expr`,
          message: `规则「${r.code}」${e.message}`,
          position: pos(e),
        });
  });
  return problems;
}

const pos = (e: ExprError) => ({ start: e.start, end: e.end, line: e.line, column: e.column });

export interface ValueProblem {
  key: string;
  message: string;
}

/** Types and ranges of the values (what a save refuses); unknown cells are refused too. */
export function checkValues(def: FormDefinition, values: Values): ValueProblem[] {
  const keys = new Map(cellKeys(def).map((k) => [k.key, k]));
  const out: ValueProblem[] = [];
  for (const [key, v] of Object.entries(values)) {
    const k = keys.get(key);
    if (!k) {
      out.push({ key, message: `表中没有单元格「${key}」` });
      continue;
    }
    if (v === null) continue;
    const label = `「${k.label}」`;
    if (k.cell.type === 'text') {
      if (typeof v !== 'string') out.push({ key, message: `${label}应为文字` });
      continue;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      out.push({ key, message: `${label}应为数字，不能填写文字` });
      continue;
    }
    if (v < 0) out.push({ key, message: `${label}不能为负数` });
    else if (k.cell.type === 'integer' && !Number.isInteger(v))
      out.push({ key, message: `${label}应为整数` });
    else if (k.cell.type === 'percent' && v > 100)
      out.push({ key, message: `${label}是百分比，应在 0–100 之间` });
    else if (v > 1e12) out.push({ key, message: `${label}数值过大` });
  }
  return out;
}

/** The required cells without a value (what a submission needs besides the rules). */
export function missingRequired(def: FormDefinition, values: Values): ValueProblem[] {
  return cellKeys(def)
    .filter(
      (k) =>
        k.cell.required && (values[k.key] === undefined || values[k.key] === null || values[k.key] === ''),
    )
    .map((k) => ({ key: k.key, message: `「${k.label}」为必填项` }));
}

/** The value of a cell as a whole: itself, or the sum of its disaggregations (null when all are empty). */
export function totalOf(def: FormDefinition, values: Values, code: string): Value {
  const c = def.cells.find((x) => x.code === code);
  if (!c) return null;
  const d = c.disaggregation ? def.disaggregations.find((x) => x.key === c.disaggregation) : undefined;
  if (!d) return values[code] ?? null;
  let sum: number | null = null;
  for (const o of d.options) {
    const v = values[`${code}.${o.code}`];
    if (typeof v === 'number') sum = (sum ?? 0) + v;
  }
  return sum;
}

interface CompiledRule {
  rule: RuleDef;
  ast: ParsedExpr;
  cells: string[];
}

function compileRules(def: FormDefinition): CompiledRule[] {
  const types = Object.fromEntries(
    def.cells.map((c) => [c.code, c.type === 'text' ? 'string' : 'number'] as const),
  );
  const out: CompiledRule[] = [];
  for (const rule of def.rules) {
    const c = compileExpr(rule.expr, {
      variables: types,
      functions: { last_year: lastYearSig },
      expect: 'boolean',
    });
    if (c.ok) out.push({ rule, ast: c.ast, cells: [...new Set([...c.info.variables, ...c.info.nameArgs])] });
  }
  return out;
}

/**
 * Evaluates every rule. A rule whose cells are all split by one disaggregation is evaluated for
 * each of its options (`B2 <= B1` holds for men and for women) and for the totals; otherwise on
 * the totals. A rule that cannot be evaluated (division by zero) is reported as a warning with
 * the reason, so the report can still be submitted with an explanation. A rule whose inputs
 * are empty is not reported.
 */
export function evaluateRules(def: FormDefinition, values: Values, lastYear: Values | null): Issue[] {
  const issues: Issue[] = [];
  for (const { rule, ast, cells } of compileRules(def)) {
    const defs = cells.map((c) => def.cells.find((x) => x.code === c)!);
    const dks = new Set(defs.map((d) => d.disaggregation));
    const dk = dks.size === 1 ? [...dks][0] : null;
    const d = dk ? def.disaggregations.find((x) => x.key === dk) : undefined;
    const combos: (string | null)[] = d ? [...d.options.map((o) => o.code), null] : [null];
    let optionFailed = false;
    for (const option of combos) {
      const read =
        (vals: Values | null) =>
        (name: string): Value =>
          vals === null
            ? null
            : option === null
              ? totalOf(def, vals, name)
              : (vals[`${name}.${option}`] ?? null);
      const last: FunctionDef = { ...lastYearSig, impl: ([n]) => read(lastYear)(n as string) };
      const r = evalExpr(ast, { variables: read(values), functions: { last_year: last } });
      const optLabel = option === null ? null : (d?.options.find((o) => o.code === option)?.label ?? option);
      const where = optLabel ? `（${optLabel}）` : '';
      if (!r.ok) {
        issues.push({
          rule: rule.code,
          label: rule.label,
          severity: 'warning',
          option,
          failed: false,
          message: `规则「${rule.label}」${where}无法计算：${r.error.message}`,
        });
        continue;
      }
      if (r.value === false) {
        if (option === null && optionFailed) continue; // the split already says it
        if (option !== null) optionFailed = true;
        issues.push({
          rule: rule.code,
          label: rule.label,
          severity: rule.severity,
          option,
          failed: true,
          message: `${rule.label}${where}`,
        });
      }
    }
  }
  return issues;
}

/** The key an explanation of a warning is filed under. */
export const explanationKey = (i: Pick<Issue, 'rule' | 'option'>) =>
  i.option ? `${i.rule}:${i.option}` : i.rule;
