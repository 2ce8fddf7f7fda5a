import type { ActivityView, SignupView } from '../../../shared/contracts/volunteers.js';
import { ACTIVITY_KINDS, SIGNUP_STATUSES, type SignupStatus } from '../../../shared/volunteers/rules.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';

export interface ActivityRow {
  id: number;
  org_id: number;
  org_name: string;
  co_org_ids: number[];
  title: string;
  description: string;
  kind: string;
  region_code: string;
  address: string;
  lat: number | null;
  lng: number | null;
  geofence_m: number | null;
  min_age: number | null;
  max_age: number | null;
  skills: string[];
  groups: string[];
  recruit_from: Date;
  recruit_until: Date;
  records_hours: boolean;
  hours_per_shift: number | null;
  needs_approval: boolean;
  starts_at: Date;
  ends_at: Date;
  status: 'published' | 'closed' | 'cancelled';
  summary: string | null;
  photos: string[];
  created_by: number;
  version: number;
}

export interface ShiftRow {
  id: number;
  activity_id: number;
  seq: number;
  starts_at: Date;
  ends_at: Date;
  capacity: number;
  code6: string;
  signed_up: number;
  waitlisted: number;
  pending: number;
}

/** An activity is in scope by its organizing organization (co-organizers see it too). */
export const activityScope = (actor: Actor, alias = 'a'): Sql => {
  const own = scopeWhere(actor, { orgId: sql.raw(`${alias}.org_id`), owner: sql.raw(`${alias}.created_by`) });
  if (actor.scope.all) return own;
  const co = scopeWhere({ ...actor, scope: { ...actor.scope, self: false } }, { orgId: sql.raw('co.id') });
  return sql`(${own} OR EXISTS (SELECT 1 FROM unnest(${sql.raw(alias)}.co_org_ids) AS co(id) WHERE ${co}))`;
};

const ACTIVITY_SELECT = sql`SELECT a.id, a.org_id, o.name AS org_name, a.co_org_ids, a.title, a.description, a.kind,
  a.region_code, a.address, a.lat, a.lng, a.geofence_m, a.min_age, a.max_age, a.skills, a.groups, a.recruit_from,
  a.recruit_until, a.records_hours, a.hours_per_shift::float8 AS hours_per_shift, a.needs_approval, a.starts_at,
  a.ends_at, a.status, a.summary, a.photos, a.created_by, a.version
  FROM activities a JOIN orgs o ON o.id = a.org_id`;

export async function getActivity(q: Queryable, id: number, lock = false): Promise<ActivityRow | undefined> {
  const rows = await q.query<ActivityRow>(
    sql`${ACTIVITY_SELECT} WHERE a.id = ${id} ${sql.raw(lock ? 'FOR UPDATE OF a' : '')}`,
  );
  return rows[0];
}

