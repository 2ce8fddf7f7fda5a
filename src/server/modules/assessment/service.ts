/**
 * Assessment (考核): schemes as data; a run per scheme and period computes every unit's
 * indicators from the registry and freezes them; 自评 → 复核 (difference and reason per item) →
 * 结果 (grades with quotas) → 公示 (working days) → 发布. Corrections after the close are
 * recorded as corrections; computing a closed run again gives the same numbers.
 */
import { checkScheme, gradeUnits, indicatorsOf, scoreUnit } from '../../../shared/assessment/scheme.js';
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { SchemeInput } from '../../../shared/contracts/assessment.js';
import { type Period, parsePeriod } from '../../../shared/stats/period.js';
import { requirePermission, scopeWhere } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { workCalendarOf } from '../../platform/calendar.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { conflict, forbidden, invalid, notFound, staleVersion } from '../../platform/errors.js';
import { computeIndicators, INDICATOR_BY_KEY } from '../stats/index.js';
import { explainUnit } from './explain.js';
import * as repo from './repo.js';

const KNOWN = new Set(INDICATOR_BY_KEY.keys());

export function assertScheme(input: SchemeInput): void {
  const problems = checkScheme(input.definition, KNOWN);
  if (problems.length > 0) throw invalid(problems[0]!.message, { problems });
}

export const presentScheme = (s: repo.SchemeRow) => ({
  id: s.id,
  name: s.name,
  periodType: s.period_type,
  orgTypes: s.org_types,
  orgLevels: s.org_levels,
  definition: s.definition,
  ownerOrgId: s.owner_org_id,
  schemeVersion: s.scheme_version,
  version: s.version,
});

export async function insertScheme(
  q: Queryable,
  ctx: Ctx,
  input: SchemeInput,
  ownerOrgId: number,
): Promise<number> {
  const r = await q.query<{
    id: number;
  }>(sql`INSERT INTO assess_schemes (name, period_type, owner_org_id, org_types, org_levels,
      definition, created_by, created_at, updated_at)
    VALUES (${input.name}, ${input.periodType}, ${ownerOrgId}, ${input.orgTypes}::text[], ${input.orgLevels}::text[],
      ${JSON.stringify(input.definition)}::jsonb, ${ctx.actor.userId}, ${ctx.now}, ${ctx.now}) RETURNING id`);
  return r[0]!.id;
}

function periodOf(s: Pick<repo.SchemeRow, 'period_type'>, key: string): Period {
  const p = parsePeriod(key, s.period_type);
  if (!p.ok) throw invalid(p.message, { field: 'period' });
  return p.period;
}

