import { randomInt } from 'node:crypto';
import type { ActivityCreate, ActivityView } from '../../../shared/contracts/volunteers.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { conflict, forbidden, invalid, notFound, staleVersion } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import * as repo from './repo.js';

const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export { MAX_PHOTO_BYTES };

/** Checks an activity's times: recruitment before the end, shifts in order, ages in order. */
function checkTimes(input: ActivityCreate) {
  const t = (s: string) => new Date(s).getTime();
  if (t(input.recruitUntil) <= t(input.recruitFrom))
    throw invalid('招募截止时间应晚于招募开始时间', { field: 'recruitUntil' });
  for (const [i, s] of input.shifts.entries())
    if (t(s.endsAt) <= t(s.startsAt))
      throw invalid(`第${i + 1}班次的结束时间应晚于开始时间`, { field: 'shifts' });
  const lastStart = Math.max(...input.shifts.map((s) => t(s.startsAt)));
  if (t(input.recruitUntil) > lastStart)
    throw invalid('招募截止时间不能晚于最后一个班次的开始时间', { field: 'recruitUntil' });
  if (input.minAge != null && input.maxAge != null && input.minAge > input.maxAge)
    throw invalid('最小年龄不能大于最大年龄', { field: 'minAge' });
  if ((input.lat == null) !== (input.lng == null)) throw invalid('经纬度须同时填写', { field: 'lat' });
  if (input.geofenceM != null && input.lat == null)
    throw invalid('启用签到范围须填写活动地点的经纬度', { field: 'geofenceM' });
}

