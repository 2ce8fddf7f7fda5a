/**
 * 汇总: a unit's summary is its own report plus its approved subordinates', per cell, added up
 * by the database (SUM … GROUP BY over the cell rows of one subtree); drillable to each
 * child's subtree; the completion tree; Excel in the form's layout; 催报.
 */
import ExcelJS from 'exceljs';
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { FormDefinition } from '../../../shared/contracts/stats.js';
import { cellKeys, totalOf, type Values } from '../../../shared/stats/form.js';
import { windowOf } from '../../../shared/stats/period.js';
import { requirePermission } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden } from '../../platform/errors.js';
import { notify } from '../system/notices.js';
import * as repo from './repo.js';
import { isAbove, periodOf } from './reports.js';

/** Sums per cell key of a subtree: the organization's own report (any state) and approved reports below. */
export function summarySql(formId: number, period: string, org: { id: number; path: string }) {
  return sql`SELECT v.key, sum(v.num)::float8 AS total FROM stat_reports r JOIN stat_values v ON v.report_id = r.id
    WHERE r.form_id = ${formId} AND r.period = ${period} AND r.org_path LIKE ${`${org.path}%`}
      AND (r.status = 'approved' OR r.org_id = ${org.id})
    GROUP BY v.key`;
}

/** Adds the whole-cell totals of disaggregated cells to the per-key sums. */
type Cells = Record<string, number | string | null>;
function withTotals(def: FormDefinition, sums: Values): Cells {
  const out: Values = {};
  for (const k of cellKeys(def)) if (k.cell.type !== 'text') out[k.key] = sums[k.key] ?? null;
  for (const c of def.cells)
    if (c.disaggregation && c.type !== 'text') out[c.code] = totalOf(def, out, c.code);
  return out as Cells;
}