/** Computes (or, for a closed run, re-scores from the frozen inputs) a scheme for a period. */
export async function computeRun(
  q: Queryable,
  ctx: Ctx,
  scheme: repo.SchemeRow,
  periodKey: string,
): Promise<number> {
  const period = periodOf(scheme, periodKey);
  const existing = (
    await q.query<repo.RunRow>(
      sql`SELECT * FROM assess_runs WHERE scheme_id = ${scheme.id} AND period = ${period.key} FOR UPDATE`,
    )
  )[0];
  if (existing && existing.status !== 'self_eval') {
    await repo.rescore(q, existing);
    return existing.id;
  }
  const owner = (
    await q.query<{ path: string }>(sql`SELECT path FROM orgs WHERE id = ${scheme.owner_org_id}`)
  )[0]!;
  const orgs = await q.query<{ id: number; path: string; name: string }>(sql`SELECT id, path, name FROM orgs
    WHERE path LIKE ${`${owner.path}%`} AND status = 'active' AND type = ANY(${scheme.org_types}::text[]) AND level = ANY(${scheme.org_levels}::text[])
    ORDER BY path`);
  const keys = indicatorsOf(scheme.definition);
  const computed = await computeIndicators(q, keys, orgs, period);
  let runId: number;
  if (existing) {
    runId = existing.id;
    await q.query(sql`UPDATE assess_runs SET definition = ${JSON.stringify(scheme.definition)}::jsonb, scheme_version = ${scheme.scheme_version},
      computed_at = ${ctx.now}, version = version + 1, updated_at = ${ctx.now} WHERE id = ${runId}`);
  } else {
    const r = await q.query<{
      id: number;
    }>(sql`INSERT INTO assess_runs (scheme_id, scheme_version, definition, period, status, computed_at, created_at, updated_at)
      VALUES (${scheme.id}, ${scheme.scheme_version}, ${JSON.stringify(scheme.definition)}::jsonb, ${period.key}, 'self_eval', ${ctx.now}, ${ctx.now}, ${ctx.now})
      RETURNING id`);
    runId = r[0]!.id;
  }
  // hand scores and corrections already given survive a recompute before the close
  const prior = new Map(
    (
      await q.query<
        Pick<repo.ResultRow, 'org_id' | 'self_scores' | 'review_scores'> & {
          corrections: Record<string, number> | null;
        }
      >(
        sql`SELECT org_id, self_scores, review_scores, inputs->'corrections' AS corrections FROM assess_results WHERE run_id = ${runId}`,
      )
    ).map((r) => [r.org_id, r]),
  );
  const def = scheme.definition;
  const units = orgs.map((o) => {
    const c = computed.get(o.id) ?? {};
    const p = prior.get(o.id);
    const inputs: repo.FrozenInputs = {
      values: Object.fromEntries(keys.map((k) => [k, c[k]?.value ?? null])),
      inputs: Object.fromEntries(keys.map((k) => [k, c[k]?.inputs ?? {}])),
      corrections: p?.corrections ?? {},
    };
    const s = scoreUnit(def, repo.correctedValues(inputs), p?.self_scores ?? {}, p?.review_scores ?? {});
    return { o, inputs, s };
  });
  const grades = gradeUnits(
    def,
    units.map((u) => ({ orgId: u.o.id, total: u.s.total, vetoed: u.s.vetoes.length > 0 })),
  );
  const rows = units.map(({ o, inputs, s }) => ({
    org_id: o.id,
    org_path: o.path,
    org_name: o.name,
    inputs,
    items: s,
    score: s.total,
    vetoed: s.vetoes.length > 0,
    vetoes: s.vetoes,
    grade: grades.get(o.id)?.grade ?? null,
    rank: grades.get(o.id)?.rank ?? null,
  }));
  // one statement for the whole run: the inputs frozen with their scores, grades and ranks
  await q.query(sql`INSERT INTO assess_results (run_id, org_id, org_path, org_name, inputs, items, score, vetoed, vetoes, grade, rank)
    SELECT ${runId}, x.org_id, x.org_path, x.org_name, x.inputs, x.items, x.score, x.vetoed, x.vetoes, x.grade, x.rank
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      AS x(org_id bigint, org_path text, org_name text, inputs jsonb, items jsonb, score numeric, vetoed boolean, vetoes jsonb, grade text, rank int)
    ON CONFLICT (run_id, org_id) DO UPDATE SET inputs = EXCLUDED.inputs, items = EXCLUDED.items, score = EXCLUDED.score,
      vetoed = EXCLUDED.vetoed, vetoes = EXCLUDED.vetoes, grade = EXCLUDED.grade, rank = EXCLUDED.rank`);
  return runId;
}

/** The run transitions, as data: action → from which states, to which. */
export const RUN_TRANSITIONS = {
  review: { from: ['self_eval'], to: 'review' },
  close: { from: ['self_eval', 'review'], to: 'result' },
  publicize: { from: ['result'], to: 'publicity' },
  publish: { from: ['publicity'], to: 'published' },
} as const;
export type RunAction = keyof typeof RUN_TRANSITIONS;