export function createActivityService(deps: Deps) {
  const { db } = deps;

  async function view(q: Queryable, ctx: Ctx, id: number): Promise<ActivityView> {
    const a = await repo.getActivity(q, id);
    if (!a) throw notFound('活动');
    const shifts = await repo.shiftsOf(q, [id]);
    return repo.presentActivity(a, shifts.get(id) ?? [], ctx.now);
  }

  /** 404 outside scope, 403 without the permission (co-organizers included in scope). */
  async function assertActivity(
    q: Queryable,
    ctx: Ctx,
    permission: 'activity:read' | 'activity:write',
    id: number,
  ) {
    const rows = await q.query<{ ok: boolean }>(
      sql`SELECT true AS ok FROM activities a WHERE a.id = ${id} AND ${repo.activityScope(ctx.actor)}`,
    );
    if (!rows[0]) throw notFound('活动');
    if (!ctx.actor.permissions.has(permission)) throw forbidden();
  }

  return {
    view,
    assertActivity,

    async create(ctx: Ctx, input: ActivityCreate): Promise<ActivityView> {
      checkTimes(input);
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'activity:write', 'org', [input.orgId]);
        const co = [...new Set(input.coOrgIds.filter((x) => x !== input.orgId))];
        if (co.length > 0) {
          const n = await tx.query<{ n: number }>(
            sql`SELECT count(*)::int AS n FROM orgs WHERE id = ANY(${co}::bigint[])`,
          );
          if (n[0]!.n !== co.length) throw invalid('协办组织不存在', { field: 'coOrgIds' });
        }
        if ((await tx.query(sql`SELECT 1 FROM regions WHERE code = ${input.regionCode}`)).length === 0)
          throw invalid('行政区划代码不存在', { field: 'regionCode' });
        const starts = input.shifts.map((s) => new Date(s.startsAt).getTime());
        const ends = input.shifts.map((s) => new Date(s.endsAt).getTime());
        const rows = await tx.query<{
          id: number;
        }>(sql`INSERT INTO activities (org_id, co_org_ids, title, description, kind,
            region_code, address, lat, lng, geofence_m, min_age, max_age, skills, groups, recruit_from, recruit_until,
            records_hours, hours_per_shift, needs_approval, starts_at, ends_at, created_by, created_at, updated_at)
          VALUES (${input.orgId}, ${co}::bigint[], ${input.title}, ${input.description}, ${input.kind}, ${input.regionCode},
            ${input.address}, ${input.lat}, ${input.lng}, ${input.geofenceM}, ${input.minAge}, ${input.maxAge},
            ${input.skills}::text[], ${input.groups}::text[], ${new Date(input.recruitFrom)}, ${new Date(input.recruitUntil)},
            ${input.recordsHours}, ${input.hoursPerShift}, ${input.needsApproval}, ${new Date(Math.min(...starts))},
            ${new Date(Math.max(...ends))}, ${ctx.actor.userId}, ${ctx.now}, ${ctx.now}) RETURNING id`);
        const id = rows[0]!.id;
        const sorted = [...input.shifts].sort(
          (a, b) => new Date(a.startsAt).getTime() - new Date(b.startsAt).getTime(),
        );
        for (const [i, s] of sorted.entries())
          await tx.query(sql`INSERT INTO activity_shifts (activity_id, seq, starts_at, ends_at, capacity, code6)
            VALUES (${id}, ${i + 1}, ${new Date(s.startsAt)}, ${new Date(s.endsAt)}, ${s.capacity},
              ${String(randomInt(0, 1_000_000)).padStart(6, '0')})`);
        await audit(tx, ctx, {
          action: 'activity.create',
          entityType: 'activity',
          entityId: id,
          orgId: input.orgId,
          after: {
            title: input.title,
            kind: input.kind,
            shifts: sorted.length,
            regionCode: input.regionCode,
          },
        });
        return view(tx, ctx, id);
      });
    },

    async list(ctx: Ctx, f: { page: number; pageSize: number; orgId?: number; q?: string; phase?: string }) {
      if (!ctx.actor.permissions.has('activity:read')) throw forbidden();
      if (f.orgId) await assertAccess(db, ctx.actor, 'activity:read', 'org', [f.orgId]);
      const conds = [repo.activityScope(ctx.actor)];
      if (f.orgId)
        conds.push(sql`EXISTS (SELECT 1 FROM orgs fo JOIN orgs fa ON fa.path LIKE fo.path || '%'
          WHERE fo.id = ${f.orgId} AND fa.id = a.org_id)`);
      if (f.q) conds.push(sql`a.title ILIKE ${`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
      if (f.phase === 'open') conds.push(sql`a.status = 'published'`);
      if (f.phase === 'closed') conds.push(sql`a.status = 'closed'`);
      if (f.phase === 'cancelled') conds.push(sql`a.status = 'cancelled'`);
      const r = await repo.findActivities(db, sql.and(conds), f);
      const shifts = await repo.shiftsOf(
        db,
        r.items.map((a) => a.id),
      );
      return {
        items: r.items.map((a) => repo.presentActivity(a, shifts.get(a.id) ?? [], ctx.now)),
        total: r.total,
      };
    },

    async get(ctx: Ctx, id: number) {
      await assertActivity(db, ctx, 'activity:read', id);
      return view(db, ctx, id);
    },

    /** close (after the end, with a summary) or cancel (before it ends, with a reason). */
    async act(
      ctx: Ctx,
      id: number,
      action: 'close' | 'cancel',
      body: { version: number; summary?: string; reason?: string },
    ) {
      return db.tx(async (tx) => {
        await assertActivity(tx, ctx, 'activity:write', id);
        const a = (await repo.getActivity(tx, id, true))!;
        if (a.version !== body.version) throw staleVersion();
        if (a.status !== 'published')
          throw conflict(
            `活动已${a.status === 'closed' ? '结项' : '取消'}，不能再${action === 'close' ? '结项' : '取消'}`,
          );
        if (action === 'close') {
          if (ctx.now.getTime() < a.ends_at.getTime()) throw conflict('活动尚未结束，不能结项');
          if (!body.summary) throw invalid('结项须填写活动总结', { field: 'summary' });
          await tx.query(sql`UPDATE activities SET status = 'closed', summary = ${body.summary}, closed_at = ${ctx.now},
            version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`);
          // who never signed in counts as a no-show
          await tx.query(sql`UPDATE activity_signups SET no_show = true, version = version + 1, updated_at = ${ctx.now}
            WHERE activity_id = ${id} AND status = 'approved' AND signed_in_at IS NULL AND NOT no_show`);
        } else {
          if (ctx.now.getTime() > a.ends_at.getTime()) throw conflict('活动已结束，不能取消，请结项');
          if (!body.reason) throw invalid('取消活动须填写原因', { field: 'reason' });
          await tx.query(sql`UPDATE activities SET status = 'cancelled', summary = ${body.reason}, closed_at = ${ctx.now},
            version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`);
          const people = await tx.query<{
            person_id: number;
          }>(sql`SELECT DISTINCT person_id FROM activity_signups
            WHERE activity_id = ${id} AND status IN ('approved', 'pending', 'waitlisted')`);
          for (const p of people)
            await enqueue(tx, ctx, 'volunteer.sms', {
              kind: 'notice',
              personId: p.person_id,
              text: `您报名的活动「${a.title}」已取消：${body.reason}`,
            });
        }
        await audit(tx, ctx, {
          action: `activity.${action}`,
          entityType: 'activity',
          entityId: id,
          orgId: a.org_id,
          before: { status: a.status },
          after: {
            status: action === 'close' ? 'closed' : 'cancelled',
            summary: body.summary ?? body.reason,
          },
        });
        return view(tx, ctx, id);
      });
    },

    /** A photo of the activity (the platform's file store, by content hash). */
    async addPhoto(ctx: Ctx, id: number, bytes: Buffer) {
      if (bytes.length === 0) throw invalid('文件为空');
      const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
      const isPng = bytes
        .subarray(0, 8)
        .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      if (!isJpeg && !isPng) throw invalid('照片须为 JPEG 或 PNG 图片');
      await assertActivity(db, ctx, 'activity:write', id);
      const hash = await deps.files.put(bytes);
      return db.tx(async (tx) => {
        const a = (await repo.getActivity(tx, id, true))!;
        if (a.photos.length >= 30) throw conflict('每个活动最多30张照片');
        if (!a.photos.includes(hash))
          await tx.query(
            sql`UPDATE activities SET photos = array_append(photos, ${hash}), updated_at = ${ctx.now} WHERE id = ${id}`,
          );
        await audit(tx, ctx, {
          action: 'activity.photo',
          entityType: 'activity',
          entityId: id,
          orgId: a.org_id,
          after: { hash },
        });
        return view(tx, ctx, id);
      });
    },

    async photo(ctx: Ctx, id: number, hash: string) {
      await assertActivity(db, ctx, 'activity:read', id);
      const a = (await repo.getActivity(db, id))!;
      if (!a.photos.includes(hash)) throw notFound('照片');
      return deps.files.get(hash);
    },

    /** A message to the approved participants (SMS through the outbox), audited. */
    async message(ctx: Ctx, id: number, body: string) {
      return db.tx(async (tx) => {
        await assertActivity(tx, ctx, 'activity:write', id);
        const a = (await repo.getActivity(tx, id))!;
        const people = await tx.query<{
          person_id: number;
        }>(sql`SELECT DISTINCT person_id FROM activity_signups
          WHERE activity_id = ${id} AND status = 'approved'`);
        for (const p of people)
          await enqueue(tx, ctx, 'volunteer.sms', {
            kind: 'notice',
            personId: p.person_id,
            text: `「${a.title}」${body}`,
          });
        await audit(tx, ctx, {
          action: 'activity.message',
          entityType: 'activity',
          entityId: id,
          orgId: a.org_id,
          after: { body, recipients: people.length },
        });
        return { recipients: people.length };
      });
    },
  };
}
export type ActivityService = ReturnType<typeof createActivityService>;
