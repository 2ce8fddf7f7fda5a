import { randomInt } from 'node:crypto';
import { maskPhone } from '../../../shared/mask.js';
import { checkPhone } from '../../../shared/people/identity.js';
import type { Ctx } from '../../platform/actor.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, invalid } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { LogSender, type MessageSender } from '../appeals/notify.js';
import { phonesOf } from '../people/persons/registry.js';
import { phoneHashOf } from '../people/protect.js';

/** SMS verification codes for the public pages: 6 digits, 10 minutes, 5 tries, one a minute. */
const CODE_TTL_MS = 10 * 60_000;
const RESEND_MS = 60_000;
const MAX_ATTEMPTS = 5;

export function normalPhone(phone: string): string {
  const p = checkPhone(phone);
  if (!p.ok || !/^1\d{10}$/.test(p.value)) throw invalid('请填写正确的11位手机号码', { field: 'phone' });
  return p.value;
}

export async function requestCode(deps: Deps, ctx: Ctx, phoneIn: string): Promise<{ expiresAt: string }> {
  const phone = normalPhone(phoneIn);
  const hash = phoneHashOf(deps.pii, phone);
  return deps.db.tx(async (tx) => {
    await tx.query(sql`SELECT pg_advisory_xact_lock(hashtext(${`volsms:${hash}`}))`);
    const last = await tx.query<{ created_at: Date }>(
      sql`SELECT created_at FROM vol_sms_codes WHERE phone_hash = ${hash} ORDER BY id DESC LIMIT 1`,
    );
    if (last[0] && ctx.now.getTime() - last[0].created_at.getTime() < RESEND_MS)
      throw new AppError('RATE_LIMITED', '验证码发送过于频繁，请1分钟后再试');
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const expiresAt = new Date(ctx.now.getTime() + CODE_TTL_MS);
    const rows = await tx.query<{
      id: number;
    }>(sql`INSERT INTO vol_sms_codes (phone_hash, phone_enc, code_enc, expires_at, created_at)
      VALUES (${hash}, ${deps.pii.encrypt(phone)}, ${deps.pii.encrypt(code)}, ${expiresAt}, ${ctx.now}) RETURNING id`);
    await enqueue(tx, ctx, 'volunteer.sms', { kind: 'code', codeId: rows[0]!.id });
    return { expiresAt: expiresAt.toISOString() };
  });
}

/**
 * Checks a code (outside the business transaction, so a wrong try is counted even when the
 * request fails) and answers its id; `consumeCode` uses it up inside the transaction.
 */
export async function verifyCode(deps: Deps, now: Date, phone: string, code: string): Promise<number> {
  const hash = phoneHashOf(deps.pii, phone);
  const rows = await deps.db.query<{
    id: number;
    code_enc: string;
    attempts: number;
    used_at: Date | null;
    expires_at: Date;
  }>(
    sql`SELECT id, code_enc, attempts, used_at, expires_at FROM vol_sms_codes WHERE phone_hash = ${hash}
      ORDER BY id DESC LIMIT 1`,
  );
  const r = rows[0];
  if (!r || r.used_at || r.expires_at.getTime() < now.getTime())
    throw invalid('验证码已失效，请重新获取', { field: 'smsCode' });
  if (r.attempts >= MAX_ATTEMPTS) throw invalid('验证码错误次数过多，请重新获取', { field: 'smsCode' });
  if (deps.pii.decrypt(r.code_enc) !== code) {
    await deps.db.query(sql`UPDATE vol_sms_codes SET attempts = attempts + 1 WHERE id = ${r.id}`);
    throw invalid('验证码不正确', { field: 'smsCode' });
  }
  return r.id;
}

/** Uses a verified code up, once (a second use of the same code is refused). */
export async function consumeCode(tx: Queryable, codeId: number, now: Date): Promise<void> {
  const r = await tx.query(
    sql`UPDATE vol_sms_codes SET used_at = ${now} WHERE id = ${codeId} AND used_at IS NULL RETURNING id`,
  );
  if (r.length === 0) throw invalid('验证码已使用，请重新获取', { field: 'smsCode' });
}

/** Test hook (controllable clock only): the latest code sent to a phone, as the log sender shows it. */
export async function latestCode(deps: Deps, phone: string): Promise<string | null> {
  const rows = await deps.db.query<{ code_enc: string }>(
    sql`SELECT code_enc FROM vol_sms_codes WHERE phone_hash = ${phoneHashOf(deps.pii, normalPhone(phone))} ORDER BY id DESC LIMIT 1`,
  );
  return rows[0] ? deps.pii.decrypt(rows[0].code_enc) : null;
}

/**
 * The `volunteer.sms` job: verification codes and notices to volunteers through the
 * pluggable sender (the log sender writes them, number masked, to the log in development).
 * One message per outbox row: recorded (unique by outbox id) before it is sent.
 */
export function registerVolunteerJobs(deps: Deps, sender: MessageSender = new LogSender(deps.log)): void {
  deps.jobs.onBatch('volunteer.sms', async (jobs) => {
    const codeIds = jobs.filter((j) => j.payload.kind === 'code').map((j) => Number(j.payload.codeId));
    const codes = new Map(
      (
        await deps.db.query<{ id: number; phone_enc: string; code_enc: string }>(
          sql`SELECT id, phone_enc, code_enc FROM vol_sms_codes WHERE id = ANY(${codeIds}::bigint[])`,
        )
      ).map((r) => [r.id, r]),
    );
    const phones = await phonesOf(
      deps.db,
      deps.pii,
      jobs.filter((j) => j.payload.kind === 'notice').map((j) => Number(j.payload.personId)),
    );
    for (const { payload, outboxId } of jobs) {
      let to: string | undefined;
      let body: string;
      if (payload.kind === 'code') {
        const c = codes.get(Number(payload.codeId));
        if (!c) continue;
        to = deps.pii.decrypt(c.phone_enc);
        body = `【纽带】您的志愿服务报名验证码为 ${deps.pii.decrypt(c.code_enc)}，10分钟内有效。`;
      } else {
        to = phones.get(Number(payload.personId));
        body = `【纽带】${String(payload.text ?? '')}`;
      }
      if (!to) continue;
      const fresh = await deps.db.query(sql`INSERT INTO vol_messages (outbox_id, to_masked, kind, sent_at)
        VALUES (${outboxId}, ${maskPhone(to)}, ${String(payload.kind)}, ${deps.clock.now()})
        ON CONFLICT (outbox_id) DO NOTHING RETURNING outbox_id`);
      if (fresh.length === 0) continue;
      try {
        await sender.send({ channel: 'sms', to, body });
      } catch (err) {
        await deps.db.query(sql`DELETE FROM vol_messages WHERE outbox_id = ${outboxId}`);
        throw err;
      }
    }
  });
}
