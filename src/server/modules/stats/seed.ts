/**
 * Demo statistics: the three forms; last year's annual forms filled and approved in the first
 * county (one township's report returned once, then corrected and approved); the last months'
 * 维权服务月报 of that county's unions pre-filled from the appeals (drafts).
 */
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { FormInput } from '../../../shared/contracts/stats.js';
import { cellKeys, type Values } from '../../../shared/stats/form.js';
import { periodOfDate, periodOrThrow, shiftPeriod, windowOf } from '../../../shared/stats/period.js';
import { type Actor, type Ctx, SYSTEM_ACTOR } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Db, type Queryable, sql } from '../../platform/db/index.js';
import { insertForm } from './forms.js';
import { computePrefill } from './prefill.js';
import { addEvent, type OrgRow, writeCellRows } from './repo.js';
import { APPEALS_MONTHLY, LEAGUE_ANNUAL, UNION_ANNUAL } from './seedForms.js';

function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

async function fill(
  q: Queryable,
  f: { id: number; input: FormInput },
  org: OrgRow,
  periodKey: string,
  values: Values,
  steps: {
    status: 'draft' | 'submitted' | 'approved';
    returned?: { cell: string; reason: string; before: Values };
    at: Date;
    filler: Actor;
    reviewer: Actor;
  },
) {
  const period = periodOrThrow(periodKey, f.input.periodType);
  const w = windowOf(period, f.input.window);
  const onTime = shanghaiYmd(steps.at) <= w.onTimeUntil;
  const r = await q.query<{
    id: number;
  }>(sql`INSERT INTO stat_reports (form_id, form_version, org_id, org_path, period, status, "values",
      computed, submitted_at, approved_at, on_time, return_count, version, created_at, updated_at)
    VALUES (${f.id}, 1, ${org.id}, ${org.path}, ${period.key}, ${steps.status}, ${JSON.stringify(values)}::jsonb, '{}'::jsonb,
      ${steps.status === 'draft' ? null : steps.at}, ${steps.status === 'approved' ? steps.at : null},
      ${steps.status === 'draft' ? null : onTime}, ${steps.returned ? 1 : 0}, 1, ${steps.at}, ${steps.at}) RETURNING id`);
  const id = r[0]!.id;
  await writeCellRows(q, { id, form_id: f.id, period: period.key }, values);
  let v = 1;
  const ev = (
    action: 'save' | 'submit' | 'approve' | 'return',
    status: string,
    actor: Actor,
    vals?: Values,
    extra: { comment?: string; cellReasons?: Record<string, string> } = {},
  ) =>
    addEvent(q, { reportId: id, version: v++, action, status, actor, now: steps.at, values: vals, ...extra });
  if (steps.returned) {
    await ev('save', 'draft', steps.filler, steps.returned.before);
    await ev('submit', 'submitted', steps.filler, steps.returned.before);
    await ev('return', 'returned', steps.reviewer, undefined, {
      comment: '请核对',
      cellReasons: { [steps.returned.cell]: steps.returned.reason },
    });
  }
  await ev('save', steps.status === 'draft' ? 'draft' : 'draft', steps.filler, values);
  if (steps.status !== 'draft') await ev('submit', 'submitted', steps.filler, values);
  if (steps.status === 'approved') await ev('approve', 'approved', steps.reviewer);
  await q.query(sql`UPDATE stat_reports SET version = ${v - 1} WHERE id = ${id}`);
}

