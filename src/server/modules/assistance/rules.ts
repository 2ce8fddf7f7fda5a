/**
 * Rules as data for assistance: the exit rule, eligibility and amounts. The expression text is
 * parsed, checked against the names a rule may use, and evaluated by the platform's one rule
 * evaluator (src/shared/rules/expr.ts); this file is only the adapter: it names the variables
 * of each kind of rule and turns the evaluator's errors into the module's clear 400s.
 */

import { compileRule, type RuleEnv, type RuleNames } from '../../../shared/assistance/ruleAdapter.js';
import { fenToYuan, yuanToFen } from '../../../shared/assistance/rules.js';
import { assertAccess, requirePermission } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { invalid, staleVersion } from '../../platform/errors.js';

/** The names (and types) an exit rule may use: one month of one household. */
export const EXIT_NAMES: RuleNames = {
  perCapitaIncome: 'number',
  householdIncome: 'number',
  members: 'number',
  line: 'number',
  category: 'string',
};

/** The names an eligibility or amount rule may use: one household (and, for students, one member). */
export const ELIGIBILITY_NAMES: RuleNames = {
  status: 'string',
  category: 'string',
  level: 'string',
  primaryCause: 'string',
  perCapitaIncome: 'number',
  householdIncome: 'number',
  members: 'number',
  archived: 'boolean',
  schooling: 'string',
  relation: 'string',
  studentCount: 'number',
  regionCode: 'string',
};

/** Checks a rule's text at save time; an error names the position of the fault. */
export function checkRule(text: string, names: RuleNames, field: string): void {
  const r = compileRule(text, names);
  if (!r.ok)
    throw invalid(`规则表达式有误（第 ${r.position + 1} 个字符）：${r.message}`, {
      field,
      position: r.position,
    });
}

/** A saved rule as a predicate; a rule that no longer compiles is never met (and was refused at save). */
export function ruleTest(text: string, names: RuleNames): (env: RuleEnv) => boolean {
  const r = compileRule(text, names);
  if (!r.ok) return () => false;
  return (env) => r.evaluate(env) === true;
}

export interface ExitRule {
  expr: string;
  months: number;
  /** the 低保 line, fen per person per month */
  line: number;
  version: number;
}

export const DEFAULT_EXIT_RULE: ExitRule = {
  expr: 'perCapitaIncome > line',
  months: 6,
  line: 80_000,
  version: 0,
};

/** The exit rule of an organization: its own, else the nearest ancestor's, else the platform's. */
export async function exitRuleOf(q: Queryable, orgId: number | null): Promise<ExitRule> {
  const rows = await q.query<{ expr: string; params: { months: number; line: number }; version: number }>(sql`
    SELECT r.expr, r.params, r.version FROM assist_rules r LEFT JOIN orgs o ON o.id = r.org_id
    WHERE r.kind = 'exit' AND (r.org_id IS NULL OR ${orgId}::bigint IN (SELECT d.id FROM orgs d WHERE d.path LIKE o.path || '%'))
    ORDER BY (r.org_id IS NULL), length(o.path) DESC LIMIT 1`);
  const r = rows[0];
  return r
    ? { expr: r.expr, months: r.params.months, line: r.params.line, version: r.version }
    : DEFAULT_EXIT_RULE;
}

export function createRuleService(deps: Deps) {
  const { db } = deps;
  const view = (r: ExitRule) => ({ ...r, line: fenToYuan(r.line), names: Object.keys(EXIT_NAMES) });
  return {
    async getExit(ctx: Ctx, orgId: number | undefined) {
      if (orgId) await assertAccess(db, ctx.actor, 'assist:read', 'org', [orgId]);
      requirePermission(ctx.actor, 'assist:read');
      return view(await exitRuleOf(db, orgId ?? ctx.actor.orgId));
    },

    /** Saves an organization's exit rule (or the platform's, with all data in scope); refused when it cannot be evaluated. */
    async setExit(
      ctx: Ctx,
      orgId: number | undefined,
      body: { version: number; expr: string; months: number; line: number },
    ) {
      checkRule(body.expr, EXIT_NAMES, 'expr');
      const line = yuanToFen(body.line)!;
      return db.tx(async (tx) => {
        if (orgId) await assertAccess(tx, ctx.actor, 'assist:review', 'org', [orgId]);
        else if (!ctx.actor.scope.all)
          throw invalid('请选择组织（平台默认规则只能由全部数据范围的管理员设置）');
        requirePermission(ctx.actor, 'assist:review');
        const cur = (
          await tx.query<{ id: number; version: number; expr: string; params: unknown }>(
            sql`SELECT id, version, expr, params FROM assist_rules WHERE kind = 'exit' AND org_id IS NOT DISTINCT FROM ${orgId ?? null}::bigint FOR UPDATE`,
          )
        )[0];
        if ((cur?.version ?? 0) !== body.version) throw staleVersion();
        const params = JSON.stringify({ months: body.months, line });
        if (cur)
          await tx.query(sql`UPDATE assist_rules SET expr = ${body.expr}, params = ${params}::jsonb, version = version + 1,
            updated_by = ${ctx.actor.userId}, updated_at = ${ctx.now} WHERE id = ${cur.id}`);
        else
          await tx.query(sql`INSERT INTO assist_rules (kind, org_id, expr, params, updated_by, updated_at)
            VALUES ('exit', ${orgId ?? null}, ${body.expr}, ${params}::jsonb, ${ctx.actor.userId}, ${ctx.now})`);
        await audit(tx, ctx, {
          action: 'assist.rule.exit',
          entityType: 'assist_rule',
          entityId: cur?.id ?? null,
          orgId: orgId ?? null,
          before: cur ? { expr: cur.expr, params: cur.params, version: cur.version } : null,
          after: { expr: body.expr, months: body.months, line, version: body.version + 1 },
        });
        return view({ expr: body.expr, months: body.months, line, version: body.version + 1 });
      });
    },
  };
}
