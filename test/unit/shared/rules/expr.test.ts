import { describe, expect, it } from 'vitest';
import {
  type CheckOptions,
  checkExpr,
  compileExpr,
  type EvalEnv,
  evalExpr,
  type FunctionDef,
  MAX_EXPR_LENGTH,
  parseExpr,
  type Value,
  variablesOf,
} from '../../../../src/shared/rules/expr.js';

function parsed(src: string) {
  const p = parseExpr(src);
  if (!p.ok) throw new Error(`parse failed: ${p.error.message}`);
  return p.ast;
}

function run(src: string, vars: Record<string, Value> = {}, env: Partial<EvalEnv> = {}): Value {
  const r = evalExpr(parsed(src), { variables: vars, ...env });
  if (!r.ok) throw new Error(`eval failed: ${r.error.message}`);
  return r.value;
}

function evalError(src: string, vars: Record<string, Value> = {}, env: Partial<EvalEnv> = {}) {
  const r = evalExpr(parsed(src), { variables: vars, ...env });
  if (r.ok) throw new Error(`expected an error, got ${String(r.value)}`);
  return r.error;
}

const lastYear: FunctionDef = {
  minArgs: 1,
  maxArgs: 1,
  args: ['name'],
  returns: 'number',
  impl: ([name]) => ({ B1: 100, B2: 0 })[name as string] ?? null,
};

describe('parseExpr', () => {
  it('keeps the source span of every node', () => {
    const ast = parsed('B2 <= B1 + 3');
    expect(ast.root).toMatchObject({ kind: 'binary', op: '<=', start: 0, end: 12 });
    if (ast.root.kind !== 'binary') throw new Error('binary expected');
    expect(ast.root.left).toMatchObject({ kind: 'var', name: 'B2', start: 0, end: 2 });
    expect(ast.root.right).toMatchObject({ kind: 'binary', op: '+', start: 6, end: 12 });
  });

  it.each([
    ['', 0, '表达式为空'],
    ['B1 +', 4, '不完整'],
    ['(B1 + 2', 7, '右括号'],
    ['B1 + 2)', 6, '多余'],
    ['B1 # 2', 3, '无法识别'],
    ['max(B1, ', 8, '不完整'],
    ['max(B1 B2)', 7, '「,」或「)」'],
    ["'abc", 0, '引号'],
    ['1 < B1 < 3', 7, '不能连写'],
    ['2B', 0, '缺少运算符'],
    ['B1 and', 6, '不完整'],
    ['and B1', 0, '缺少运算对象'],
  ])('refuses %j at offset %i', (src, start, text) => {
    const p = parseExpr(src);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.error.code).toBe('SYNTAX');
    expect(p.error.start).toBe(start);
    expect(p.error.message).toContain(text);
  });

  it('reports line and column on multi-line rules', () => {
    const p = parseExpr('B1 >= 0\n  and B2 >= $');
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.error).toMatchObject({ line: 2, column: 13, start: 20 });
    expect(p.error.message).toMatch(/^第 2 行第 13 列/);
  });

  it('refuses too long and too deeply nested input without overflowing the stack', () => {
    const long = parseExpr('1+'.repeat(MAX_EXPR_LENGTH));
    expect(long.ok ? null : long.error.code).toBe('TOO_LONG');
    const deep = parseExpr(`${'('.repeat(200)}1${')'.repeat(200)}`);
    expect(deep.ok ? null : deep.error.code).toBe('TOO_DEEP');
    const negations = parseExpr(`${'-'.repeat(500)}1`);
    expect(negations.ok ? null : negations.error.code).toBe('TOO_DEEP');
  });

  it('reads full-width characters typed with a Chinese input method', () => {
    expect(run('Ｂ１　＜＝　ｍａｘ（１，Ｂ２）', { B1: 2, B2: 3 })).toBe(true);
    expect(run('B1 ≤ B2 and B2 ≥ B1 and B1 ≠ B2', { B1: 1, B2: 2 })).toBe(true);
  });

  it('accepts names with dots and CJK characters', () => {
    expect(variablesOf(parsed('B1.male + 会员数 - x_1'))).toEqual(['B1.male', '会员数', 'x_1']);
  });
});

