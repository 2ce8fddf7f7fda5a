import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { VolunteerHours } from '../../../shared/contracts/volunteers.js';
import { HOURS_KINDS, type HoursKind, type HoursRule, starsOf } from '../../../shared/volunteers/rules.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import { conflict, notFound } from '../../platform/errors.js';

/**
 * The hours ledger: entries are appended, never changed (a trigger refuses UPDATE and DELETE).
 * A revocation is an entry of its own naming the entry it takes back; a correction is a
 * revocation plus the replacement entry (corrects_id).
 */
export interface NewEntry {
  personId: number;
  orgId: number;
  kind: Exclude<HoursKind, 'revoked'>;
  hours: number;
  servedOn: string;
  activityId?: number | null;
  signupId?: number | null;
  reason?: string | null;
  source?: string | null;
  correctsId?: number | null;
}

export async function appendEntry(tx: Queryable, ctx: Ctx, e: NewEntry): Promise<number> {
  const rows = await tx.query<{
    id: number;
  }>(sql`INSERT INTO vol_hours (person_id, org_id, kind, hours, served_on,
      activity_id, signup_id, reason, source, corrects_id, created_by, created_at)
    VALUES (${e.personId}, ${e.orgId}, ${e.kind}, ${e.hours}, ${e.servedOn}, ${e.activityId ?? null},
      ${e.signupId ?? null}, ${e.reason ?? null}, ${e.source ?? null}, ${e.correctsId ?? null},
      ${ctx.actor.userId || null}, ${ctx.now}) RETURNING id`);
  const id = rows[0]!.id;
  await audit(tx, ctx, {
    action: `volunteer.hours.${e.kind}`,
    entityType: 'volunteer_hours',
    entityId: id,
    orgId: e.orgId,
    after: {
      personId: e.personId,
      hours: e.hours,
      servedOn: e.servedOn,
      activityId: e.activityId ?? null,
      reason: e.reason ?? null,
      source: e.source ?? null,
      correctsId: e.correctsId ?? null,
    },
  });
  return id;
}

export interface EntryRow {
  id: number;
  person_id: number;
  org_id: number;
  kind: HoursKind;
  hours: number;
  served_on: string;
  activity_id: number | null;
  signup_id: number | null;
  revoked: boolean;
}

export async function getEntry(q: Queryable, id: number, lock = false): Promise<EntryRow | undefined> {
  const rows =
    await q.query<EntryRow>(sql`SELECT h.id, h.person_id, h.org_id, h.kind, h.hours::float8 AS hours,
      h.served_on::text AS served_on, h.activity_id, h.signup_id,
      EXISTS (SELECT 1 FROM vol_hours r WHERE r.revokes_id = h.id) AS revoked
    FROM vol_hours h WHERE h.id = ${id} ${sql.raw(lock ? 'FOR UPDATE' : '')}`);
  return rows[0];
}

/** Appends the revocation of an entry (once: a second revocation is a conflict). */
export async function revokeEntry(tx: Queryable, ctx: Ctx, entryId: number, reason: string): Promise<number> {
  const e = await getEntry(tx, entryId, true);
  if (!e) throw notFound('时长记录');
  if (e.kind === 'revoked') throw conflict('撤销记录不能再撤销');
  if (e.revoked) throw conflict('该记录已撤销', { reason: 'revoked' });
  const rows = await tx.query<{
    id: number;
  }>(sql`INSERT INTO vol_hours (person_id, org_id, kind, hours, served_on,
      activity_id, signup_id, reason, revokes_id, created_by, created_at)
    VALUES (${e.person_id}, ${e.org_id}, 'revoked', ${e.hours}, ${e.served_on}, ${e.activity_id}, NULL, ${reason},
      ${e.id}, ${ctx.actor.userId || null}, ${ctx.now})
    ON CONFLICT DO NOTHING RETURNING id`);
  if (!rows[0]) throw conflict('该记录已撤销', { reason: 'revoked' });
  await audit(tx, ctx, {
    action: 'volunteer.hours.revoked',
    entityType: 'volunteer_hours',
    entityId: rows[0].id,
    orgId: e.org_id,
    before: { entryId: e.id, kind: e.kind, hours: e.hours },
    after: { reason },
  });
  return rows[0].id;
}

/** The rule of the platform valid on a day (stars), or of a region (hours of an activity). */
export async function ruleFor(q: Queryable, regionCode: string, day: string): Promise<HoursRule> {
  const rows = await q.query<{
    min_share: number;
    max_daily_hours: number;
    excluded_kinds: string[];
    travel_excluded: boolean;
    star_thresholds: number[];
  }>(sql`SELECT min_share::float8 AS min_share, max_daily_hours::float8 AS max_daily_hours, excluded_kinds,
      travel_excluded, star_thresholds::float8[] AS star_thresholds
    FROM vol_rules WHERE ${regionCode} LIKE region_prefix || '%' AND valid_from <= ${day}::date
    ORDER BY length(region_prefix) DESC, valid_from DESC LIMIT 1`);
  const r = rows[0];
  if (!r)
    return {
      minShare: 0.6,
      maxDailyHours: 8,
      excludedKinds: [],
      travelExcluded: true,
      starThresholds: [100, 300, 600, 1000, 1500],
    };
  return {
    minShare: Number(r.min_share),
    maxDailyHours: Number(r.max_daily_hours),
    excludedKinds: r.excluded_kinds,
    travelExcluded: r.travel_excluded,
    starThresholds: r.star_thresholds.map(Number),
  };
}

