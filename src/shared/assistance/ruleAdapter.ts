/**
 * The adapter between the assistance module's rules and the platform's one rule evaluator
 * (src/shared/rules/expr.ts): nothing here evaluates an expression itself. A rule is compiled
 * once (parsed and checked against the names and types it may use, its result a true/false),
 * and handed back as a function evaluating it on an environment.
 */
import { compileExpr, evalExpr, type Value, type ValueType } from '../rules/expr.js';

export type RuleValue = Value;
export type RuleEnv = Record<string, RuleValue>;
export type RuleNames = Readonly<Record<string, ValueType>>;

export type Compiled =
  | { ok: true; evaluate(env: RuleEnv): RuleValue }
  | { ok: false; message: string; position: number };

export function compileRule(text: string, names: RuleNames): Compiled {
  const c = compileExpr(text, { variables: names, expect: 'boolean' });
  if (!c.ok) {
    const e = c.errors[0]!;
    return { ok: false, message: e.message, position: e.start };
  }
  return {
    ok: true,
    evaluate(env) {
      const r = evalExpr(c.ast, { variables: env });
      return r.ok ? r.value : null;
    },
  };
}
