/**
 * A report's flow: 填报 (save, pre-filled cells with override reasons) → 提交 (errors block,
 * warnings need an explanation) → the level above 审核: 通过 (locks) or 退回 with reasons on
 * cells → corrected → resubmitted; an approved report is unlocked by the level above with a
 * reason. Every step keeps the values as they were (stat_report_events).
 */
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { Issue, ReportView } from '../../../shared/contracts/stats.js';
import {
  cellKeys,
  checkValues,
  evaluateRules,
  explanationKey,
  missingRequired,
  type Values,
} from '../../../shared/stats/form.js';
import { lastYearOf, type Period, parsePeriod, windowOf } from '../../../shared/stats/period.js';
import { requirePermission } from '../../platform/access.js';
import type { Actor, Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { conflict, forbidden, invalid, notFound, staleVersion } from '../../platform/errors.js';
import { notify } from '../system/notices.js';
import { indicatorRecords } from './indicators.js';
import { computePrefill, indicatorOfCell } from './prefill.js';
import * as repo from './repo.js';

export function periodOf(form: repo.FormRow, key: string): Period {
  const p = parsePeriod(key, form.period_type);
  if (!p.ok) throw invalid(p.message, { field: 'period' });
  return p.period;
}

/** Whether the actor sits above an organization (a strict ancestor of it, or ALL scope above the root). */
export const isAbove = (actor: Actor, org: repo.OrgRow) =>
  org.path.startsWith(actor.orgPath) && org.path !== actor.orgPath && actor.orgPath !== '/';

export function createReportService(deps: Deps) {
  const { db } = deps;

  async function context(q: Queryable, ctx: Ctx, formId: number, periodKey: string, orgId: number) {
    const form = await repo.findForm(q, formId);
    const period = periodOf(form, periodKey);
    const org = await repo.scopedOrg(q, ctx.actor, orgId);
    return { form, period, org };
  }

  async function lastYearValues(
    q: Queryable,
    formId: number,
    period: Period,
    orgId: number,
  ): Promise<Values | null> {
    const r = await repo.findReport(q, formId, lastYearOf(period).key, orgId);
    return r ? (r.values as Values) : null;
  }

  async function present(
    q: Queryable,
    ctx: Ctx,
    formId: number,
    periodKey: string,
    orgId: number,
  ): Promise<ReportView> {
    const { form, period, org } = await context(q, ctx, formId, periodKey, orgId);
    const report = await repo.findReport(q, formId, period.key, orgId);
    const formVersion = report?.form_version ?? form.form_version;
    const def = report ? await repo.definitionAt(q, formId, formVersion) : form.definition;
    const editable = !report || report.status === 'draft' || report.status === 'returned';
    const computed = editable ? await computePrefill(q, def, org, period) : (report?.computed ?? {});
    const values: Values = report ? { ...report.values } : {};
    if (!report) for (const [k, v] of Object.entries(computed)) values[k] = v;
    const w = windowOf(period, form.window);
    const issues: Issue[] = report
      ? evaluateRules(def, values, await lastYearValues(q, formId, period, orgId))
      : [];
    const a = ctx.actor;
    return {
      id: report?.id ?? null,
      formId,
      formVersion,
      orgId,
      orgName: org.name,
      period: period.key,
      status: report?.status ?? 'draft',
      values: values as ReportView['values'],
      computed,
      overrides: report?.overrides ?? {},
      explanations: report?.explanations ?? {},
      cellReasons: report?.cell_reasons ?? {},
      issues,
      due: w.due,
      onTimeUntil: w.onTimeUntil,
      submittedAt: report?.submitted_at?.toISOString() ?? null,
      onTime: report?.on_time ?? null,
      returnCount: report?.return_count ?? 0,
      version: report?.version ?? 0,
      canEdit: editable && a.permissions.has('stats:fill') && repo.expectedOf(form, org),
      canReview:
        !!report && a.permissions.has('stats:review') && isAbove(a, org) && report.status !== 'draft',
    };
  }

  return {
    get: (ctx: Ctx, formId: number, period: string, orgId: number) => {
      requirePermission(ctx.actor, 'stats:read');
      return present(db, ctx, formId, period, orgId);
    },

    async save(
      ctx: Ctx,
      formId: number,
      periodKey: string,
      orgId: number,
      body: { values: Values; overrides: Record<string, string>; version: number },
    ) {
      await db.tx(async (tx) => {
        const { form, period, org } = await context(tx, ctx, formId, periodKey, orgId);
        requirePermission(ctx.actor, 'stats:fill');
        if (!repo.expectedOf(form, org))
          throw invalid(`${org.name}不需要填报此表`, { reason: 'not_expected' });
        const w = windowOf(period, form.window);
        const today = shanghaiYmd(ctx.now);
        if (today < w.opens) throw invalid(`此期报表 ${w.opens} 起开始填报`, { reason: 'not_open' });
        if (today > w.locks) throw conflict(`此期报表已于 ${w.locks} 截止锁定`, { reason: 'locked' });
        const existing = await repo.findReport(tx, formId, period.key, orgId, true);
        if (existing && existing.status !== 'draft' && existing.status !== 'returned')
          throw conflict(
            existing.status === 'approved'
              ? '报表已审核锁定，需上级解锁后才能修改'
              : '报表已提交，等待审核，不能修改',
            { reason: 'locked' },
          );
        if ((existing?.version ?? 0) !== body.version) throw staleVersion();
        const def = existing ? await repo.definitionAt(tx, formId, existing.form_version) : form.definition;
        const problems = checkValues(def, body.values);
        if (problems.length > 0) throw invalid(problems[0]!.message, { problems });
        const keys = new Set(cellKeys(def).map((k) => k.key));
        const values: Values = Object.fromEntries(Object.entries(body.values).filter(([k]) => keys.has(k)));
        const computed = await computePrefill(tx, def, org, period);
        const overrides: Record<string, string> = {};
        for (const [k, v] of Object.entries(computed)) {
          if (!(k in values)) values[k] = v;
          if (values[k] !== v) {
            const reason = body.overrides[k]?.trim();
            if (!reason)
              throw invalid(
                `「${cellKeys(def).find((c) => c.key === k)?.label ?? k}」改动了系统预填的值（${v ?? '空'}），请说明原因`,
                { problems: [{ key: k, message: '需说明修改预填值的原因' }] },
              );
            overrides[k] = reason;
          }
        }
        let id: number;
        let version: number;
        if (existing) {
          const r = await tx.query<{
            id: number;
            version: number;
          }>(sql`UPDATE stat_reports SET "values" = ${JSON.stringify(values)}::jsonb,
              computed = ${JSON.stringify(computed)}::jsonb, overrides = ${JSON.stringify(overrides)}::jsonb,
              version = version + 1, updated_at = ${ctx.now}
            WHERE id = ${existing.id} AND version = ${body.version} RETURNING id, version`);
          if (!r[0]) throw staleVersion();
          ({ id, version } = r[0]);
        } else {
          const r = await tx.query<{
            id: number;
            version: number;
          }>(sql`INSERT INTO stat_reports (form_id, form_version, org_id, org_path,
              period, status, "values", computed, overrides, created_at, updated_at)
            VALUES (${formId}, ${form.form_version}, ${orgId}, ${org.path}, ${period.key}, 'draft', ${JSON.stringify(values)}::jsonb,
              ${JSON.stringify(computed)}::jsonb, ${JSON.stringify(overrides)}::jsonb, ${ctx.now}, ${ctx.now})
            ON CONFLICT (form_id, period, org_id) DO NOTHING RETURNING id, version`);
          if (!r[0]) throw staleVersion();
          ({ id, version } = r[0]);
        }
        await repo.writeCellRows(tx, { id, form_id: formId, period: period.key }, values);
        await repo.addEvent(tx, {
          reportId: id,
          version,
          action: 'save',
          status: existing?.status ?? 'draft',
          actor: ctx.actor,
          now: ctx.now,
          values,
        });
        await audit(tx, ctx, {
          action: 'stats.report.save',
          entityType: 'stat_report',
          entityId: id,
          orgId,
          after: { period: period.key, cells: Object.keys(values).length, overrides: Object.keys(overrides) },
        });
      });
      return present(db, ctx, formId, periodKey, orgId);
    },

    async submit(
      ctx: Ctx,
      formId: number,
      periodKey: string,
      orgId: number,
      body: { explanations: Record<string, string>; version: number },
    ) {
      await db.tx(async (tx) => {
        const { form, period, org } = await context(tx, ctx, formId, periodKey, orgId);
        requirePermission(ctx.actor, 'stats:fill');
        const report = await repo.findReport(tx, formId, period.key, orgId, true);
        if (!report) throw invalid('请先填写并保存报表', { reason: 'empty' });
        if (report.status !== 'draft' && report.status !== 'returned')
          throw conflict('报表已提交或已审核', { reason: 'state' });
        if (report.version !== body.version) throw staleVersion();
        const w = windowOf(period, form.window);
        const today = shanghaiYmd(ctx.now);
        if (today > w.locks) throw conflict(`此期报表已于 ${w.locks} 截止锁定`, { reason: 'locked' });
        const def = await repo.definitionAt(tx, formId, report.form_version);
        const values = report.values as Values;
        const missing = missingRequired(def, values);
        const issues = evaluateRules(def, values, await lastYearValues(tx, formId, period, orgId));
        const errors = issues.filter((i) => i.severity === 'error');
        if (missing.length > 0 || errors.length > 0)
          throw invalid(missing[0]?.message ?? `未通过审核规则：${errors[0]!.message}`, {
            reason: 'rules',
            missing,
            issues,
          });
        const unexplained = issues.filter(
          (i) => i.severity === 'warning' && !body.explanations[explanationKey(i)]?.trim(),
        );
        if (unexplained.length > 0)
          throw invalid(`请说明提示性规则：${unexplained[0]!.message}`, {
            reason: 'explain',
            issues: unexplained,
          });
        const explanations = Object.fromEntries(
          issues
            .filter((i) => i.severity === 'warning')
            .map((i) => [explanationKey(i), body.explanations[explanationKey(i)]!.trim()]),
        );
        const onTime = today <= w.onTimeUntil;
        const r = await tx.query<{
          version: number;
        }>(sql`UPDATE stat_reports SET status = 'submitted', submitted_at = ${ctx.now},
            on_time = COALESCE(CASE WHEN return_count > 0 THEN on_time END, ${onTime}),
            explanations = ${JSON.stringify(explanations)}::jsonb, version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${report.id} AND version = ${body.version} RETURNING version`);
        if (!r[0]) throw staleVersion();
        await repo.addEvent(tx, {
          reportId: report.id,
          version: r[0].version,
          action: 'submit',
          status: 'submitted',
          actor: ctx.actor,
          now: ctx.now,
          values,
          explanations,
        });
        await audit(tx, ctx, {
          action: 'stats.report.submit',
          entityType: 'stat_report',
          entityId: report.id,
          orgId,
          after: { period: period.key, onTime, warnings: Object.keys(explanations) },
        });
        if (org.parent_id) {
          const users = await repo.usersWith(tx, [org.parent_id], 'stats:review');
          await notify(tx, ctx, users, {
            title: `${org.name}已提交${form.name}（${period.key}）`,
            body: '请审核',
            link: `/stats/forms/${formId}/report?period=${period.key}&orgId=${orgId}`,
          });
        }
      });
      return present(db, ctx, formId, periodKey, orgId);
    },

    async review(
      ctx: Ctx,
      formId: number,
      periodKey: string,
      orgId: number,
      body: {
        decision: 'approve' | 'return';
        comment: string;
        cellReasons: Record<string, string>;
        version: number;
      },
    ) {
      await db.tx(async (tx) => {
        const { form, period, org } = await context(tx, ctx, formId, periodKey, orgId);
        requirePermission(ctx.actor, 'stats:review');
        if (!isAbove(ctx.actor, org)) throw forbidden('只有上级组织可以审核此报表');
        const report = await repo.findReport(tx, formId, period.key, orgId, true);
        if (!report) throw notFound('报表');
        if (report.version !== body.version) throw staleVersion();
        if (report.status !== 'submitted')
          throw conflict(report.status === 'approved' ? '报表已审核通过' : '报表尚未提交，不能审核', {
            reason: 'state',
          });
        const def = await repo.definitionAt(tx, formId, report.form_version);
        const keys = new Set([...cellKeys(def).map((k) => k.key), ...def.cells.map((c) => c.code)]);
        const bad = Object.keys(body.cellReasons).find((k) => !keys.has(k));
        if (bad) throw invalid(`表中没有单元格「${bad}」`, { field: 'cellReasons' });
        const ret = body.decision === 'return';
        if (ret && !body.comment && Object.keys(body.cellReasons).length === 0)
          throw invalid('退回时请说明原因（可写在单元格上）', { field: 'comment' });
        const r = await tx.query<{
          version: number;
        }>(sql`UPDATE stat_reports SET status = ${ret ? 'returned' : 'approved'},
            approved_at = ${ret ? null : ctx.now}, cell_reasons = ${JSON.stringify(ret ? body.cellReasons : {})}::jsonb,
            return_count = return_count + ${ret ? 1 : 0}, version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${report.id} AND version = ${body.version} RETURNING version`);
        if (!r[0]) throw staleVersion();
        await repo.addEvent(tx, {
          reportId: report.id,
          version: r[0].version,
          action: ret ? 'return' : 'approve',
          status: ret ? 'returned' : 'approved',
          actor: ctx.actor,
          now: ctx.now,
          comment: body.comment,
          cellReasons: body.cellReasons,
        });
        await audit(tx, ctx, {
          action: ret ? 'stats.report.return' : 'stats.report.approve',
          entityType: 'stat_report',
          entityId: report.id,
          orgId,
          after: { period: period.key, comment: body.comment, cells: Object.keys(body.cellReasons) },
        });
        const users = await repo.usersWith(tx, [orgId], 'stats:fill');
        await notify(tx, ctx, users, {
          title: `${form.name}（${period.key}）${ret ? '被退回' : '已审核通过'}`,
          body: body.comment || (ret ? '请按单元格上的意见修改后重新提交' : ''),
          link: `/stats/forms/${formId}/report?period=${period.key}&orgId=${orgId}`,
        });
      });
      return present(db, ctx, formId, periodKey, orgId);
    },

    async unlock(
      ctx: Ctx,
      formId: number,
      periodKey: string,
      orgId: number,
      body: { reason: string; version: number },
    ) {
      await db.tx(async (tx) => {
        const { period, org } = await context(tx, ctx, formId, periodKey, orgId);
        requirePermission(ctx.actor, 'stats:review');
        if (!isAbove(ctx.actor, org)) throw forbidden('只有上级组织可以解锁此报表');
        const report = await repo.findReport(tx, formId, period.key, orgId, true);
        if (!report) throw notFound('报表');
        if (report.version !== body.version) throw staleVersion();
        if (report.status !== 'approved') throw conflict('只有已审核的报表需要解锁', { reason: 'state' });
        const r = await tx.query<{
          version: number;
        }>(sql`UPDATE stat_reports SET status = 'returned', approved_at = NULL,
            cell_reasons = '{}'::jsonb, version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${report.id} AND version = ${body.version} RETURNING version`);
        if (!r[0]) throw staleVersion();
        await repo.addEvent(tx, {
          reportId: report.id,
          version: r[0].version,
          action: 'unlock',
          status: 'returned',
          actor: ctx.actor,
          now: ctx.now,
          comment: body.reason,
        });
        await audit(tx, ctx, {
          action: 'stats.report.unlock',
          entityType: 'stat_report',
          entityId: report.id,
          orgId,
          after: { period: period.key, reason: body.reason },
        });
      });
      return present(db, ctx, formId, periodKey, orgId);
    },

    async history(ctx: Ctx, formId: number, periodKey: string, orgId: number) {
      requirePermission(ctx.actor, 'stats:read');
      const { period } = await context(db, ctx, formId, periodKey, orgId);
      const report = await repo.findReport(db, formId, period.key, orgId);
      if (!report) return { items: [] };
      const rows = await db.query<{
        id: number;
        version: number;
        action: string;
        status: string;
        actor_name: string;
        values: Record<string, number | string | null> | null;
        comment: string;
        cell_reasons: Record<string, string>;
        explanations: Record<string, string>;
        at: Date;
      }>(
        sql`SELECT id, version, action, status, actor_name, "values", comment, cell_reasons, explanations, at
          FROM stat_report_events WHERE report_id = ${report.id} ORDER BY id`,
      );
      return {
        items: rows.map((r) => ({
          id: r.id,
          version: r.version,
          action: r.action,
          status: r.status,
          actorName: r.actor_name,
          values: r.values,
          comment: r.comment,
          cellReasons: r.cell_reasons,
          explanations: r.explanations,
          at: r.at.toISOString(),
        })),
      };
    },

    /** The records behind a pre-filled cell. */
    async records(ctx: Ctx, formId: number, periodKey: string, orgId: number, cell: string) {
      requirePermission(ctx.actor, 'stats:read');
      const { form, period, org } = await context(db, ctx, formId, periodKey, orgId);
      const report = await repo.findReport(db, formId, period.key, orgId);
      const def = report ? await repo.definitionAt(db, formId, report.form_version) : form.definition;
      const key = indicatorOfCell(def, cell);
      if (!key) throw invalid(`单元格「${cell}」不是预填单元格`, { field: 'cell' });
      return { indicator: key, items: await indicatorRecords(db, key, org, period) };
    },
  };
}