/** Whether a 5★ award stands for the person: awarded, or its 公示 ended without objection. */
export async function fiveStarAwarded(q: Queryable, personId: number, now: Date): Promise<boolean> {
  const rows = await q.query<{ ok: boolean }>(sql`SELECT EXISTS (SELECT 1 FROM vol_five_star
    WHERE person_id = ${personId} AND (status = 'awarded' OR (status = 'publicizing' AND publicize_until <= ${now}))) AS ok`);
  return rows[0]?.ok ?? false;
}

/**
 * A person's totals and stars in one statement (one round trip): an index-only scan of the
 * person's entries (the index holds kind and hours), the platform's star thresholds valid
 * today, and whether a 5★ award stands.
 */
export async function hoursOf(q: Queryable, personId: number, now: Date): Promise<VolunteerHours> {
  const rows = await q.query<{
    sums: Record<string, number> | null;
    thresholds: number[] | null;
    award: boolean;
  }>(sql`SELECT
      (SELECT json_object_agg(kind, h) FROM (SELECT kind, sum(hours)::float8 AS h FROM vol_hours
        WHERE person_id = ${personId} GROUP BY kind) k) AS sums,
      (SELECT star_thresholds::float8[] FROM vol_rules WHERE region_prefix = '' AND valid_from <= ${shanghaiYmd(now)}::date
        ORDER BY valid_from DESC LIMIT 1) AS thresholds,
      EXISTS (SELECT 1 FROM vol_five_star WHERE person_id = ${personId}
        AND (status = 'awarded' OR (status = 'publicizing' AND publicize_until <= ${now}))) AS award`);
  const r = rows[0]!;
  const by = { credited: 0, backfilled: 0, imported: 0, revoked: 0 };
  for (const [k, h] of Object.entries(r.sums ?? {}))
    if (k in by) by[k as HoursKind] = Math.round(Number(h) * 100) / 100;
  const total = Math.round((by.credited + by.backfilled + by.imported - by.revoked) * 100) / 100;
  const thresholds = (r.thresholds ?? [100, 300, 600, 1000, 1500]).map(Number);
  return { total, ...by, stars: starsOf(total, thresholds, r.award) };
}

/**
 * Hours already counted for the person on a day under the daily cap: credited and back-filled
 * entries of that day, net of their revocations (imported records are not counted).
 */
export async function hoursOnDay(q: Queryable, personId: number, day: string): Promise<number> {
  const rows = await q.query<{ h: number | null }>(sql`SELECT sum(h.hours
      - COALESCE((SELECT sum(r.hours) FROM vol_hours r WHERE r.revokes_id = h.id), 0))::float8 AS h
    FROM vol_hours h WHERE h.person_id = ${personId} AND h.served_on = ${day}::date
      AND h.kind IN ('credited', 'backfilled')`);
  return Number(rows[0]?.h ?? 0);
}

export async function ledgerOf(q: Queryable, personId: number, limit = 500) {
  const rows = await q.query<{
    id: number;
    kind: HoursKind;
    hours: number;
    served_on: string;
    org_name: string;
    activity_id: number | null;
    activity_title: string | null;
    reason: string | null;
    source: string | null;
    revokes_id: number | null;
    corrects_id: number | null;
    revoked: boolean;
    created_at: Date;
  }>(sql`SELECT h.id, h.kind, h.hours::float8 AS hours, h.served_on::text AS served_on, o.name AS org_name,
      h.activity_id, a.title AS activity_title, h.reason, h.source, h.revokes_id, h.corrects_id,
      EXISTS (SELECT 1 FROM vol_hours r WHERE r.revokes_id = h.id) AS revoked, h.created_at
    FROM vol_hours h JOIN orgs o ON o.id = h.org_id LEFT JOIN activities a ON a.id = h.activity_id
    WHERE h.person_id = ${personId} ORDER BY h.id DESC LIMIT ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    kindLabel: HOURS_KINDS[r.kind],
    hours: Number(r.hours),
    servedOn: r.served_on,
    orgName: r.org_name,
    activityId: r.activity_id,
    activityTitle: r.activity_title,
    reason: r.reason,
    source: r.source,
    revokesId: r.revokes_id,
    correctsId: r.corrects_id,
    revoked: r.revoked,
    createdAt: r.created_at.toISOString(),
  }));
}
