/** Forms as data: define, change (a new form version; reports keep theirs), list. */
import type { FormInput, FormView } from '../../../shared/contracts/stats.js';
import { checkDefinition } from '../../../shared/stats/form.js';
import { requirePermission } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { invalid, staleVersion } from '../../platform/errors.js';
import { prefillKeys } from './prefill.js';
import { type FormRow, findForm } from './repo.js';

export const presentForm = (f: FormRow): FormView => ({
  id: f.id,
  code: f.code,
  name: f.name,
  periodType: f.period_type,
  orgTypes: f.org_types,
  orgLevels: f.org_levels,
  window: f.window,
  definition: f.definition,
  formVersion: f.form_version,
  version: f.version,
  status: f.status,
});

/** Refuses a definition with problems, naming each (rules with the position in the expression). */
export function assertDefinition(input: FormInput): void {
  const problems = checkDefinition(input.definition);
  const known = new Set(prefillKeys());
  input.definition.cells.forEach((c, i) => {
    if (c.prefill && !known.has(c.prefill))
      problems.push({
        path: `definition.cells.${i}.prefill`,
        message: `指标「${c.code}」绑定了未知的数据来源「${c.prefill}」`,
      });
    if (c.prefill && c.type === 'text')
      problems.push({ path: `definition.cells.${i}.prefill`, message: `文本指标「${c.code}」不能预填` });
  });
  if (input.window.dueDays < input.window.openDays)
    problems.push({ path: 'window.dueDays', message: '报送截止不能早于开始填报' });
  if (input.window.lockDays < input.window.dueDays + input.window.graceDays)
    problems.push({ path: 'window.lockDays', message: '锁定时间不能早于截止日加宽限天数' });
  if (problems.length > 0) throw invalid(problems[0]!.message, { problems });
}

export async function insertForm(
  q: Queryable,
  ctx: Ctx,
  input: FormInput,
  ownerOrgId: number,
): Promise<number> {
  const r = await q.query<{
    id: number;
  }>(sql`INSERT INTO stat_forms (code, name, period_type, org_types, org_levels,
      "window", definition, owner_org_id, created_by, created_at, updated_at)
    VALUES (${input.code}, ${input.name}, ${input.periodType}, ${input.orgTypes}::text[], ${input.orgLevels}::text[],
      ${JSON.stringify(input.window)}::jsonb, ${JSON.stringify(input.definition)}::jsonb, ${ownerOrgId},
      ${ctx.actor.userId}, ${ctx.now}, ${ctx.now}) RETURNING id`);
  const id = r[0]!.id;
  await q.query(sql`INSERT INTO stat_form_versions (form_id, form_version, "window", definition, created_by, created_at)
    VALUES (${id}, 1, ${JSON.stringify(input.window)}::jsonb, ${JSON.stringify(input.definition)}::jsonb, ${ctx.actor.userId}, ${ctx.now})`);
  return id;
}

export function createFormService(deps: Deps) {
  const { db } = deps;
  return {
    async list(ctx: Ctx) {
      requirePermission(ctx.actor, 'stats:read');
      const rows = await db.query<FormRow>(sql`SELECT * FROM stat_forms WHERE status = 'active' ORDER BY id`);
      return {
        items: rows.map((f) => ({ id: f.id, code: f.code, name: f.name, periodType: f.period_type })),
      };
    },

    async get(ctx: Ctx, id: number): Promise<FormView> {
      requirePermission(ctx.actor, 'stats:read');
      return presentForm(await findForm(db, id));
    },

    async create(ctx: Ctx, input: FormInput): Promise<FormView> {
      requirePermission(ctx.actor, 'stats:config');
      assertDefinition(input);
      return db.tx(async (tx) => {
        const id = await insertForm(tx, ctx, input, ctx.actor.orgId);
        await audit(tx, ctx, {
          action: 'stats.form.create',
          entityType: 'stat_form',
          entityId: id,
          orgId: ctx.actor.orgId,
          after: { code: input.code, name: input.name },
        });
        return presentForm(await findForm(tx, id));
      });
    },

    /** A change is a new form version: reports already filled keep the version they were filled in. */
    async update(ctx: Ctx, id: number, input: FormInput & { version: number }): Promise<FormView> {
      requirePermission(ctx.actor, 'stats:config');
      assertDefinition(input);
      return db.tx(async (tx) => {
        const before = await findForm(tx, id);
        const r = await tx.query<{
          form_version: number;
        }>(sql`UPDATE stat_forms SET code = ${input.code}, name = ${input.name},
            period_type = ${input.periodType}, org_types = ${input.orgTypes}::text[], org_levels = ${input.orgLevels}::text[],
            "window" = ${JSON.stringify(input.window)}::jsonb, definition = ${JSON.stringify(input.definition)}::jsonb,
            form_version = form_version + 1, version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${id} AND version = ${input.version} RETURNING form_version`);
        if (!r[0]) throw staleVersion();
        if (before.period_type !== input.periodType) {
          const used = await tx.query(sql`SELECT 1 FROM stat_reports WHERE form_id = ${id} LIMIT 1`);
          if (used.length > 0) throw invalid('已有报表数据的表不能改变报告期类型，请新建一张表');
        }
        await tx.query(sql`INSERT INTO stat_form_versions (form_id, form_version, "window", definition, created_by, created_at)
          VALUES (${id}, ${r[0].form_version}, ${JSON.stringify(input.window)}::jsonb, ${JSON.stringify(input.definition)}::jsonb,
            ${ctx.actor.userId}, ${ctx.now})`);
        await audit(tx, ctx, {
          action: 'stats.form.update',
          entityType: 'stat_form',
          entityId: id,
          orgId: before.owner_org_id,
          before: { formVersion: before.form_version },
          after: { formVersion: r[0].form_version, name: input.name },
        });
        return presentForm(await findForm(tx, id));
      });
    },
  };
}