export async function findActivities(
  q: Queryable,
  where: Sql,
  opts: { page: number; pageSize: number },
): Promise<{ items: ActivityRow[]; total: number }> {
  const items = await q.query<ActivityRow>(sql`${ACTIVITY_SELECT} WHERE ${where}
    ORDER BY a.starts_at DESC, a.id DESC LIMIT ${opts.pageSize} OFFSET ${(opts.page - 1) * opts.pageSize}`);
  const total = await q.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM activities a WHERE ${where}`);
  return { items, total: total[0]?.n ?? 0 };
}

/** Shifts of activities with their live counts (approved + pending take a place; waitlisted wait). */
export async function shiftsOf(
  q: Queryable,
  activityIds: readonly number[],
): Promise<Map<number, ShiftRow[]>> {
  const out = new Map<number, ShiftRow[]>();
  if (activityIds.length === 0) return out;
  const rows =
    await q.query<ShiftRow>(sql`SELECT s.id, s.activity_id, s.seq, s.starts_at, s.ends_at, s.capacity, s.code6,
      count(*) FILTER (WHERE g.status IN ('approved', 'pending'))::int AS signed_up,
      count(*) FILTER (WHERE g.status = 'waitlisted')::int AS waitlisted,
      count(*) FILTER (WHERE g.status = 'pending')::int AS pending
    FROM activity_shifts s LEFT JOIN activity_signups g ON g.shift_id = s.id
    WHERE s.activity_id = ANY(${[...activityIds]}::bigint[])
    GROUP BY s.id ORDER BY s.activity_id, s.seq`);
  for (const r of rows) {
    const list = out.get(r.activity_id) ?? [];
    list.push(r);
    out.set(r.activity_id, list);
  }
  return out;
}

export type Phase = ActivityView['phase'];
export function phaseOf(a: ActivityRow, now: Date): Phase {
  if (a.status === 'cancelled') return 'cancelled';
  if (a.status === 'closed') return 'closed';
  const t = now.getTime();
  if (t > a.ends_at.getTime()) return 'ended';
  if (t >= a.starts_at.getTime()) return 'ongoing';
  if (t < a.recruit_from.getTime()) return 'upcoming';
  if (t <= a.recruit_until.getTime()) return 'recruiting';
  return 'waiting';
}

export function presentShift(s: ShiftRow) {
  return {
    id: s.id,
    seq: s.seq,
    startsAt: s.starts_at.toISOString(),
    endsAt: s.ends_at.toISOString(),
    capacity: s.capacity,
    signedUp: s.signed_up,
    waitlisted: s.waitlisted,
  };
}

export function presentActivity(a: ActivityRow, shifts: ShiftRow[], now: Date): ActivityView {
  return {
    id: a.id,
    orgId: a.org_id,
    orgName: a.org_name,
    coOrgIds: a.co_org_ids.map(Number),
    title: a.title,
    description: a.description,
    kind: a.kind,
    kindLabel: ACTIVITY_KINDS[a.kind as keyof typeof ACTIVITY_KINDS] ?? a.kind,
    regionCode: a.region_code,
    address: a.address,
    lat: a.lat,
    lng: a.lng,
    geofenceM: a.geofence_m,
    minAge: a.min_age,
    maxAge: a.max_age,
    skills: a.skills,
    groups: a.groups,
    recruitFrom: a.recruit_from.toISOString(),
    recruitUntil: a.recruit_until.toISOString(),
    recordsHours: a.records_hours,
    hoursPerShift: a.hours_per_shift === null ? null : Number(a.hours_per_shift),
    needsApproval: a.needs_approval,
    startsAt: a.starts_at.toISOString(),
    endsAt: a.ends_at.toISOString(),
    status: a.status,
    phase: phaseOf(a, now),
    summary: a.summary,
    photos: a.photos,
    capacity: shifts.reduce((n, s) => n + s.capacity, 0),
    signedUp: shifts.reduce((n, s) => n + s.signed_up, 0),
    pending: shifts.reduce((n, s) => n + s.pending, 0),
    version: a.version,
    shifts: shifts.map(presentShift),
  };
}

export interface SignupRow {
  id: number;
  activity_id: number;
  shift_id: number;
  shift_seq: number;
  person_id: number;
  name: string;
  id_mask: string;
  phone_mask: string | null;
  status: SignupStatus;
  confirmed_at: Date | null;
  signed_in_at: Date | null;
  signed_out_at: Date | null;
  sign_in_via: string | null;
  far_flag: boolean;
  far_meters: number | null;
  no_show: boolean;
  reason: string | null;
  version: number;
  hours: number;
  created_at: Date;
}

/** Sign-ups with the person's masked identity (persons joined read-only, as the roster needs it). */
export const SIGNUP_SELECT = sql`SELECT g.id, g.activity_id, g.shift_id, s.seq AS shift_seq, g.person_id, p.name,
  p.id_mask, p.phone_mask, g.status, g.confirmed_at, g.signed_in_at, g.signed_out_at, g.sign_in_via, g.far_flag,
  g.far_meters, g.no_show, g.reason, g.version, g.created_at,
  COALESCE((SELECT sum(CASE WHEN h.kind = 'revoked' THEN -h.hours ELSE h.hours END) FROM vol_hours h
    WHERE h.signup_id = g.id OR h.revokes_id IN (SELECT x.id FROM vol_hours x WHERE x.signup_id = g.id)), 0)::float8 AS hours
  FROM activity_signups g JOIN activity_shifts s ON s.id = g.shift_id JOIN persons p ON p.id = g.person_id`;

export async function getSignup(q: Queryable, id: number, lock = false): Promise<SignupRow | undefined> {
  if (lock) await q.query(sql`SELECT id FROM activity_signups WHERE id = ${id} FOR UPDATE`);
  const rows = await q.query<SignupRow>(sql`${SIGNUP_SELECT} WHERE g.id = ${id}`);
  return rows[0];
}

export function presentSignup(r: SignupRow): SignupView {
  return {
    id: r.id,
    activityId: r.activity_id,
    shiftId: r.shift_id,
    shiftSeq: r.shift_seq,
    personId: r.person_id,
    name: r.name,
    idMask: r.id_mask,
    phoneMask: r.phone_mask,
    status: r.status,
    statusLabel: SIGNUP_STATUSES[r.status],
    confirmedAt: r.confirmed_at?.toISOString() ?? null,
    signedInAt: r.signed_in_at?.toISOString() ?? null,
    signedOutAt: r.signed_out_at?.toISOString() ?? null,
    signInVia: r.sign_in_via,
    farFlag: r.far_flag,
    farMeters: r.far_meters,
    noShow: r.no_show,
    hours: Number(r.hours),
    reason: r.reason,
    version: r.version,
  };
}

export async function getShift(q: Queryable, id: number, lock = false) {
  const rows = await q.query<{
    id: number;
    activity_id: number;
    seq: number;
    starts_at: Date;
    ends_at: Date;
    capacity: number;
    code6: string;
  }>(
    sql`SELECT id, activity_id, seq, starts_at, ends_at, capacity, code6 FROM activity_shifts WHERE id = ${id} ${sql.raw(lock ? 'FOR UPDATE' : '')}`,
  );
  return rows[0];
}
