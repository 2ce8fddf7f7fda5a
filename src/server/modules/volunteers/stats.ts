import { ACTIVITY_KINDS } from '../../../shared/volunteers/rules.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import * as repo from './repo.js';

/**
 * The organization tree's figures for one organization: per child organization (and the
 * organization itself) the activities organized in its subtree, the volunteer hours recorded
 * there, the volunteers who have them and the hours per volunteer. Hours come from
 * vol_org_person (kept by a trigger on the ledger), grouped by the child's id read from the
 * materialized path, so the city is one pass over its organizations' rows.
 */
export async function treeStats(q: Queryable, org: { id: number; path: string; depth: number }) {
  const pos = org.depth + 3;
  const hours = await q.query<{ child: string; hours: number; volunteers: number }>(sql`SELECT
      split_part(o.path, '/', ${pos}::int) AS child, sum(v.hours)::float8 AS hours, count(DISTINCT v.person_id)::int AS volunteers
    FROM vol_org_person v JOIN orgs o ON o.id = v.org_id
    WHERE o.path LIKE ${`${org.path}%`} GROUP BY 1`);
  const acts = await q.query<{
    child: string;
    n: number;
  }>(sql`SELECT split_part(o.path, '/', ${pos}::int) AS child, count(*)::int AS n
    FROM activities a JOIN orgs o ON o.id = a.org_id
    WHERE o.path LIKE ${`${org.path}%`} AND a.status <> 'cancelled' GROUP BY 1`);
  const kids = await q.query<{ id: number; name: string }>(
    sql`SELECT id, name FROM orgs WHERE id = ${org.id} OR parent_id = ${org.id} ORDER BY (id = ${org.id}) DESC, sort, id`,
  );
  const key = (id: number) => (id === org.id ? '' : String(id));
  const h = new Map(hours.map((r) => [r.child, r]));
  const a = new Map(acts.map((r) => [r.child, r.n]));
  return kids.map((k) => {
    const r = h.get(key(k.id));
    const hrs = Math.round(Number(r?.hours ?? 0) * 100) / 100;
    const vols = r?.volunteers ?? 0;
    return {
      orgId: k.id,
      orgName: k.id === org.id ? `${k.name}（本级）` : k.name,
      activities: a.get(key(k.id)) ?? 0,
      hours: hrs,
      volunteers: vols,
      hoursPerVolunteer: vols ? Math.round((hrs / vols) * 100) / 100 : 0,
    };
  });
}

