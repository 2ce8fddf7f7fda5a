/**
 * The platform's one rule-expression language: statistics validation rules (`B2 <= B1`,
 * `abs(B1 - last_year(B1)) / last_year(B1) <= 0.2`), assessment formulas, eligibility and exit
 * rules. Pure: no I/O, no eval/Function.
 *
 *   parseExpr(src)                      → AST with source spans, or a syntax error with its position
 *   checkExpr(ast, { variables, functions, expect })
 *                                       → at save time: unknown names, unknown functions, wrong
 *                                         arity, type mismatches, a constant zero divisor — each
 *                                         error with its position; or the names the rule reads
 *   evalExpr(ast, { variables, functions, missing })
 *                                       → a value, or an evaluation error with its position
 *                                         (division by zero, a missing value) — never a throw
 *
 * Language: numbers (1, 2.5, 1e3), strings ('x' or "x"), true/false/null, variables (names of
 * letters, digits, `_`, `.` and CJK characters, e.g. `B1`, `B1.male`, `会员数`), operators
 * `+ - * / % ^`, comparisons `= == != <> < <= > >=` (also ≤ ≥ ≠), `and or not` (also && || !),
 * parentheses and function calls. Full-width characters typed with a Chinese input method
 * (（）＜＝，) read as their half-width forms. Numbers compare with a relative tolerance of 1e-9,
 * so `B1 = B2 + B3` holds for decimal cells. A null (missing) operand makes arithmetic and
 * comparisons null (SQL's three-valued logic for and/or/not; `if` treats a null condition as
 * false) unless the caller asks for `missing: 'zero'` or `missing: 'error'`.
 *
 * Built-in functions: abs(x), min(x, …), max(x, …), round(x[, digits]), if(cond, a, b) (only the
 * chosen branch is evaluated), ifnull(x, default). Domain functions (e.g. `last_year(B1)`) are
 * declared by the caller with their arity and argument kinds; an argument of kind `'name'` must
 * be a bare variable and reaches the implementation as its name.
 */

import { evalNode } from './exprEval.js';
import {
  type ExprError,
  type ExprErrorCode,
  type ExprNode,
  ExprSyntaxError,
  makeError,
  parseSource,
  type Span,
} from './exprParse.js';

export type { BinaryOp, ExprError, ExprErrorCode, ExprNode, Span, UnaryOp } from './exprParse.js';
export { MAX_EXPR_DEPTH, MAX_EXPR_LENGTH } from './exprParse.js';

export type Value = number | string | boolean | null;
export type ValueType = 'number' | 'string' | 'boolean' | 'any';
export type ArgKind = ValueType | 'name';

/** A parsed expression: its source (for error positions) and its root node. */
export interface ParsedExpr {
  source: string;
  root: ExprNode;
}

export interface FunctionSignature {
  minArgs: number;
  /** `Infinity` for a variadic function. */
  maxArgs: number;
  /** Kind of each argument; the last one repeats for variadic functions. Defaults to 'number'. */
  args?: ArgKind[];
  returns: ValueType;
}

export type FunctionImpl = (args: Value[]) => Value;

/**
 * A domain function for evalExpr: its implementation and, when some arguments are passed by
 * name (`last_year(B1)`), its argument kinds. The same object may be given to checkExpr.
 */
export type FunctionDef = FunctionSignature & { impl: FunctionImpl };

export type VariableScope =
  | ReadonlySet<string>
  | readonly string[]
  | Readonly<Record<string, ValueType>>
  | ((name: string) => ValueType | null | undefined);

export interface CheckOptions {
  variables: VariableScope;
  functions?: Readonly<Record<string, FunctionSignature>>;
  /** The type the whole expression must have (a validation rule: 'boolean'). */
  expect?: ValueType;
}

export type CheckResult =
  | {
      ok: true;
      type: ValueType;
      /** Variables read directly, in order of first use. */
      variables: string[];
      /** Variables passed by name to domain functions (`last_year(B1)` → B1). */
      nameArgs: string[];
      functions: string[];
    }
  | { ok: false; errors: ExprError[] };

export interface EvalEnv {
  variables: Readonly<Record<string, Value>> | ((name: string) => Value | undefined);
  functions?: Readonly<Record<string, FunctionImpl | FunctionDef>>;
  /** How a null/absent variable is treated: propagate null (default), read as 0, or fail. */
  missing?: 'null' | 'zero' | 'error';
}

export type EvalResult = { ok: true; value: Value } | { ok: false; error: ExprError };