describe('evalExpr: arithmetic and precedence', () => {
  it.each<[string, Value]>([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['2 ^ 3 ^ 2', 512],
    ['-2 ^ 2', -4],
    ['2 ^ -1', 0.5],
    ['7 % 3', 1],
    ['-(3 - 5)', 2],
    ['+4', 4],
    ['1.5e2 + .5', 150.5],
    ['0.1 + 0.2 = 0.3', true],
    ['1 = 1.0000001', false],
    ['3 > 2 and 2 > 1', true],
    ['1 > 2 or not 1 > 2', true],
    ['not true = false', true],
    ['1 <> 2', true],
    ['2 == 2', true],
    ["'a' < 'b'", true],
    ["'男' = '男'", true],
    ['true and false or true', true],
    ['true or false and false', true],
  ])('%s → %j', (src, expected) => {
    expect(run(src)).toBe(expected);
  });

  it('reads variables from a record or a resolver', () => {
    expect(run('B2 <= B1', { B1: 10, B2: 10 })).toBe(true);
    expect(run('B1 = B3 + B4', { B1: 10, B3: 4, B4: 6 })).toBe(true);
    expect(run('B1 = B3 + B4', { B1: 10, B3: 4, B4: 5 })).toBe(false);
    const r = evalExpr(parsed('x * 2'), { variables: (n) => (n === 'x' ? 21 : undefined) });
    expect(r).toEqual({ ok: true, value: 42 });
  });
});

describe('evalExpr: functions', () => {
  it.each<[string, Value]>([
    ['abs(-3.5)', 3.5],
    ['min(4, 2, 9)', 2],
    ['max(4, 2, 9)', 9],
    ['max(7)', 7],
    ['round(2.5)', 3],
    ['round(-2.5)', -3],
    ['round(1.005, 2)', 1.01],
    ['round(1234, -2)', 1200],
    ['if(1 > 2, 10, 20)', 20],
    ["if(true, 'yes', 'no')", 'yes'],
    ['ifnull(null, 5)', 5],
    ['ifnull(3, 5)', 3],
    ['IF(1 < 2, ABS(-1), 0)', 1],
  ])('%s → %j', (src, expected) => {
    expect(run(src)).toBe(expected);
  });

  it('evaluates only the branch of if that is chosen', () => {
    expect(run('if(B1 = 0, 0, B2 / B1)', { B1: 0, B2: 5 })).toBe(0);
    expect(run('if(B1 = 0, 0, B2 / B1)', { B1: 2, B2: 5 })).toBe(2.5);
  });

  it('short-circuits and/or', () => {
    expect(run('B1 > 0 and B2 / B1 > 1', { B1: 0, B2: 5 })).toBe(false);
    expect(run('B1 = 0 or B2 / B1 > 1', { B1: 0, B2: 5 })).toBe(true);
  });

  it('calls a domain function with a name argument', () => {
    const env = { functions: { last_year: lastYear } };
    expect(run('abs(B1 - last_year(B1)) / last_year(B1) <= 0.2', { B1: 110 }, env)).toBe(true);
    expect(run('abs(B1 - last_year(B1)) / last_year(B1) <= 0.2', { B1: 130 }, env)).toBe(false);
  });

  it('calls a plain domain function with values', () => {
    const env = { functions: { pct: (a: Value[]) => ((a[0] as number) / (a[1] as number)) * 100 } };
    expect(run('pct(B1, B2)', { B1: 1, B2: 4 }, env)).toBe(25);
  });

  it('reports a failing domain function as an error, not a throw', () => {
    const env = {
      functions: {
        boom: () => {
          throw new Error('no data');
        },
      },
    };
    const e = evalError('1 + boom()', {}, env);
    expect(e.code).toBe('FUNCTION_FAILED');
    expect(e.start).toBe(4);
    expect(e.message).toContain('no data');
  });
});

