import { timingSafeEqual } from 'node:crypto';
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { SignupView } from '../../../shared/contracts/volunteers.js';
import {
  creditFor,
  distanceMeters,
  QR_VALID_WINDOWS,
  QR_WINDOW_MS,
  shiftHours,
} from '../../../shared/volunteers/rules.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { conflict, invalid, notFound, staleVersion } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import type { Pii } from '../../platform/pii.js';
import type { ActivityService } from './activities.js';
import { appendEntry, hoursOnDay, ruleFor } from './ledger.js';
import * as repo from './repo.js';
import { personsOfPass, promoteWaitlist } from './signups.js';

/** Sign-in opens an hour before the shift and closes at its end. */
const EARLY_MS = 3_600_000;

// ---- the rotating QR code: `v1.<shiftId>.<minute window>.<keyed hash>` ----

const sigOf = (pii: Pii, shiftId: number, window: number) =>
  pii.hash(`volqr:${shiftId}:${window}`).slice(0, 22);

export function qrToken(pii: Pii, shiftId: number, now: Date): { token: string; expiresAt: Date } {
  const w = Math.floor(now.getTime() / QR_WINDOW_MS);
  return {
    token: `v1.${shiftId}.${w}.${sigOf(pii, shiftId, w)}`,
    expiresAt: new Date((w + QR_VALID_WINDOWS) * QR_WINDOW_MS),
  };
}

/** The shift a token names; refuses forged, expired and future tokens with clear messages. */
export function shiftOfToken(pii: Pii, token: string, now: Date): number {
  const m = /^v1\.(\d{1,15})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token.trim());
  if (!m) throw invalid('二维码无效，请扫描活动现场屏幕上的二维码', { reason: 'token' });
  const shiftId = Number(m[1]);
  const w = Number(m[2]);
  const good = Buffer.from(sigOf(pii, shiftId, w));
  const given = Buffer.from(m[3]!);
  if (good.length !== given.length || !timingSafeEqual(good, given))
    throw invalid('二维码无效，请扫描活动现场屏幕上的二维码', { reason: 'token' });
  const cur = Math.floor(now.getTime() / QR_WINDOW_MS);
  if (w > cur) throw invalid('二维码无效，请扫描活动现场屏幕上的二维码', { reason: 'token' });
  if (cur - w >= QR_VALID_WINDOWS)
    throw invalid('二维码已过期，请扫描现场屏幕上的最新二维码', { reason: 'expired' });
  return shiftId;
}

type SignupRow = repo.SignupRow;

async function doSignIn(
  tx: Queryable,
  ctx: Ctx,
  g: SignupRow,
  at: Date,
  via: 'qr' | 'code' | 'roster',
  far: { flag: boolean; meters: number | null },
) {
  if (g.status !== 'approved') throw conflict('报名尚未录用，不能签到', { reason: 'status' });
  if (g.signed_in_at) throw conflict('已签到，请勿重复签到', { reason: 'signed_in' });
  if (g.no_show) throw conflict('已记为缺席，如确已到场请联系组织者补录', { reason: 'no_show' });
  const s = (await repo.getShift(tx, g.shift_id))!;
  if (at.getTime() < s.starts_at.getTime() - EARLY_MS)
    throw conflict('尚未到签到时间（班次开始前1小时起可签到）', { reason: 'early' });
  if (at.getTime() > s.ends_at.getTime()) throw conflict('班次已结束，不能签到', { reason: 'late' });
  await tx.query(sql`UPDATE activity_signups SET signed_in_at = ${at}, sign_in_via = ${via},
    far_flag = far_flag OR ${far.flag}, far_meters = GREATEST(far_meters, ${far.meters}::int),
    version = version + 1, updated_at = ${ctx.now} WHERE id = ${g.id}`);
  const a = (await repo.getActivity(tx, g.activity_id))!;
  await audit(tx, ctx, {
    action: 'activity.sign_in',
    entityType: 'activity_signup',
    entityId: g.id,
    orgId: a.org_id,
    after: { at: at.toISOString(), via, farFlag: far.flag, farMeters: far.meters },
  });
}