export const BUILTIN_FUNCTIONS: Readonly<Record<string, FunctionSignature>> = {
  abs: { minArgs: 1, maxArgs: 1, returns: 'number' },
  min: { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, returns: 'number' },
  max: { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, returns: 'number' },
  round: { minArgs: 1, maxArgs: 2, returns: 'number' },
  if: { minArgs: 3, maxArgs: 3, args: ['boolean', 'any', 'any'], returns: 'any' },
  ifnull: { minArgs: 2, maxArgs: 2, args: ['any', 'any'], returns: 'any' },
};

export function parseExpr(src: string): { ok: true; ast: ParsedExpr } | { ok: false; error: ExprError } {
  try {
    return { ok: true, ast: { source: src, root: parseSource(src) } };
  } catch (e) {
    if (e instanceof ExprSyntaxError) return { ok: false, error: e.error };
    throw e;
  }
}

const TYPE_LABEL: Record<ValueType | 'null', string> = {
  number: '数值',
  string: '文本',
  boolean: '真假值',
  any: '任意值',
  null: '空值',
};

function variableType(scope: VariableScope, name: string): ValueType | null {
  if (typeof scope === 'function') return scope(name) ?? null;
  if (scope instanceof Set) return scope.has(name) ? 'number' : null;
  if (Array.isArray(scope)) return scope.includes(name) ? 'number' : null;
  const rec = scope as Readonly<Record<string, ValueType>>;
  return Object.hasOwn(rec, name) ? rec[name]! : null;
}

function knownNames(scope: VariableScope): string[] {
  if (typeof scope === 'function') return [];
  if (scope instanceof Set) return [...scope];
  if (Array.isArray(scope)) return [...scope];
  return Object.keys(scope);
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(
        d[j]! + 1,
        d[j - 1]! + 1,
        prev + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
      prev = cur;
    }
  }
  return d[b.length]!;
}

function suggestion(name: string, candidates: string[]): string {
  let best: string | null = null;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const dist = editDistance(name, c);
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.floor(name.length / 3)) ? `，是否应为「${best}」？` : '';
}

type T = ValueType | 'null';
const fits = (t: T, want: ValueType) => want === 'any' || t === 'any' || t === 'null' || t === want;