export function createAssessmentService(deps: Deps) {
  const { db } = deps;

  async function presentRun(q: Queryable, run: repo.RunRow) {
    const s = await repo.findScheme(q, run.scheme_id);
    const n = await q.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM assess_results WHERE run_id = ${run.id}`,
    );
    return {
      id: run.id,
      schemeId: run.scheme_id,
      schemeName: s.name,
      period: run.period,
      status: run.status,
      computedAt: run.computed_at.toISOString(),
      closedAt: run.closed_at?.toISOString() ?? null,
      publicityFrom: run.publicity_from,
      publicityUntil: run.publicity_until,
      units: n[0]!.n,
      version: run.version,
    };
  }

  async function managedRun(q: Queryable, ctx: Ctx, runId: number) {
    const run = await repo.findRun(q, runId, true);
    const scheme = await repo.managedScheme(q, ctx.actor, run.scheme_id);
    requirePermission(ctx.actor, 'assess:manage');
    return { run, scheme };
  }

  return {
    async listSchemes(ctx: Ctx) {
      requirePermission(ctx.actor, 'assess:read');
      const rows = await db.query<repo.SchemeRow>(
        sql`SELECT * FROM assess_schemes WHERE status = 'active' ORDER BY id`,
      );
      return { items: rows.map((s) => ({ id: s.id, name: s.name, periodType: s.period_type })) };
    },
    async getScheme(ctx: Ctx, id: number) {
      requirePermission(ctx.actor, 'assess:read');
      return presentScheme(await repo.findScheme(db, id));
    },
    async createScheme(ctx: Ctx, input: SchemeInput) {
      requirePermission(ctx.actor, 'assess:manage');
      assertScheme(input);
      return db.tx(async (tx) => {
        const id = await insertScheme(tx, ctx, input, ctx.actor.orgId);
        await audit(tx, ctx, {
          action: 'assess.scheme.create',
          entityType: 'assess_scheme',
          entityId: id,
          orgId: ctx.actor.orgId,
          after: { name: input.name },
        });
        return presentScheme(await repo.findScheme(tx, id));
      });
    },
    async updateScheme(ctx: Ctx, id: number, input: SchemeInput & { version: number }) {
      assertScheme(input);
      return db.tx(async (tx) => {
        await repo.managedScheme(tx, ctx.actor, id);
        requirePermission(ctx.actor, 'assess:manage');
        const r =
          await tx.query(sql`UPDATE assess_schemes SET name = ${input.name}, period_type = ${input.periodType},
            org_types = ${input.orgTypes}::text[], org_levels = ${input.orgLevels}::text[], definition = ${JSON.stringify(input.definition)}::jsonb,
            scheme_version = scheme_version + 1, version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${id} AND version = ${input.version} RETURNING id`);
        if (!r[0]) throw staleVersion();
        await audit(tx, ctx, {
          action: 'assess.scheme.update',
          entityType: 'assess_scheme',
          entityId: id,
          after: { name: input.name },
        });
        return presentScheme(await repo.findScheme(tx, id));
      });
    },

    async compute(ctx: Ctx, schemeId: number, period: string) {
      const runId = await db.tx(async (tx) => {
        const scheme = await repo.managedScheme(tx, ctx.actor, schemeId);
        requirePermission(ctx.actor, 'assess:manage');
        const id = await computeRun(tx, ctx, scheme, period);
        await audit(tx, ctx, {
          action: 'assess.run.compute',
          entityType: 'assess_run',
          entityId: id,
          orgId: scheme.owner_org_id,
          after: { period },
        });
        return id;
      });
      return presentRun(db, await repo.findRun(db, runId));
    },

    async listRuns(ctx: Ctx, schemeId?: number) {
      requirePermission(ctx.actor, 'assess:read');
      const rows = await db.query<repo.RunRow>(
        sql`SELECT * FROM assess_runs ${schemeId ? sql`WHERE scheme_id = ${schemeId}` : sql.raw('')} ORDER BY period DESC, id DESC LIMIT 200`,
      );
      return { items: await Promise.all(rows.map((r) => presentRun(db, r))) };
    },

    async getRun(ctx: Ctx, id: number) {
      requirePermission(ctx.actor, 'assess:read');
      return presentRun(db, await repo.findRun(db, id));
    },

    async results(ctx: Ctx, query: { schemeId?: number; period: string }) {
      requirePermission(ctx.actor, 'assess:read');
      const runs = await db.query<repo.RunRow>(
        sql`SELECT * FROM assess_runs WHERE period = ${query.period} ${query.schemeId ? sql`AND scheme_id = ${query.schemeId}` : sql.raw('')}`,
      );
      if (runs.length === 0) {
        if (query.schemeId) throw notFound('考核');
        return { items: [] };
      }
      if (runs.length > 1) throw invalid('此期有多个考核方案，请指定 schemeId', { field: 'schemeId' });
      const rows = await db.query<{
        org_id: number;
        org_name: string;
        score: string;
        grade: string | null;
        vetoed: boolean;
        rank: number | null;
      }>(
        sql`SELECT r.org_id, r.org_name, r.score, r.grade, r.vetoed, r.rank FROM assess_results r
          WHERE r.run_id = ${runs[0]!.id} AND ${scopeWhere(ctx.actor, { orgId: sql.raw('r.org_id'), path: sql.raw('r.org_path') })}
          ORDER BY r.rank NULLS LAST, r.org_id LIMIT 20000`,
      );
      return {
        items: rows.map((r) => ({
          orgId: r.org_id,
          orgName: r.org_name,
          score: Number(r.score),
          grade: r.vetoed ? null : r.grade,
          vetoed: r.vetoed,
          rank: r.rank,
        })),
      };
    },

    async act(ctx: Ctx, runId: number, action: RunAction, version: number) {
      await db.tx(async (tx) => {
        const { run, scheme } = await managedRun(tx, ctx, runId);
        if (run.version !== version) throw staleVersion();
        const t = RUN_TRANSITIONS[action];
        if (!(t.from as readonly string[]).includes(run.status))
          throw conflict(`当前状态不能执行此操作`, { reason: 'state', status: run.status });
        const today = shanghaiYmd(ctx.now);
        let from: string | null = run.publicity_from;
        let until: string | null = run.publicity_until;
        if (action === 'publicize') {
          const cal = await workCalendarOf(db);
          from = today;
          until = cal.addWorkdays(today, run.definition.publicityDays);
        }
        if (action === 'publish' && until && today <= until)
          throw conflict(`公示期至 ${until}，期满后才能发布`, { reason: 'publicity' });
        if (action === 'close') await repo.rescore(tx, run);
        const r =
          await tx.query(sql`UPDATE assess_runs SET status = ${t.to}, publicity_from = ${from}, publicity_until = ${until},
            closed_at = ${action === 'close' ? ctx.now : run.closed_at}, published_at = ${action === 'publish' ? ctx.now : null},
            version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${runId} AND version = ${version} RETURNING id`);
        if (!r[0]) throw staleVersion();
        await audit(tx, ctx, {
          action: `assess.run.${action}`,
          entityType: 'assess_run',
          entityId: runId,
          orgId: scheme.owner_org_id,
          before: { status: run.status },
          after: { status: t.to, publicityUntil: until },
        });
      });
      return presentRun(db, await repo.findRun(db, runId));
    },

    /** 自评 by the unit (or for it from above), 复核 by the level above with a reason for every difference. */
    async score(
      ctx: Ctx,
      runId: number,
      orgId: number,
      body: {
        kind: 'self' | 'review';
        scores: Record<string, { score: number; evidence: string; reason: string }>;
        version: number;
      },
    ) {
      await db.tx(async (tx) => {
        const run = await repo.findRun(tx, runId);
        const res = (
          await tx.query<repo.ResultRow>(sql`SELECT r.* FROM assess_results r WHERE r.run_id = ${runId} AND r.org_id = ${orgId}
          AND ${scopeWhere(ctx.actor, { orgId: sql.raw('r.org_id'), path: sql.raw('r.org_path') })} FOR UPDATE`)
        )[0];
        if (!res) throw notFound('考核结果');
        requirePermission(ctx.actor, 'assess:score');
        const above = res.org_path.startsWith(ctx.actor.orgPath) && res.org_path !== ctx.actor.orgPath;
        if (body.kind === 'review' && !above) throw forbidden('只有上级组织可以复核');
        if (body.kind === 'self' && !above && ctx.actor.orgId !== orgId) throw forbidden();
        const open = body.kind === 'self' ? ['self_eval'] : ['self_eval', 'review'];
        if (!open.includes(run.status))
          throw conflict(body.kind === 'self' ? '自评已截止' : '复核已截止', { reason: 'state' });
        if (res.version !== body.version) throw staleVersion();
        const manual = new Set([
          ...run.definition.items.filter((i) => i.kind === 'manual').map((i) => i.code),
          ...(body.kind === 'review'
            ? [
                ...run.definition.adjustments.filter((a) => !a.indicator).map((a) => a.code),
                ...run.definition.vetoes.filter((v) => !v.indicator).map((v) => v.code),
              ]
            : []),
        ]);
        for (const [k, v] of Object.entries(body.scores)) {
          if (!manual.has(k)) throw invalid(`「${k}」不是需要打分的项目`, { field: k });
          if (body.kind === 'review') {
            const self = res.self_scores[k];
            if (self && self.score !== v.score && !v.reason)
              throw invalid(`复核分与自评分不同，请说明「${k}」的理由`, { field: k });
          }
        }
        const col = body.kind === 'self' ? sql.raw('self_scores') : sql.raw('review_scores');
        await tx.query(sql`UPDATE assess_results SET ${col} = ${col} || ${JSON.stringify(body.scores)}::jsonb, version = version + 1
          WHERE run_id = ${runId} AND org_id = ${orgId}`);
        await repo.rescore(tx, run);
        await audit(tx, ctx, {
          action: `assess.score.${body.kind}`,
          entityType: 'assess_run',
          entityId: runId,
          orgId,
          after: { scores: body.scores },
        });
      });
      return this.explain(ctx, runId, orgId);
    },

    /** A correction after the close: recorded as such, the unit re-scored and all re-graded. */
    async correct(
      ctx: Ctx,
      runId: number,
      body: { orgId: number; item: string; value: number; reason: string },
    ) {
      await db.tx(async (tx) => {
        const { run, scheme } = await managedRun(tx, ctx, runId);
        if (run.status === 'self_eval' || run.status === 'review')
          throw conflict('考核尚未出结果，请直接重新计算或打分', { reason: 'state' });
        const res = (
          await tx.query<repo.ResultRow>(
            sql`SELECT * FROM assess_results WHERE run_id = ${runId} AND org_id = ${body.orgId} FOR UPDATE`,
          )
        )[0];
        if (!res) throw notFound('考核结果');
        const keys = new Set(Object.keys(res.inputs.values));
        if (!keys.has(body.item)) throw invalid(`「${body.item}」不是此方案的数据项`, { field: 'item' });
        const before = repo.correctedValues(res.inputs)[body.item] ?? null;
        await tx.query(sql`UPDATE assess_results SET inputs = jsonb_set(inputs, ${['corrections', body.item]}::text[], ${JSON.stringify(body.value)}::jsonb),
          version = version + 1 WHERE run_id = ${runId} AND org_id = ${body.orgId}`);
        await tx.query(sql`INSERT INTO assess_corrections (run_id, org_id, item, before, after, reason, actor_id, at)
          VALUES (${runId}, ${body.orgId}, ${body.item}, ${JSON.stringify(before)}::jsonb, ${JSON.stringify(body.value)}::jsonb, ${body.reason}, ${ctx.actor.userId}, ${ctx.now})`);
        await repo.rescore(tx, run);
        await audit(tx, ctx, {
          action: 'assess.correct',
          entityType: 'assess_run',
          entityId: runId,
          orgId: scheme.owner_org_id,
          before: { [body.item]: before },
          after: { [body.item]: body.value, reason: body.reason },
        });
      });
      return this.explain(ctx, runId, body.orgId);
    },

    async explain(ctx: Ctx, runId: number, orgId: number) {
      requirePermission(ctx.actor, 'assess:read');
      const run = await repo.findRun(db, runId);
      const res = (
        await db.query<repo.ResultRow>(sql`SELECT r.* FROM assess_results r WHERE r.run_id = ${runId} AND r.org_id = ${orgId}
        AND ${scopeWhere(ctx.actor, { orgId: sql.raw('r.org_id'), path: sql.raw('r.org_path') })}`)
      )[0];
      if (!res) throw notFound('考核结果');
      return explainUnit(db, run, res);
    },
  };
}