describe('evalExpr: errors and missing values', () => {
  it('reports division by zero at run time with the divisor position', () => {
    const e = evalError(
      'abs(B1 - last_year(B2)) / last_year(B2) <= 0.2',
      { B1: 5, B2: 3 },
      {
        functions: { last_year: lastYear },
      },
    );
    expect(e.code).toBe('DIV_ZERO');
    expect(e.start).toBe(26);
    expect(e.message).toContain('last_year(B2)');
    expect(evalError('B1 % B2', { B1: 1, B2: 0 }).code).toBe('DIV_ZERO');
  });

  it('reports non-finite results', () => {
    expect(evalError('10 ^ 400').code).toBe('NOT_A_NUMBER');
    expect(evalError('(-8) ^ 0.5').code).toBe('NOT_A_NUMBER');
  });

  it('propagates missing values with three-valued logic by default', () => {
    expect(run('B1 + 1', { B1: null })).toBe(null);
    expect(run('B1 + 1', {})).toBe(null);
    expect(run('B1 > 1', { B1: null })).toBe(null);
    expect(run('B1 > 1 and false', { B1: null })).toBe(false);
    expect(run('B1 > 1 and true', { B1: null })).toBe(null);
    expect(run('B1 > 1 or true', { B1: null })).toBe(true);
    expect(run('not (B1 > 1)', { B1: null })).toBe(null);
    expect(run('if(B1 > 1, 1, 2)', { B1: null })).toBe(2);
    expect(run('max(B1, 3)', { B1: null })).toBe(null);
  });

  it('reads missing values as zero, or refuses them, when asked', () => {
    expect(run('B1 + 1', { B1: null }, { missing: 'zero' })).toBe(1);
    const e = evalError('2 * B1', {}, { missing: 'error' });
    expect(e).toMatchObject({ code: 'MISSING_VALUE', start: 4, end: 6 });
  });

  it('reports a type mismatch on untyped values', () => {
    expect(evalError('B1 + 1', { B1: 'x' }).code).toBe('TYPE');
    expect(evalError('B1 and true', { B1: 3 }).code).toBe('TYPE');
    expect(evalError('B1 = 1', { B1: 'x' }).code).toBe('TYPE');
    expect(evalError('true < false').code).toBe('TYPE');
  });

  it('refuses a bad rounding precision', () => {
    expect(evalError('round(1, 0.5)').code).toBe('ARGUMENT');
  });
});

describe('checkExpr', () => {
  const cells: CheckOptions = { variables: ['B1', 'B2', 'B3', 'B4'], functions: { last_year: lastYear } };

  function errorsOf(src: string, opts: CheckOptions = cells) {
    const c = compileExpr(src, opts);
    if (c.ok) throw new Error('expected errors');
    return c.errors;
  }

  it('accepts the rules of a form and lists what they read', () => {
    const c = compileExpr('abs(B1 - last_year(B1)) / last_year(B1) <= 0.2 and B2 <= B1', {
      ...cells,
      expect: 'boolean',
    });
    expect(c.ok).toBe(true);
    if (!c.ok) return;
    expect(c.info.variables).toEqual(['B1', 'B2']);
    expect(c.info.nameArgs).toEqual(['B1']);
    expect(c.info.functions).toEqual(['abs', 'last_year']);
    expect(c.info.type).toBe('boolean');
  });

  it('refuses an unknown cell with its position and a suggestion', () => {
    const [e, ...rest] = errorsOf('B2 <= B11 + B1');
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ code: 'UNKNOWN_VARIABLE', start: 6, end: 9 });
    expect(e!.message).toContain('B11');
    expect(e!.message).toContain('B1');
  });

  it('collects every error in order of position', () => {
    const errs = errorsOf('X1 + foo(B1) + max() + last_year(2)');
    expect(errs.map((e) => e.code)).toEqual(['UNKNOWN_VARIABLE', 'UNKNOWN_FUNCTION', 'ARITY', 'ARGUMENT']);
    expect(errs.map((e) => e.start)).toEqual([0, 5, 15, 33]);
  });

  it.each([
    ['abs(B1, B2)', 'ARITY', '1 个'],
    ['round()', 'ARITY', '1–2 个'],
    ['if(B1 > 0, 1)', 'ARITY', '3 个'],
    ['last_year(B1, B2)', 'ARITY', '1 个'],
    ['last_year(B9)', 'UNKNOWN_VARIABLE', 'B9'],
    ['last_year(B1 + 1)', 'ARGUMENT', '名称'],
    ['sqrt(B1)', 'UNKNOWN_FUNCTION', 'sqrt'],
    ['B1 + (B2 > 1)', 'TYPE', '数值'],
    ["B1 = 'x'", 'TYPE', '比较'],
    ['not B1', 'TYPE', '真假值'],
    ['B1 and B2', 'TYPE', '真假值'],
    ['if(B1, 1, 2)', 'TYPE', '真假值'],
    ["if(B1 > 0, 1, 'x')", 'TYPE', '不一致'],
    ['B1 / 0', 'DIV_ZERO', '恒为 0'],
    ['B1 / (2 - 2)', 'DIV_ZERO', '恒为 0'],
    ['B1 % abs(0)', 'DIV_ZERO', '恒为 0'],
  ])('%s → %s', (src, code, text) => {
    const errs = errorsOf(src);
    expect(errs[0]!.code).toBe(code);
    expect(errs[0]!.message).toContain(text);
  });

  it('does not refuse a divisor that depends on data', () => {
    expect(compileExpr('B1 / B2', cells).ok).toBe(true);
    expect(compileExpr('B1 / last_year(B2)', cells).ok).toBe(true);
  });

  it('checks the type of the whole expression', () => {
    const errs = errorsOf('B1 + B2', { ...cells, expect: 'boolean' });
    expect(errs[0]).toMatchObject({ code: 'TYPE', start: 0, end: 7 });
    expect(compileExpr('B1 + B2', { ...cells, expect: 'number' }).ok).toBe(true);
  });

  it('accepts typed variables and a resolver', () => {
    const typed: CheckOptions = { variables: { gender: 'string', age: 'number', poor: 'boolean' } };
    expect(compileExpr("gender = '女' and age >= 60 or poor", typed).ok).toBe(true);
    expect(errorsOf("age = '60'", typed)[0]!.code).toBe('TYPE');
    const resolver: CheckOptions = { variables: (n) => (/^[A-Z]\d+$/.test(n) ? 'number' : null) };
    expect(compileExpr('Z99 > A1', resolver).ok).toBe(true);
    expect(errorsOf('z99 > A1', resolver)[0]!.code).toBe('UNKNOWN_VARIABLE');
  });

  it('accepts a Set of names and does not confuse names with Object prototype keys', () => {
    expect(compileExpr('a + b', { variables: new Set(['a', 'b']) }).ok).toBe(true);
    expect(errorsOf('toString + 1', { variables: {} })[0]!.code).toBe('UNKNOWN_VARIABLE');
    expect(errorsOf('constructor(1)', { variables: {} })[0]!.code).toBe('UNKNOWN_FUNCTION');
  });

  it('returns an AST that evaluates the same for many environments (a rule per disaggregation)', () => {
    const c = compileExpr('B2 <= B1', cells);
    if (!c.ok) throw new Error('compile');
    const combos = [
      { B1: 10, B2: 4 },
      { B1: 3, B2: 4 },
      { B1: 0, B2: 0 },
    ];
    expect(combos.map((v) => evalExpr(c.ast, { variables: v }))).toEqual([
      { ok: true, value: true },
      { ok: true, value: false },
      { ok: true, value: true },
    ]);
  });
});