export function checkExpr(ast: ParsedExpr, opts: CheckOptions): CheckResult {
  const src = ast.source;
  const functions: Record<string, FunctionSignature> = { ...BUILTIN_FUNCTIONS, ...(opts.functions ?? {}) };
  const errors: ExprError[] = [];
  const vars: string[] = [];
  const nameArgs: string[] = [];
  const fns: string[] = [];
  const err = (code: ExprErrorCode, span: Span, msg: string) => errors.push(makeError(src, code, span, msg));
  const addOnce = (list: string[], v: string) => {
    if (!list.includes(v)) list.push(v);
  };
  const want = (node: ExprNode, t: T, w: ValueType, what: string) => {
    if (!fits(t, w)) err('TYPE', node, `${what}应为${TYPE_LABEL[w]}，这里是${TYPE_LABEL[t]}`);
  };

  function visit(n: ExprNode): T {
    switch (n.kind) {
      case 'num':
        return 'number';
      case 'str':
        return 'string';
      case 'bool':
        return 'boolean';
      case 'null':
        return 'null';
      case 'var': {
        const t = variableType(opts.variables, n.name);
        if (t === null) {
          err(
            'UNKNOWN_VARIABLE',
            n,
            `未知的名称「${n.name}」${suggestion(n.name, knownNames(opts.variables))}`,
          );
          return 'any';
        }
        addOnce(vars, n.name);
        return t;
      }
      case 'unary': {
        const t = visit(n.arg);
        if (n.op === 'not') {
          want(n.arg, t, 'boolean', '「not」的运算对象');
          return 'boolean';
        }
        want(n.arg, t, 'number', `「${n.op}」的运算对象`);
        return 'number';
      }
      case 'binary': {
        const l = visit(n.left);
        const r = visit(n.right);
        switch (n.op) {
          case 'and':
          case 'or':
            want(n.left, l, 'boolean', `「${n.op}」的运算对象`);
            want(n.right, r, 'boolean', `「${n.op}」的运算对象`);
            return 'boolean';
          case '=':
          case '!=':
          case '<':
          case '<=':
          case '>':
          case '>=': {
            const ordered = n.op !== '=' && n.op !== '!=';
            if (ordered && (l === 'boolean' || r === 'boolean')) {
              err('TYPE', n, `真假值不能用「${n.op}」比较大小`);
            } else if (l !== 'any' && r !== 'any' && l !== 'null' && r !== 'null' && l !== r) {
              err('TYPE', n, `不能比较${TYPE_LABEL[l]}与${TYPE_LABEL[r]}`);
            }
            return 'boolean';
          }
          default: {
            want(n.left, l, 'number', `「${n.op}」的左边`);
            want(n.right, r, 'number', `「${n.op}」的右边`);
            if ((n.op === '/' || n.op === '%') && isConstant(n.right, functions)) {
              const v = evalNode(src, n.right, { variables: {} });
              if (v.ok && v.value === 0) err('DIV_ZERO', n.right, '除数恒为 0');
            }
            return 'number';
          }
        }
      }
      case 'call': {
        const sig = Object.hasOwn(functions, n.name) ? functions[n.name] : undefined;
        if (!sig) {
          err(
            'UNKNOWN_FUNCTION',
            n.nameSpan,
            `未知的函数「${n.name}」${suggestion(n.name, Object.keys(functions))}`,
          );
          for (const a of n.args) visit(a);
          return 'any';
        }
        addOnce(fns, n.name);
        if (n.args.length < sig.minArgs || n.args.length > sig.maxArgs) {
          const range =
            sig.maxArgs === Number.POSITIVE_INFINITY
              ? `至少 ${sig.minArgs} 个`
              : sig.minArgs === sig.maxArgs
                ? `${sig.minArgs} 个`
                : `${sig.minArgs}–${sig.maxArgs} 个`;
          err('ARITY', n, `函数「${n.name}」需要${range}参数，这里有 ${n.args.length} 个`);
        }
        const argTypes: T[] = [];
        n.args.forEach((a, i) => {
          const kinds = sig.args ?? ['number'];
          const kind = kinds[Math.min(i, kinds.length - 1)]!;
          if (kind === 'name') {
            if (a.kind !== 'var') {
              err('ARGUMENT', a, `函数「${n.name}」的第 ${i + 1} 个参数应为一个名称（如 B1）`);
              argTypes.push('any');
              return;
            }
            if (variableType(opts.variables, a.name) === null) {
              err(
                'UNKNOWN_VARIABLE',
                a,
                `未知的名称「${a.name}」${suggestion(a.name, knownNames(opts.variables))}`,
              );
            } else addOnce(nameArgs, a.name);
            argTypes.push('any');
            return;
          }
          const t = visit(a);
          argTypes.push(t);
          want(a, t, kind, `函数「${n.name}」的第 ${i + 1} 个参数`);
        });
        if (n.name === 'if' || n.name === 'ifnull') {
          const [a, b] = n.name === 'if' ? [argTypes[1], argTypes[2]] : [argTypes[0], argTypes[1]];
          if (a && b && a !== 'any' && b !== 'any' && a !== 'null' && b !== 'null' && a !== b) {
            err('TYPE', n, `函数「${n.name}」的两个结果类型不一致（${TYPE_LABEL[a]}与${TYPE_LABEL[b]}）`);
          }
          return a === 'null' ? (b ?? 'any') : (a ?? 'any');
        }
        return sig.returns;
      }
    }
  }

  const type = visit(ast.root);
  if (opts.expect && errors.length === 0 && !fits(type, opts.expect)) {
    err('TYPE', ast.root, `表达式的结果应为${TYPE_LABEL[opts.expect]}，这里是${TYPE_LABEL[type]}`);
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.start - b.start) };
  return { ok: true, type: type === 'null' ? 'any' : type, variables: vars, nameArgs, functions: fns };
}

/** Parse and check in one step (what a form or scheme does when a rule is saved). */
export function compileExpr(
  src: string,
  opts: CheckOptions,
):
  | { ok: true; ast: ParsedExpr; info: Extract<CheckResult, { ok: true }> }
  | { ok: false; errors: ExprError[] } {
  const p = parseExpr(src);
  if (!p.ok) return { ok: false, errors: [p.error] };
  const c = checkExpr(p.ast, opts);
  if (!c.ok) return c;
  return { ok: true, ast: p.ast, info: c };
}

function isConstant(n: ExprNode, functions: Record<string, FunctionSignature>): boolean {
  switch (n.kind) {
    case 'var':
      return false;
    case 'call':
      return Object.hasOwn(BUILTIN_FUNCTIONS, n.name) && n.args.every((a) => isConstant(a, functions));
    case 'unary':
      return isConstant(n.arg, functions);
    case 'binary':
      return isConstant(n.left, functions) && isConstant(n.right, functions);
    default:
      return true;
  }
}

export function evalExpr(ast: ParsedExpr, env: EvalEnv): EvalResult {
  return evalNode(ast.source, ast.root, env);
}

/** The variables an expression reads (direct reads and name arguments), without checking. */
export function variablesOf(ast: ParsedExpr): string[] {
  const out = new Set<string>();
  const walk = (n: ExprNode) => {
    if (n.kind === 'var') out.add(n.name);
    else if (n.kind === 'unary') walk(n.arg);
    else if (n.kind === 'binary') {
      walk(n.left);
      walk(n.right);
    } else if (n.kind === 'call') n.args.forEach(walk);
  };
  walk(ast.root);
  return [...out];
}