/** Sign-out: credits the hours the rule allows (nothing when too short, excluded or capped). */
async function doSignOut(
  tx: Queryable,
  ctx: Ctx,
  g: SignupRow,
  at: Date,
  far: { flag: boolean; meters: number | null },
) {
  if (!g.signed_in_at) throw conflict('尚未签到，不能签退', { reason: 'not_signed_in' });
  if (g.signed_out_at) throw conflict('已签退，请勿重复签退', { reason: 'signed_out' });
  if (at.getTime() < g.signed_in_at.getTime()) throw invalid('签退时间不能早于签到时间', { field: 'at' });
  const s = (await repo.getShift(tx, g.shift_id))!;
  const a = (await repo.getActivity(tx, g.activity_id))!;
  await tx.query(sql`UPDATE activity_signups SET signed_out_at = ${at}, far_flag = far_flag OR ${far.flag},
    far_meters = GREATEST(far_meters, ${far.meters}::int), version = version + 1, updated_at = ${ctx.now} WHERE id = ${g.id}`);
  const day = shanghaiYmd(s.starts_at);
  const rule = await ruleFor(tx, a.region_code, day);
  const credit = creditFor(
    { startsAt: s.starts_at, endsAt: s.ends_at },
    g.signed_in_at,
    at,
    {
      kind: a.kind,
      recordsHours: a.records_hours,
      hoursPerShift: a.hours_per_shift === null ? null : Number(a.hours_per_shift),
    },
    rule,
    await hoursOnDay(tx, g.person_id, day),
  );
  let hours = 0;
  if (credit.ok) {
    hours = credit.hours;
    const exists = await tx.query(sql`SELECT 1 FROM vol_hours WHERE signup_id = ${g.id}`);
    if (exists.length === 0)
      await appendEntry(tx, ctx, {
        personId: g.person_id,
        orgId: a.org_id,
        kind: 'credited',
        hours,
        servedOn: day,
        activityId: a.id,
        signupId: g.id,
        reason: `签到 ${g.signed_in_at.toISOString()} 签退 ${at.toISOString()}`,
      });
  }
  await audit(tx, ctx, {
    action: 'activity.sign_out',
    entityType: 'activity_signup',
    entityId: g.id,
    orgId: a.org_id,
    after: { at: at.toISOString(), hours, outcome: credit.ok ? 'credited' : credit.reason },
  });
  const why = credit.ok
    ? `记录志愿服务时长 ${hours} 小时`
    : {
        not_recorded: '本活动不记录志愿服务时长',
        excluded_kind: '该类活动按规则不计入志愿服务时长',
        short: `服务时间不足班次时长的${Math.round(rule.minShare * 100)}%，不计时长`,
        daily_cap: `当日时长已达上限${rule.maxDailyHours}小时`,
      }[credit.reason];
  return { hours, message: why };
}

function farOf(
  a: repo.ActivityRow,
  pos: { lat?: number; lng?: number },
): { flag: boolean; meters: number | null } {
  if (a.geofence_m == null || a.lat == null || a.lng == null) return { flag: false, meters: null };
  if (pos.lat == null || pos.lng == null) return { flag: true, meters: null };
  const m = Math.round(distanceMeters({ lat: a.lat, lng: a.lng }, { lat: pos.lat, lng: pos.lng }));
  return { flag: m > a.geofence_m, meters: m };
}

