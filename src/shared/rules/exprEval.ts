/**
 * Evaluation of a parsed rule expression (see expr.ts for the semantics). Failures — division by
 * zero, a missing value when the caller forbids them, a type mismatch on an untyped value, a
 * domain function that fails — come back as an ExprError with the span of the node that caused
 * them; nothing is thrown to the caller.
 */

import type { EvalEnv, EvalResult, FunctionDef, Value } from './expr.js';
import { type ExprError, type ExprErrorCode, type ExprNode, makeError, type Span } from './exprParse.js';

class EvalFailure extends Error {
  constructor(
    readonly code: ExprErrorCode,
    readonly span: Span,
    message: string,
  ) {
    super(message);
  }
}

const REL_TOLERANCE = 1e-9;

export function numbersEqual(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= REL_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Half away from zero, on the decimal digits people see (round(1.005, 2) = 1.01). */
export function roundHalfAway(x: number, digits: number): number {
  const sign = x < 0 ? -1 : 1;
  const r = Number(`${Math.round(Number(`${Math.abs(x)}e${digits}`))}e${-digits}`);
  return sign * r;
}

const kindOf = (v: Value) =>
  v === null ? '空值' : typeof v === 'number' ? '数值' : typeof v === 'string' ? '文本' : '真假值';

export function evalNode(src: string, root: ExprNode, env: EvalEnv): EvalResult {
  const missing = env.missing ?? 'null';
  const lookup =
    typeof env.variables === 'function'
      ? env.variables
      : (name: string) =>
          Object.hasOwn(env.variables, name) ? (env.variables as Record<string, Value>)[name] : undefined;

  const num = (v: Value, node: ExprNode, what: string): number | null => {
    if (v === null) return null;
    if (typeof v !== 'number') throw new EvalFailure('TYPE', node, `${what}应为数值，这里是${kindOf(v)}`);
    return v;
  };
  const bool = (v: Value, node: ExprNode, what: string): boolean | null => {
    if (v === null) return null;
    if (typeof v !== 'boolean') throw new EvalFailure('TYPE', node, `${what}应为真假值，这里是${kindOf(v)}`);
    return v;
  };
  const finite = (x: number, node: ExprNode): number => {
    if (!Number.isFinite(x)) throw new EvalFailure('NOT_A_NUMBER', node, '计算结果不是有限的数值');
    return x;
  };

  function ev(n: ExprNode): Value {
    switch (n.kind) {
      case 'num':
      case 'str':
      case 'bool':
        return n.value;
      case 'null':
        return null;
      case 'var': {
        const v = lookup(n.name);
        if (v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v))) {
          if (missing === 'zero') return 0;
          if (missing === 'error') throw new EvalFailure('MISSING_VALUE', n, `「${n.name}」没有值`);
          return null;
        }
        return v;
      }
      case 'unary': {
        if (n.op === 'not') {
          const b = bool(ev(n.arg), n.arg, '「not」的运算对象');
          return b === null ? null : !b;
        }
        const x = num(ev(n.arg), n.arg, `「${n.op}」的运算对象`);
        return x === null ? null : n.op === '-' ? -x : x;
      }
      case 'binary':
        return binary(n);
      case 'call':
        return call(n);
    }
  }

  function binary(n: Extract<ExprNode, { kind: 'binary' }>): Value {
    if (n.op === 'and' || n.op === 'or') {
      const l = bool(ev(n.left), n.left, `「${n.op}」的运算对象`);
      if (n.op === 'and' && l === false) return false;
      if (n.op === 'or' && l === true) return true;
      const r = bool(ev(n.right), n.right, `「${n.op}」的运算对象`);
      if (n.op === 'and') return r === false ? false : l === null || r === null ? null : true;
      return r === true ? true : l === null || r === null ? null : false;
    }
    const lv = ev(n.left);
    const rv = ev(n.right);
    switch (n.op) {
      case '=':
      case '!=': {
        if (lv === null || rv === null) return null;
        if (typeof lv !== typeof rv) throw new EvalFailure('TYPE', n, `不能比较${kindOf(lv)}与${kindOf(rv)}`);
        const eq = typeof lv === 'number' ? numbersEqual(lv, rv as number) : lv === rv;
        return n.op === '=' ? eq : !eq;
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (lv === null || rv === null) return null;
        if (typeof lv === 'boolean' || typeof lv !== typeof rv) {
          throw new EvalFailure('TYPE', n, `不能用「${n.op}」比较${kindOf(lv)}与${kindOf(rv)}`);
        }
        const eq = typeof lv === 'number' ? numbersEqual(lv, rv as number) : lv === rv;
        const lt = !eq && lv < (rv as number | string);
        return n.op === '<' ? lt : n.op === '<=' ? lt || eq : n.op === '>' ? !lt && !eq : !lt;
      }
      default: {
        const a = num(lv, n.left, `「${n.op}」的左边`);
        const b = num(rv, n.right, `「${n.op}」的右边`);
        if (a === null || b === null) return null;
        switch (n.op) {
          case '+':
            return finite(a + b, n);
          case '-':
            return finite(a - b, n);
          case '*':
            return finite(a * b, n);
          case '/':
          case '%':
            if (b === 0)
              throw new EvalFailure(
                'DIV_ZERO',
                n.right,
                `除数为 0（${src.slice(n.right.start, n.right.end)}）`,
              );
            return finite(n.op === '/' ? a / b : a % b, n);
          case '^':
            return finite(a ** b, n);
        }
      }
    }
  }

  function call(n: Extract<ExprNode, { kind: 'call' }>): Value {
    const args = n.args;
    switch (n.name) {
      case 'if': {
        if (args.length !== 3) throw new EvalFailure('ARITY', n, '函数「if」需要 3 个参数');
        const c = bool(ev(args[0]!), args[0]!, '函数「if」的条件');
        return c === true ? ev(args[1]!) : ev(args[2]!);
      }
      case 'ifnull': {
        if (args.length !== 2) throw new EvalFailure('ARITY', n, '函数「ifnull」需要 2 个参数');
        const v = ev(args[0]!);
        return v === null ? ev(args[1]!) : v;
      }
      case 'abs':
      case 'min':
      case 'max':
      case 'round': {
        const xs = args.map((a, i) => num(ev(a), a, `函数「${n.name}」的第 ${i + 1} 个参数`));
        if (
          xs.length === 0 ||
          (n.name === 'abs' && xs.length !== 1) ||
          (n.name === 'round' && xs.length > 2)
        ) {
          throw new EvalFailure('ARITY', n, `函数「${n.name}」的参数个数不对`);
        }
        if (xs.some((x) => x === null)) return null;
        const v = xs as number[];
        if (n.name === 'abs') return Math.abs(v[0]!);
        if (n.name === 'min') return Math.min(...v);
        if (n.name === 'max') return Math.max(...v);
        const digits = v[1] ?? 0;
        if (!Number.isInteger(digits) || digits < -12 || digits > 12) {
          throw new EvalFailure('ARGUMENT', args[1]!, '保留位数应为 -12 到 12 之间的整数');
        }
        return roundHalfAway(v[0]!, digits);
      }
    }
    const def = env.functions && Object.hasOwn(env.functions, n.name) ? env.functions[n.name] : undefined;
    if (!def) throw new EvalFailure('UNKNOWN_FUNCTION', n.nameSpan, `未知的函数「${n.name}」`);
    const impl = typeof def === 'function' ? def : (def as FunctionDef).impl;
    const kinds = typeof def === 'function' ? undefined : (def as FunctionDef).args;
    const values = args.map((a, i) => {
      const kind = kinds?.[Math.min(i, kinds.length - 1)];
      if (kind === 'name') {
        if (a.kind !== 'var')
          throw new EvalFailure('ARGUMENT', a, `函数「${n.name}」的第 ${i + 1} 个参数应为一个名称`);
        return a.name;
      }
      return ev(a);
    });
    let out: Value | undefined;
    try {
      out = impl(values);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new EvalFailure('FUNCTION_FAILED', n, `函数「${n.name}」计算失败：${why}`);
    }
    if (out === undefined) return null;
    if (typeof out === 'number') return finite(out, n);
    return out;
  }

  try {
    return { ok: true, value: ev(root) };
  } catch (e) {
    if (e instanceof EvalFailure)
      return { ok: false, error: makeError(src, e.code, e.span, e.message) satisfies ExprError };
    if (e instanceof RangeError) {
      return { ok: false, error: makeError(src, 'TOO_DEEP', root, '表达式过于复杂，无法计算') };
    }
    throw e;
  }
}