export async function seedDemoStats(db: Db, now: Date): Promise<{ forms: number; reports: number }> {
  const ctx: Ctx = { actor: SYSTEM_ACTOR, requestId: 'seed', ip: null, now };
  const root = (
    await db.query<{ id: number }>(sql`SELECT id FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1`)
  )[0];
  if (!root) return { forms: 0, reports: 0 };
  const users = await db.query<{ id: number; username: string; display_name: string; org_id: number }>(
    sql`SELECT id, username, display_name, org_id FROM users WHERE username IN ('county1.union', 'town1.union')`,
  );
  const county = users.find((u) => u.username === 'county1.union');
  let reports = 0;
  await db.tx(async (tx) => {
    const forms: { id: number; input: FormInput }[] = [];
    for (const input of [UNION_ANNUAL, LEAGUE_ANNUAL, APPEALS_MONTHLY])
      forms.push({ id: await insertForm(tx, ctx, input, root.id), input });
    if (!county) return;
    const [union, league, monthly] = forms as [(typeof forms)[0], (typeof forms)[0], (typeof forms)[0]];
    const countyOrg = (
      await tx.query<OrgRow>(
        sql`SELECT id, name, path, type, level, parent_id, depth FROM orgs WHERE id = ${county.org_id}`,
      )
    )[0]!;
    const region = (
      await tx.query<{ region_code: string }>(sql`SELECT region_code FROM orgs WHERE id = ${countyOrg.id}`)
    )[0]!.region_code;
    const leagueCounty = (
      await tx.query<OrgRow>(sql`SELECT id, name, path, type, level, parent_id, depth FROM orgs
      WHERE type = 'youth_league' AND level = 'county' AND region_code = ${region}`)
    )[0];
    const towns = await tx.query<OrgRow>(
      sql`SELECT id, name, path, type, level, parent_id, depth FROM orgs WHERE parent_id = ${countyOrg.id} AND level = 'township' ORDER BY id`,
    );
    const leagueTowns = leagueCounty
      ? await tx.query<OrgRow>(
          sql`SELECT id, name, path, type, level, parent_id, depth FROM orgs WHERE parent_id = ${leagueCounty.id} AND level = 'township' ORDER BY id`,
        )
      : [];
    const reviewer: Actor = {
      ...SYSTEM_ACTOR,
      userId: county.id,
      displayName: county.display_name,
      orgId: countyOrg.id,
      orgPath: countyOrg.path,
      via: 'session',
    };
    const filler = (o: OrgRow): Actor => ({
      ...SYSTEM_ACTOR,
      userId: 0,
      displayName: `${o.name}填报员`,
      orgId: o.id,
      orgPath: o.path,
      via: 'session',
    });
    const lastYear = periodOrThrow(String(Number(shanghaiYmd(now).slice(0, 4)) - 1), 'year');
    const at = new Date(`${windowOf(lastYear, UNION_ANNUAL.window).due}T02:00:00Z`);
    const r = rng(2025);
    const int = (a: number, b: number) => a + Math.floor(r() * (b - a + 1));
    // annual union form: members pre-filled from the registry, organizations from the counts
    for (const [i, o] of [...towns, countyOrg].entries()) {
      const pre = await computePrefill(tx, union.input.definition, o, lastYear);
      const b1 = int(8, 40);
      const m = (pre['B4.M'] as number | null) ?? int(200, 900);
      const fm = (pre['B4.F'] as number | null) ?? int(150, 800);
      const values: Values = {
        B1: b1,
        B2: int(0, 3),
        B3: int(1, b1),
        'B4.M': m,
        'B4.F': fm,
        'B5.M': Math.floor(m * 0.3),
        'B5.F': Math.floor(fm * 0.2),
        B6: (pre.B6 as number | null) ?? Math.floor((m + fm) * 0.5),
        B7: null,
      };
      const returned =
        i === 0
          ? {
              cell: 'B5.M',
              reason: '农民工会员（男）多于会员人数，请核实',
              before: { ...values, 'B5.M': m + 10 },
            }
          : undefined;
      await fill(tx, union, o, lastYear.key, values, {
        status: 'approved',
        returned,
        at,
        filler: filler(o),
        reviewer,
      });
      reports++;
    }
    for (const o of [...leagueTowns, ...(leagueCounty ? [leagueCounty] : [])]) {
      const values: Values = {
        'C1.A1': int(10, 80),
        'C1.A2': int(50, 300),
        'C1.A3': int(5, 40),
        'C2.E': int(1, 10),
        'C2.V': int(2, 20),
        'C2.C': int(1, 8),
        'C2.S': int(1, 4),
        C3: int(1, 5),
      };
      await fill(tx, league, o, lastYear.key, values, {
        status: 'approved',
        at,
        filler: filler(o),
        reviewer,
      });
      reports++;
    }
    // the last two months' 维权服务月报, pre-filled from the appeals and left as drafts
    const thisMonth = periodOfDate('month', shanghaiYmd(now));
    for (const back of [1, 2]) {
      const p = shiftPeriod(thisMonth, -back);
      for (const o of [countyOrg, ...towns]) {
        const pre = await computePrefill(tx, monthly.input.definition, o, p);
        const values: Values = {};
        for (const k of cellKeys(monthly.input.definition))
          if (k.key in pre) values[k.key] = pre[k.key] ?? null;
        await fill(tx, monthly, o, p.key, values, { status: 'draft', at: now, filler: filler(o), reviewer });
        await tx.query(
          sql`UPDATE stat_reports SET computed = ${JSON.stringify(pre)}::jsonb WHERE form_id = ${monthly.id} AND period = ${p.key} AND org_id = ${o.id}`,
        );
        reports++;
      }
    }
    await audit(tx, ctx, {
      action: 'stats.seed',
      entityType: 'system',
      entityId: null,
      after: { forms: forms.length, reports },
    });
  });
  return { forms: 3, reports };
}
