import { createHash, randomBytes } from 'node:crypto';
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import { ageOn, SIGNUP_STATUSES, type SignupStatus } from '../../../shared/volunteers/rules.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { findOrRegisterPerson } from '../people/persons/registry.js';
import * as repo from './repo.js';
import { consumeCode, normalPhone, verifyCode } from './sms.js';

export const passHash = (pass: string) => createHash('sha256').update(pass).digest('hex');

/** The persons a volunteer pass stands for (normally one). */
export async function personsOfPass(q: Queryable, pass: string): Promise<number[]> {
  const rows = await q.query<{ person_id: number }>(
    sql`SELECT person_id FROM vol_passes WHERE hash = ${passHash(pass)}`,
  );
  if (rows.length === 0) throw invalid('志愿者凭证无效，请重新报名或用手机验证码找回', { reason: 'pass' });
  return rows.map((r) => r.person_id);
}

/** The waiting list moves up: the first waitlisted sign-ups of the shift take freed places. */
export async function promoteWaitlist(tx: Queryable, ctx: Ctx, shiftId: number): Promise<void> {
  const s = (await repo.getShift(tx, shiftId, true))!;
  const a = (await repo.getActivity(tx, s.activity_id))!;
  const taken = await tx.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM activity_signups
    WHERE shift_id = ${shiftId} AND status IN ('approved', 'pending')`);
  const free = s.capacity - taken[0]!.n;
  if (free <= 0) return;
  const next = await tx.query<{
    id: number;
    person_id: number;
  }>(sql`SELECT id, person_id FROM activity_signups
    WHERE shift_id = ${shiftId} AND status = 'waitlisted' ORDER BY id LIMIT ${free}`);
  const to: SignupStatus = a.needs_approval ? 'pending' : 'approved';
  for (const n of next) {
    await tx.query(
      sql`UPDATE activity_signups SET status = ${to}, version = version + 1, updated_at = ${ctx.now} WHERE id = ${n.id}`,
    );
    await audit(tx, ctx, {
      action: 'activity.signup.promote',
      entityType: 'activity_signup',
      entityId: n.id,
      orgId: a.org_id,
      before: { status: 'waitlisted' },
      after: { status: to },
    });
    await enqueue(tx, ctx, 'volunteer.sms', {
      kind: 'notice',
      personId: n.person_id,
      text: `您在「${a.title}」的候补报名已转为${SIGNUP_STATUSES[to]}。`,
    });
  }
}

export interface PublicSignupInput {
  shiftIds: number[];
  name: string;
  idNumber: string;
  phone: string;
  smsCode: string;
}

/**
 * Sign-up on the public pages: the phone proven by an SMS code, the person found (or
 * registered) in the people registry by the keyed hash of the ID number, age and window
 * checked; each shift gives a place (pending approval, or approved) while there is one, a
 * place on the waiting list (as long as the capacity) after that, and a refusal past both.
 * A shift the person holds already is answered as it is (a double submit changes nothing).
 */
export async function publicSignup(deps: Deps, ctx: Ctx, activityId: number, input: PublicSignupInput) {
  const phone = normalPhone(input.phone);
  const shiftIds = [...new Set(input.shiftIds)];
  const codeId = await verifyCode(deps, ctx.now, phone, input.smsCode);
  return deps.db.tx(async (tx) => {
    const a = await repo.getActivity(tx, activityId, true);
    if (!a || a.status === 'cancelled') throw notFound('活动');
    const phase = repo.phaseOf(a, ctx.now);
    if (phase !== 'recruiting')
      throw conflict(phase === 'upcoming' ? '报名尚未开始' : '报名已截止', {
        reason: 'window',
        recruitFrom: a.recruit_from.toISOString(),
        recruitUntil: a.recruit_until.toISOString(),
      });
    const shifts = await tx.query<{ id: number; starts_at: Date; capacity: number }>(
      sql`SELECT id, starts_at, capacity FROM activity_shifts WHERE activity_id = ${activityId} AND id = ANY(${shiftIds}::bigint[]) ORDER BY seq`,
    );
    if (shifts.length !== shiftIds.length) throw invalid('所选班次不属于该活动', { field: 'shiftIds' });
    await consumeCode(tx, codeId, ctx.now);
    const person = await findOrRegisterPerson(tx, deps.pii, ctx, {
      name: input.name,
      idNumber: input.idNumber,
      phone,
      orgId: a.org_id,
      regionCode: null,
    });
    for (const s of shifts) {
      const age = ageOn(person.birthDate, shanghaiYmd(s.starts_at));
      if (a.min_age != null && age < a.min_age)
        throw invalid(`该活动要求年满${a.min_age}周岁，您在活动当天未满${a.min_age}周岁`, { reason: 'age' });
      if (a.max_age != null && age > a.max_age)
        throw invalid(`该活动要求年龄不超过${a.max_age}周岁`, { reason: 'age' });
    }
    const out: { id: number; shiftId: number; status: SignupStatus; statusLabel: string }[] = [];
    for (const s of shifts) {
      const held = await tx.query<{
        id: number;
        status: SignupStatus;
      }>(sql`SELECT id, status FROM activity_signups
        WHERE shift_id = ${s.id} AND person_id = ${person.id} AND status NOT IN ('cancelled', 'rejected')`);
      if (held[0]) {
        out.push({
          id: held[0].id,
          shiftId: s.id,
          status: held[0].status,
          statusLabel: SIGNUP_STATUSES[held[0].status],
        });
        continue;
      }
      const counts = await tx.query<{ taken: number; waiting: number }>(sql`SELECT
          count(*) FILTER (WHERE status IN ('approved', 'pending'))::int AS taken,
          count(*) FILTER (WHERE status = 'waitlisted')::int AS waiting
        FROM activity_signups WHERE shift_id = ${s.id}`);
      const { taken, waiting } = counts[0]!;
      let status: SignupStatus;
      if (taken < s.capacity) status = a.needs_approval ? 'pending' : 'approved';
      else if (waiting < s.capacity) status = 'waitlisted';
      else throw conflict('该班次名额和候补均已满', { reason: 'capacity', shiftId: s.id });
      const rows = await tx.query<{
        id: number;
      }>(sql`INSERT INTO activity_signups (activity_id, shift_id, person_id, status,
          created_at, updated_at) VALUES (${activityId}, ${s.id}, ${person.id}, ${status}, ${ctx.now}, ${ctx.now}) RETURNING id`);
      out.push({ id: rows[0]!.id, shiftId: s.id, status, statusLabel: SIGNUP_STATUSES[status] });
      await audit(tx, ctx, {
        action: 'activity.signup',
        entityType: 'activity_signup',
        entityId: rows[0]!.id,
        orgId: a.org_id,
        after: { activityId, shiftId: s.id, personId: person.id, status },
      });
    }
    const pass = randomBytes(24).toString('base64url');
    await tx.query(
      sql`INSERT INTO vol_passes (hash, person_id, created_at) VALUES (${passHash(pass)}, ${person.id}, ${ctx.now})`,
    );
    return { pass, signups: out };
  });
}

/** The volunteer's own sign-ups (by pass), newest shift first. */
export async function signupsOfPersons(q: Queryable, personIds: number[]) {
  const rows = await q.query<{
    id: number;
    activity_id: number;
    title: string;
    shift_id: number;
    starts_at: Date;
    ends_at: Date;
    status: SignupStatus;
    confirmed_at: Date | null;
    signed_in_at: Date | null;
    signed_out_at: Date | null;
    hours: number;
  }>(sql`SELECT g.id, g.activity_id, a.title, g.shift_id, s.starts_at, s.ends_at, g.status, g.confirmed_at,
      g.signed_in_at, g.signed_out_at,
      COALESCE((SELECT sum(CASE WHEN h.kind = 'revoked' THEN -h.hours ELSE h.hours END) FROM vol_hours h
        WHERE h.signup_id = g.id OR h.revokes_id IN (SELECT x.id FROM vol_hours x WHERE x.signup_id = g.id)), 0)::float8 AS hours
    FROM activity_signups g JOIN activity_shifts s ON s.id = g.shift_id JOIN activities a ON a.id = g.activity_id
    WHERE g.person_id = ANY(${personIds}::bigint[]) ORDER BY s.starts_at DESC, g.id DESC LIMIT 200`);
  return rows.map((r) => ({
    id: r.id,
    activityId: r.activity_id,
    title: r.title,
    shiftId: r.shift_id,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    status: r.status,
    statusLabel: SIGNUP_STATUSES[r.status],
    confirmedAt: r.confirmed_at?.toISOString() ?? null,
    signedInAt: r.signed_in_at?.toISOString() ?? null,
    signedOutAt: r.signed_out_at?.toISOString() ?? null,
    hours: Number(r.hours),
  }));
}

/** The volunteer cancels (before signing in) or confirms (before the shift starts) a sign-up. */
export async function publicSignupAct(
  deps: Deps,
  ctx: Ctx,
  pass: string,
  signupId: number,
  action: 'cancel' | 'confirm',
) {
  return deps.db.tx(async (tx) => {
    const persons = await personsOfPass(tx, pass);
    const g = await repo.getSignup(tx, signupId, true);
    if (!g || !persons.includes(g.person_id)) throw notFound('报名');
    const s = (await repo.getShift(tx, g.shift_id))!;
    const a = (await repo.getActivity(tx, g.activity_id))!;
    if (action === 'cancel') {
      if (!['pending', 'approved', 'waitlisted'].includes(g.status)) throw conflict('该报名已取消或未被录用');
      if (g.signed_in_at) throw conflict('已签到，不能取消报名');
      await tx.query(
        sql`UPDATE activity_signups SET status = 'cancelled', version = version + 1, updated_at = ${ctx.now} WHERE id = ${signupId}`,
      );
      if (g.status !== 'waitlisted') await promoteWaitlist(tx, ctx, g.shift_id);
    } else {
      if (g.status !== 'approved') throw conflict('报名尚未录用，无需确认');
      if (ctx.now.getTime() >= s.starts_at.getTime()) throw conflict('班次已开始，不能再确认');
      if (!g.confirmed_at)
        await tx.query(
          sql`UPDATE activity_signups SET confirmed_at = ${ctx.now}, version = version + 1, updated_at = ${ctx.now} WHERE id = ${signupId}`,
        );
    }
    await audit(tx, ctx, {
      action: `activity.signup.${action}`,
      entityType: 'activity_signup',
      entityId: signupId,
      orgId: a.org_id,
      before: { status: g.status },
    });
    return { ok: true };
  });
}
