import {
  checkIncomeMonth,
  fenToYuan,
  trailingStreak,
  yuanToFen,
} from '../../../../shared/assistance/rules.js';
import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import { assertAccess } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { conflict, forbidden, invalid, staleVersion } from '../../../platform/errors.js';
import { EXIT_NAMES, type ExitRule, exitRuleOf, ruleTest } from '../rules.js';
import { addEvent } from './events.js';
import * as repo from './repo.js';
import { ENDED, loadDetail } from './service.js';

/**
 * The exit rule over a household's months: the rule's condition is evaluated for each month
 * (per-capita income against the line), and N consecutive months up to the latest entered one
 * propose the household for 解困 — never more than a proposal: a reviewer decides.
 */
export function exitStreak(
  rule: ExitRule,
  incomes: readonly { month: string; total: number; members: number }[],
  category: string,
): number {
  const test = ruleTest(rule.expr, EXIT_NAMES);
  return trailingStreak(
    incomes.map((i) => ({
      month: i.month,
      met: test({
        perCapitaIncome: fenToYuan(i.total) / i.members,
        householdIncome: fenToYuan(i.total),
        members: i.members,
        line: fenToYuan(rule.line),
        category,
      }),
    })),
  );
}

/** Re-evaluates the exit rule for one case; writes the proposal (or withdraws it) with an event. */
export async function evaluateExit(q: Queryable, ctx: Ctx, caseId: number): Promise<boolean> {
  const c = (await repo.getCase(q, caseId))!;
  if (c.status !== 'archived') return false;
  const rule = await exitRuleOf(q, c.org_id);
  const streak = exitStreak(rule, await repo.incomesOf(q, caseId), c.category);
  const proposed = streak >= rule.months;
  if (proposed && !c.exit_proposed_at) {
    const note = `人均月收入连续 ${streak} 个月高于 ${fenToYuan(rule.line)} 元（规则：${rule.expr}，${rule.months} 个月）`;
    await q.query(
      sql`UPDATE assist_cases SET exit_proposed_at = ${ctx.now}, exit_note = ${note} WHERE id = ${caseId}`,
    );
    await addEvent(q, ctx, {
      caseId,
      action: 'exit_proposed',
      note,
      data: { streak, months: rule.months, ruleVersion: rule.version },
    });
  } else if (!proposed && c.exit_proposed_at) {
    await q.query(
      sql`UPDATE assist_cases SET exit_proposed_at = NULL, exit_note = NULL WHERE id = ${caseId}`,
    );
    await addEvent(q, ctx, { caseId, action: 'exit_withdrawn', note: '收入回落，不再符合退出条件' });
  }
  return proposed;
}

export function createIncomeService(deps: Deps) {
  const { db } = deps;
  return {
    /** Income of one month (the household's total); a second entry for the month replaces the first. */
    async enter(
      ctx: Ctx,
      caseId: number,
      body: { version: number; month: string; total: number; members?: number },
    ) {
      const m = checkIncomeMonth(body.month, shanghaiYmd(ctx.now));
      if (!m.ok) throw invalid(m.message, { field: 'month' });
      const total = yuanToFen(body.total);
      if (total === null) throw invalid('收入不能为负数，最多两位小数', { field: 'total' });
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:read', 'assist_case', [caseId]);
        if (!ctx.actor.permissions.has('assist:write')) throw forbidden();
        const c = (await repo.getCase(tx, caseId, true))!;
        if (c.version !== body.version) throw staleVersion();
        if (ENDED.includes(c.status)) throw conflict('档案已结束，不能再登记收入');
        const members = body.members ?? c.members_count;
        await tx.query(sql`INSERT INTO assist_incomes (case_id, month, total, members, entered_by, entered_at)
          VALUES (${caseId}, ${body.month}, ${total}, ${members}, ${ctx.actor.userId}, ${ctx.now})
          ON CONFLICT (case_id, month) DO UPDATE SET total = EXCLUDED.total, members = EXCLUDED.members,
            entered_by = EXCLUDED.entered_by, entered_at = EXCLUDED.entered_at`);
        await tx.query(sql`UPDATE assist_cases SET verified_at = ${ctx.now}, version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${caseId}`);
        await addEvent(tx, ctx, {
          caseId,
          action: 'income',
          orgId: ctx.actor.orgId,
          note: `${body.month}：家庭月收入 ${body.total} 元，${members} 人`,
          data: { month: body.month, total: body.total, members },
        });
        await audit(tx, ctx, {
          action: 'assist.case.income',
          entityType: 'assist_case',
          entityId: caseId,
          orgId: c.org_id,
          after: { month: body.month, total, members, version: c.version + 1 },
        });
        await evaluateExit(tx, ctx, caseId);
        return loadDetail(tx, ctx, caseId);
      });
    },
  };
}
