/**
 * The adapter between the assistance module's rules and the platform's one rule evaluator
 * (src/shared/rules/expr.ts: parseExpr / checkExpr / evalExpr). Nothing here evaluates an
 * expression itself: it compiles a rule once (parse + check against the allowed names) and
 * hands back a function that evaluates it on an environment.
 */
import { checkExpr, evalExpr, parseExpr } from '../rules/expr.js';

export type RuleValue = string | number | boolean | null;
export type RuleEnv = Record<string, RuleValue>;

export type Compiled =
  | { ok: true; evaluate(env: RuleEnv): unknown }
  | { ok: false; message: string; position: number };

export function compileRule(text: string, names: readonly string[]): Compiled {
  const parsed = parseExpr(text);
  if (!parsed.ok) return { ok: false, message: parsed.error.message, position: parsed.error.position };
  const checked = checkExpr(parsed.expr, { names });
  if (!checked.ok) return { ok: false, message: checked.error.message, position: checked.error.position };
  return { ok: true, evaluate: (env) => evalExpr(parsed.expr, env) };
}