export function createSummaryService(deps: Deps) {
  const { db } = deps;

  async function load(q: Queryable, ctx: Ctx, formId: number, periodKey: string, orgId: number) {
    requirePermission(ctx.actor, 'stats:read');
    const form = await repo.findForm(q, formId);
    const period = periodOf(form, periodKey);
    const org = await repo.scopedOrg(q, ctx.actor, orgId);
    return { form, period, org };
  }

  async function counts(q: Queryable, form: repo.FormRow, period: string, org: repo.OrgRow) {
    const r = await q.query<{ expected: number; submitted: number; approved: number }>(sql`SELECT
        count(*)::int AS expected,
        count(*) FILTER (WHERE r.status IN ('submitted', 'approved'))::int AS submitted,
        count(*) FILTER (WHERE r.status = 'approved')::int AS approved
      FROM orgs o LEFT JOIN stat_reports r ON r.org_id = o.id AND r.form_id = ${form.id} AND r.period = ${period}
      WHERE o.path LIKE ${`${org.path}%`} AND o.status = 'active'
        AND o.type = ANY(${form.org_types}::text[]) AND o.level = ANY(${form.org_levels}::text[])`);
    return r[0]!;
  }

  async function summary(ctx: Ctx, formId: number, periodKey: string, orgId: number) {
    const { form, period, org } = await load(db, ctx, formId, periodKey, orgId);
    const rows = await db.query<{ key: string; total: number }>(summarySql(formId, period.key, org));
    const cells = withTotals(form.definition, Object.fromEntries(rows.map((r) => [r.key, r.total])));
    return { orgId, period: period.key, cells, ...(await counts(db, form, period.key, org)) };
  }

  /** Each direct child's subtree sum (approved reports only) and the organization's own report. */
  async function drill(ctx: Ctx, formId: number, periodKey: string, orgId: number) {
    const { form, period, org } = await load(db, ctx, formId, periodKey, orgId);
    const rows = await db.query<{ child: string; key: string; total: number }>(sql`SELECT
        CASE WHEN r.org_id = ${org.id} THEN 'self' ELSE split_part(substr(r.org_path, ${org.path.length + 1}), '/', 1) END AS child,
        v.key, sum(v.num)::float8 AS total
      FROM stat_reports r JOIN stat_values v ON v.report_id = r.id
      WHERE r.form_id = ${formId} AND r.period = ${period.key} AND r.org_path LIKE ${`${org.path}%`}
        AND (r.status = 'approved' OR r.org_id = ${org.id})
      GROUP BY 1, 2`);
    const children = await db.query<{ id: number; name: string }>(
      sql`SELECT id, name FROM orgs WHERE parent_id = ${org.id} AND status = 'active' ORDER BY sort, id`,
    );
    const by = new Map<string, Values>();
    for (const r of rows) {
      const m = by.get(r.child) ?? {};
      m[r.key] = r.total;
      by.set(r.child, m);
    }
    const items = [
      {
        orgId: org.id,
        orgName: `${org.name}（本级）`,
        cells: withTotals(form.definition, by.get('self') ?? {}),
      },
      ...children
        .filter((c) => by.has(String(c.id)))
        .map((c) => ({
          orgId: c.id,
          orgName: c.name,
          cells: withTotals(form.definition, by.get(String(c.id)) ?? {}),
        })),
    ];
    return { orgId, period: period.key, items };
  }

  async function completion(ctx: Ctx, formId: number, periodKey: string, orgId: number) {
    const { form, period, org } = await load(db, ctx, formId, periodKey, orgId);
    const w = windowOf(period, form.window);
    const late = shanghaiYmd(ctx.now) > w.due;
    // the expected organizations of the subtree and the organizations on the way to them
    const rows = await db.query<{
      id: number;
      name: string;
      parent_id: number | null;
      path: string;
      expected: boolean;
      status: string | null;
      report_id: number | null;
    }>(
      sql`WITH exp AS (
          SELECT o.id, o.path FROM orgs o WHERE o.path LIKE ${`${org.path}%`} AND o.status = 'active'
            AND o.type = ANY(${form.org_types}::text[]) AND o.level = ANY(${form.org_levels}::text[])
          ORDER BY o.path LIMIT 3000),
        ids AS (SELECT DISTINCT x::bigint AS id FROM exp, unnest(string_to_array(trim(both '/' from exp.path), '/')) AS x)
        SELECT o.id, o.name, o.parent_id, o.path, (o.id IN (SELECT id FROM exp)) AS expected, r.status, r.id AS report_id
        FROM orgs o JOIN ids ON ids.id = o.id
        LEFT JOIN stat_reports r ON r.org_id = o.id AND r.form_id = ${formId} AND r.period = ${period.key}
        WHERE o.path LIKE ${`${org.path}%`} ORDER BY o.path`,
    );
    return {
      due: w.due,
      items: rows.map((r) => ({
        orgId: r.id,
        orgName: r.name,
        parentId: r.id === org.id ? null : r.parent_id,
        expected: r.expected,
        reportId: r.report_id,
        status: !r.expected
          ? ('not_expected' as const)
          : r.status === 'submitted' || r.status === 'approved' || r.status === 'returned'
            ? (r.status as 'submitted' | 'approved' | 'returned')
            : late
              ? ('overdue' as const)
              : r.status === 'draft'
                ? ('draft' as const)
                : ('none' as const),
      })),
    };
  }

  /** The summary and its children in the form's own layout: sections and disaggregations as merged headers. */
  async function exportXlsx(
    ctx: Ctx,
    formId: number,
    periodKey: string,
    orgId: number,
  ): Promise<{ name: string; bytes: Buffer }> {
    const { form, period, org } = await load(db, ctx, formId, periodKey, orgId);
    const d = await drill(ctx, formId, periodKey, orgId);
    const total = await summary(ctx, formId, periodKey, orgId);
    const def = form.definition;
    const cols = def.cells.filter((c) => c.type !== 'text');
    // leaf columns: each cell's options, then its total
    const leaves: { key: string; cell: string; option: string | null }[] = [];
    for (const c of cols) {
      const dg = c.disaggregation ? def.disaggregations.find((x) => x.key === c.disaggregation) : undefined;
      if (dg) {
        for (const o of dg.options)
          leaves.push({ key: `${c.code}.${o.code}`, cell: c.code, option: o.label });
        leaves.push({ key: c.code, cell: c.code, option: '合计' });
      } else leaves.push({ key: c.code, cell: c.code, option: null });
    }
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Niudai 纽带';
    const ws = wb.addWorksheet(form.name.slice(0, 31));
    const width = leaves.length + 1;
    ws.addRow([`${form.name}（${period.key}）`]);
    ws.mergeCells(1, 1, 1, width);
    ws.addRow([
      `汇总单位：${org.name}　表号：${form.code}　应报 ${total.expected}　已报 ${total.submitted}　已审核 ${total.approved}`,
    ]);
    ws.mergeCells(2, 1, 2, width);
    const h1 = 3;
    const h2 = 4;
    const h3 = 5;
    ws.getCell(h1, 1).value = '单位';
    ws.mergeCells(h1, 1, h3, 1);
    // section row, cell row, option row
    let col = 2;
    const sections: { name: string; from: number; to: number }[] = [];
    for (const c of cols) {
      const mine = leaves.filter((l) => l.cell === c.code);
      const n = mine.length;
      const last = sections[sections.length - 1];
      if (last && last.name === c.section && c.section) last.to = col + n - 1;
      else sections.push({ name: c.section, from: col, to: col + n - 1 });
      ws.getCell(h2, col).value = `${c.label}${c.unit ? `（${c.unit}）` : ''}`;
      if (n > 1) ws.mergeCells(h2, col, h2, col + n - 1);
      mine.forEach((l, i) => {
        ws.getCell(h3, col + i).value = l.option ?? '';
      });
      if (n === 1 && !mine[0]!.option) ws.mergeCells(h2, col, h3, col);
      col += n;
    }
    for (const s of sections) {
      ws.getCell(h1, s.from).value = s.name || '';
      if (s.to > s.from) ws.mergeCells(h1, s.from, h1, s.to);
    }
    for (const r of [h1, h2, h3]) {
      ws.getRow(r).font = { bold: true };
      ws.getRow(r).alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    }
    for (const it of d.items)
      ws.addRow([
        it.orgName,
        ...leaves.map((l) => (typeof it.cells[l.key] === 'number' ? it.cells[l.key] : null)),
      ]);
    const sumRow = ws.addRow([
      '合计',
      ...leaves.map((l) => (typeof total.cells[l.key] === 'number' ? total.cells[l.key] : null)),
    ]);
    sumRow.font = { bold: true };
    ws.getColumn(1).width = 32;
    await audit(db, ctx, {
      action: 'stats.summary.export',
      entityType: 'export',
      entityId: null,
      orgId,
      after: { formId, period: period.key, rows: d.items.length },
    });
    return {
      name: `${form.name}_${org.name}_${period.key}.xlsx`,
      bytes: Buffer.from(await wb.xlsx.writeBuffer()),
    };
  }

  /** 催报: a notice to the fillers of every expected organization below that has not submitted. */
  async function urge(ctx: Ctx, formId: number, periodKey: string, orgId: number) {
    const { form, period, org } = await load(db, ctx, formId, periodKey, orgId);
    requirePermission(ctx.actor, 'stats:review');
    if (!ctx.actor.scope.all && !org.path.startsWith(ctx.actor.orgPath)) throw forbidden();
    const { items } = await completion(ctx, formId, periodKey, orgId);
    const pending = items
      .filter(
        (i) =>
          i.expected && i.orgId !== org.id && ['none', 'draft', 'overdue', 'returned'].includes(i.status),
      )
      .map((i) => i.orgId);
    await db.tx(async (tx) => {
      const users = await repo.usersWith(tx, pending, 'stats:fill');
      await notify(tx, ctx, users, {
        title: `催报：${form.name}（${period.key}）`,
        body: `${org.name}提醒：请尽快填报并提交`,
        link: `/stats/forms/${formId}/report?period=${period.key}`,
      });
      if (pending.length > 0)
        await tx.query(sql`INSERT INTO stat_reminders (form_id, period, org_id, kind, at)
          SELECT ${formId}, ${period.key}, x, 'urge', ${ctx.now} FROM unnest(${pending}::bigint[]) AS x ON CONFLICT DO NOTHING`);
      await audit(tx, ctx, {
        action: 'stats.report.urge',
        entityType: 'stat_form',
        entityId: formId,
        orgId,
        after: { period: period.key, orgs: pending.length },
      });
    });
    return { orgs: pending.length };
  }

  return { summary, drill, completion, exportXlsx, urge, isAbove };
}