export function createAttendanceService(deps: Deps, activities: ActivityService) {
  const { db } = deps;

  async function signupView(q: Queryable, id: number): Promise<SignupView> {
    return repo.presentSignup((await repo.getSignup(q, id))!);
  }

  return {
    async list(ctx: Ctx, activityId: number) {
      await activities.assertActivity(db, ctx, 'activity:read', activityId);
      const rows = await db.query<SignupRow>(
        sql`${repo.SIGNUP_SELECT} WHERE g.activity_id = ${activityId} ORDER BY s.seq, g.id`,
      );
      return { items: rows.map(repo.presentSignup), total: rows.length };
    },

    /** The organizer's screen: the current QR token and the 6-digit code of a shift. */
    async checkinCode(ctx: Ctx, shiftId: number) {
      const s = await repo.getShift(db, shiftId);
      if (!s) throw notFound('班次');
      await activities.assertActivity(db, ctx, 'activity:write', s.activity_id);
      const { token, expiresAt } = qrToken(deps.pii, shiftId, ctx.now);
      return {
        shiftId,
        token,
        code6: s.code6,
        url: `/volunteer/checkin?t=${encodeURIComponent(token)}`,
        expiresAt: expiresAt.toISOString(),
      };
    },

    /** The organizer's actions on one sign-up (roster sign-in/out, approval, no-show, back-fill). */
    async act(
      ctx: Ctx,
      id: number,
      action: string,
      body: { version: number; reason?: string; at?: string; hours?: number },
    ) {
      return db.tx(async (tx) => {
        const g0 = await repo.getSignup(tx, id);
        if (!g0) throw notFound('报名');
        await activities.assertActivity(tx, ctx, 'activity:write', g0.activity_id);
        const g = (await repo.getSignup(tx, id, true))!;
        if (g.version !== body.version) throw staleVersion();
        const a = (await repo.getActivity(tx, g.activity_id))!;
        if (a.status === 'cancelled') throw conflict('活动已取消');
        const s = (await repo.getShift(tx, g.shift_id))!;
        const at = body.at ? new Date(body.at) : ctx.now;
        if (at.getTime() > ctx.now.getTime() + 60_000) throw invalid('时间不能晚于当前时间', { field: 'at' });
        const log = async (after: Record<string, unknown>) =>
          audit(tx, ctx, {
            action: `activity.signup.${action}`,
            entityType: 'activity_signup',
            entityId: id,
            orgId: a.org_id,
            before: { status: g.status },
            after,
          });
        switch (action) {
          case 'approve':
          case 'reject': {
            if (g.status !== 'pending' && !(action === 'reject' && g.status === 'waitlisted'))
              throw conflict(`该报名${g.status === 'approved' ? '已录用' : '不在待审核状态'}`, {
                reason: 'status',
              });
            const to = action === 'approve' ? 'approved' : 'rejected';
            await tx.query(sql`UPDATE activity_signups SET status = ${to}, reason = ${body.reason ?? null}, decided_by = ${ctx.actor.userId},
              decided_at = ${ctx.now}, version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`);
            await log({ status: to, reason: body.reason ?? null });
            await enqueue(tx, ctx, 'volunteer.sms', {
              kind: 'notice',
              personId: g.person_id,
              text:
                action === 'approve'
                  ? `您报名的「${a.title}」第${s.seq}班次已录用，请按时参加。`
                  : `您报名的「${a.title}」未被录用。`,
            });
            if (to === 'rejected' && g.status === 'pending') await promoteWaitlist(tx, ctx, g.shift_id);
            break;
          }
          case 'sign-in':
            await doSignIn(tx, ctx, g, at, 'roster', { flag: false, meters: null });
            break;
          case 'sign-out':
            await doSignOut(tx, ctx, g, at, { flag: false, meters: null });
            break;
          case 'no-show':
            if (g.status !== 'approved') throw conflict('只有已录用的报名可以记为缺席');
            if (g.signed_in_at) throw conflict('已签到，不能记为缺席');
            if (ctx.now.getTime() < s.starts_at.getTime()) throw conflict('班次尚未开始，不能记为缺席');
            await tx.query(
              sql`UPDATE activity_signups SET no_show = true, version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`,
            );
            await log({ noShow: true });
            break;
          case 'backfill': {
            if (!body.reason) throw invalid('补录须填写原因', { field: 'reason' });
            if (body.hours == null) throw invalid('请填写补录时长', { field: 'hours' });
            if (g.status !== 'approved') throw conflict('只有已录用的报名可以补录时长');
            if (ctx.now.getTime() < s.starts_at.getTime()) throw conflict('班次尚未开始，不能补录');
            const max = shiftHours({ startsAt: s.starts_at, endsAt: s.ends_at });
            if (body.hours > max)
              throw invalid(`补录时长不能超过班次时长（${max}小时）`, { field: 'hours', max });
            if (!a.records_hours) throw conflict('本活动不记录志愿服务时长');
            const day = shanghaiYmd(s.starts_at);
            const rule = await ruleFor(tx, a.region_code, day);
            if (rule.excludedKinds.includes(a.kind)) throw conflict('该类活动按规则不计入志愿服务时长');
            const used = await hoursOnDay(tx, g.person_id, day);
            if (used + body.hours > rule.maxDailyHours + 1e-9)
              throw invalid(`超过每日时长上限${rule.maxDailyHours}小时（当日已记${used}小时）`, {
                field: 'hours',
              });
            if ((await tx.query(sql`SELECT 1 FROM vol_hours WHERE signup_id = ${id}`)).length > 0)
              throw conflict('该报名已有时长记录，如需调整请更正原记录', { reason: 'exists' });
            await appendEntry(tx, ctx, {
              personId: g.person_id,
              orgId: a.org_id,
              kind: 'backfilled',
              hours: body.hours,
              servedOn: day,
              activityId: a.id,
              signupId: id,
              reason: body.reason,
            });
            await tx.query(
              sql`UPDATE activity_signups SET version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`,
            );
            break;
          }
          default:
            throw invalid('未知操作');
        }
        return signupView(tx, id);
      });
    },

    /** The volunteer's phone: sign in or out by the QR token (or the 6-digit code) and the pass. */
    async publicCheckin(
      ctx: Ctx,
      input: {
        pass: string;
        action: 'in' | 'out';
        token?: string;
        code?: string;
        lat?: number;
        lng?: number;
      },
    ) {
      if (!input.token === !input.code) throw invalid('请扫描二维码或输入6位签到码');
      return db.tx(async (tx) => {
        const persons = await personsOfPass(tx, input.pass);
        let g: SignupRow | undefined;
        let via: 'qr' | 'code';
        if (input.token) {
          via = 'qr';
          const shiftId = shiftOfToken(deps.pii, input.token, ctx.now);
          const rows = await tx.query<{
            id: number;
          }>(sql`SELECT id FROM activity_signups WHERE shift_id = ${shiftId}
            AND person_id = ANY(${persons}::bigint[]) AND status = 'approved'`);
          if (!rows[0]) {
            const other =
              await tx.query(sql`SELECT 1 FROM activity_signups g JOIN activity_shifts s ON s.id = ${shiftId}
              WHERE g.activity_id = s.activity_id AND g.person_id = ANY(${persons}::bigint[]) AND g.status = 'approved'`);
            throw conflict(
              other.length
                ? '该二维码属于本活动的另一个班次，请核对您报名的班次'
                : '您没有报名该班次，或报名尚未录用',
              { reason: other.length ? 'other_shift' : 'not_signed_up' },
            );
          }
          g = await repo.getSignup(tx, rows[0].id, true);
        } else {
          via = 'code';
          const rows = await tx.query<{
            id: number;
          }>(sql`SELECT g.id FROM activity_signups g JOIN activity_shifts s ON s.id = g.shift_id
            WHERE g.person_id = ANY(${persons}::bigint[]) AND g.status = 'approved' AND s.code6 = ${input.code!}
              AND ${ctx.now} BETWEEN s.starts_at - interval '1 hour' AND s.ends_at + interval '4 hours'
            ORDER BY s.starts_at LIMIT 1`);
          if (!rows[0]) throw conflict('签到码不正确，或不在您报名班次的签到时间内', { reason: 'code' });
          g = await repo.getSignup(tx, rows[0].id, true);
        }
        const a = (await repo.getActivity(tx, g!.activity_id))!;
        if (a.status !== 'published') throw conflict('活动已结项或取消');
        const far = farOf(a, input);
        let hours = 0;
        let message: string;
        if (input.action === 'in') {
          await doSignIn(tx, ctx, g!, ctx.now, via, far);
          message = far.flag ? '签到成功（定位距活动地点较远，已标记待组织者核实）' : '签到成功';
        } else {
          const r = await doSignOut(tx, ctx, g!, ctx.now, far);
          hours = r.hours;
          message = `签退成功，${r.message}`;
        }
        return {
          signupId: g!.id,
          title: a.title,
          action: input.action,
          at: ctx.now.toISOString(),
          farFlag: far.flag,
          hours,
          message,
        };
      });
    },
  };
}