describe('random expressions agree with a reference computation', () => {
  // A small deterministic generator (no Math.random: reproducible failures).
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  function gen(depth: number): [string, (v: Record<string, number>) => number] {
    if (depth === 0 || rnd(3) === 0) {
      if (rnd(2) === 0) {
        const k = rnd(20) + 1;
        return [String(k), () => k];
      }
      const name = ['a', 'b', 'c'][rnd(3)]!;
      return [name, (v) => v[name]!];
    }
    const [ls, lf] = gen(depth - 1);
    const [rs, rf] = gen(depth - 1);
    switch (rnd(5)) {
      case 0:
        return [`(${ls} + ${rs})`, (v) => lf(v) + rf(v)];
      case 1:
        return [`(${ls} - ${rs})`, (v) => lf(v) - rf(v)];
      case 2:
        return [`(${ls} * ${rs})`, (v) => lf(v) * rf(v)];
      case 3:
        return [`max(${ls}, ${rs})`, (v) => Math.max(lf(v), rf(v))];
      default:
        return [`abs(${ls})`, (v) => Math.abs(lf(v))];
    }
  }
  it('for 300 generated expressions', () => {
    for (let i = 0; i < 300; i++) {
      const [src, f] = gen(4);
      const vars = { a: rnd(50) - 25, b: rnd(50) - 25, c: rnd(50) - 25 };
      expect(compileExpr(src, { variables: ['a', 'b', 'c'] }).ok).toBe(true);
      expect(run(src, vars)).toBeCloseTo(f(vars), 9);
    }
  });
});

describe('checkExpr on the AST alone', () => {
  it('works with a parsed AST passed around', () => {
    const ast = parsed('B1 >= 0');
    expect(checkExpr(ast, { variables: ['B1'] }).ok).toBe(true);
    expect(checkExpr(ast, { variables: [] }).ok).toBe(false);
  });
});