export function createStatsService(deps: Deps) {
  const { db } = deps;
  return {
    async tree(ctx: Ctx, orgId?: number) {
      if (!ctx.actor.permissions.has('activity:read')) throw forbidden();
      const id = orgId ?? (ctx.actor.scope.all ? undefined : ctx.actor.orgId);
      const rows = id
        ? await db.query<{ id: number; path: string; depth: number }>(
            sql`SELECT id, path, depth FROM orgs WHERE id = ${id}`,
          )
        : await db.query<{ id: number; path: string; depth: number }>(
            sql`SELECT id, path, depth FROM orgs WHERE parent_id IS NULL ORDER BY id LIMIT 1`,
          );
      if (!rows[0]) throw notFound('组织');
      await assertAccess(db, ctx.actor, 'activity:read', 'org', [rows[0].id]);
      return { items: await treeStats(db, rows[0]) };
    },

    /** Participation of one activity: places, sign-ups by status, attendance, no-shows, hours. */
    async activity(ctx: Ctx, activityId: number) {
      const rows = await db.query<{ ok: boolean }>(
        sql`SELECT true AS ok FROM activities a WHERE a.id = ${activityId} AND ${repo.activityScope(ctx.actor)}`,
      );
      if (!rows[0]) throw notFound('活动');
      if (!ctx.actor.permissions.has('activity:read')) throw forbidden();
      const s = await db.query<{
        status: string;
        n: number;
        signed_in: number;
        no_show: number;
        far: number;
      }>(sql`SELECT status,
          count(*)::int AS n, count(*) FILTER (WHERE signed_in_at IS NOT NULL)::int AS signed_in,
          count(*) FILTER (WHERE no_show)::int AS no_show, count(*) FILTER (WHERE far_flag)::int AS far
        FROM activity_signups WHERE activity_id = ${activityId} GROUP BY status`);
      const hrs = await db.query<{ h: number | null; p: number }>(sql`SELECT
          sum(CASE WHEN kind = 'revoked' THEN -hours ELSE hours END)::float8 AS h, count(DISTINCT person_id)::int AS p
        FROM vol_hours WHERE activity_id = ${activityId}`);
      const by = Object.fromEntries(s.map((r) => [r.status, r.n]));
      return {
        byStatus: by,
        signedIn: s.reduce((n, r) => n + r.signed_in, 0),
        noShow: s.reduce((n, r) => n + r.no_show, 0),
        farFlagged: s.reduce((n, r) => n + r.far, 0),
        hours: Math.round(Number(hrs[0]?.h ?? 0) * 100) / 100,
        volunteersWithHours: hrs[0]?.p ?? 0,
      };
    },

    async rules(ctx: Ctx) {
      if (!ctx.actor.permissions.has('activity:read')) throw forbidden();
      const rows = await db.query<{
        id: number;
        region_prefix: string;
        valid_from: string;
        min_share: number;
        max_daily_hours: number;
        excluded_kinds: string[];
        travel_excluded: boolean;
        star_thresholds: number[];
        note: string | null;
      }>(sql`SELECT id, region_prefix, valid_from::text AS valid_from, min_share::float8 AS min_share,
          max_daily_hours::float8 AS max_daily_hours, excluded_kinds, travel_excluded, star_thresholds::float8[] AS star_thresholds, note
        FROM vol_rules ORDER BY region_prefix, valid_from DESC`);
      return {
        items: rows.map((r) => ({
          id: r.id,
          regionPrefix: r.region_prefix,
          validFrom: r.valid_from,
          minShare: Number(r.min_share),
          maxDailyHours: Number(r.max_daily_hours),
          excludedKinds: r.excluded_kinds,
          travelExcluded: r.travel_excluded,
          starThresholds: r.star_thresholds.map(Number),
          note: r.note,
        })),
      };
    },

    /** A new dated rule (rules are never edited: a later valid_from supersedes). */
    async addRule(
      ctx: Ctx,
      input: {
        regionPrefix: string;
        validFrom: string;
        minShare: number;
        maxDailyHours: number;
        excludedKinds: string[];
        travelExcluded: boolean;
        starThresholds: number[];
        note?: string;
      },
    ) {
      if (!ctx.actor.permissions.has('volunteer:review')) throw forbidden();
      const t = input.starThresholds;
      if (t.some((x, i) => i > 0 && x <= t[i - 1]!))
        throw invalid('星级时长门槛须逐级递增', { field: 'starThresholds' });
      return db.tx(async (tx) => {
        const rows = await tx.query<{
          id: number;
        }>(sql`INSERT INTO vol_rules (region_prefix, valid_from, min_share, max_daily_hours,
            excluded_kinds, travel_excluded, star_thresholds, note, created_by, created_at)
          VALUES (${input.regionPrefix}, ${input.validFrom}, ${input.minShare}, ${input.maxDailyHours}, ${input.excludedKinds}::text[],
            ${input.travelExcluded}, ${input.starThresholds}::numeric[], ${input.note ?? null}, ${ctx.actor.userId}, ${ctx.now}) RETURNING id`);
        await audit(tx, ctx, {
          action: 'volunteer.rule',
          entityType: 'vol_rule',
          entityId: rows[0]!.id,
          after: input,
        });
        return { id: rows[0]!.id };
      });
    },
  };
}

/** The code's prefix that its subregions share (GB/T 2260 + township and village digits). */
export function regionPrefix(code: string): string {
  for (const len of [2, 4, 6, 9]) if (/^0+$/.test(code.slice(len))) return code.slice(0, len);
  return code;
}

/** The public list of recruiting activities (stable contract), optionally within a region. */
export async function publicActivities(q: Queryable, now: Date, regionCode?: string) {
  const prefix = regionCode ? regionPrefix(regionCode) : '';
  const rows = await q.query<{
    id: number;
    title: string;
    kind: string;
    org_name: string;
    region_code: string;
    starts_at: Date;
    ends_at: Date;
    capacity: number;
    signed_up: number;
  }>(sql`SELECT a.id, a.title, a.kind, o.name AS org_name, a.region_code, a.starts_at, a.ends_at,
      (SELECT sum(capacity)::int FROM activity_shifts s WHERE s.activity_id = a.id) AS capacity,
      (SELECT count(*)::int FROM activity_signups g WHERE g.activity_id = a.id AND g.status IN ('approved', 'pending')) AS signed_up
    FROM activities a JOIN orgs o ON o.id = a.org_id
    WHERE a.status = 'published' AND a.region_code LIKE ${`${prefix}%`}
      AND a.recruit_from <= ${now} AND a.recruit_until >= ${now}
    ORDER BY a.starts_at, a.id LIMIT 200`);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    kind: ACTIVITY_KINDS[r.kind as keyof typeof ACTIVITY_KINDS] ?? r.kind,
    orgName: r.org_name,
    regionCode: r.region_code,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    capacity: r.capacity ?? 0,
    signedUp: r.signed_up ?? 0,
  }));
}
