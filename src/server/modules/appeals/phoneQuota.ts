/**
 * Against SMS bombing through the public form: each appeal answers with an SMS to the
 * number given, so a number gets a few public appeals a day (QUOTA.free) and more only
 * once whoever submits shows they hold the phone, by an SMS verification code
 * (QUOTA.verifiedMax, for a day). The counting is part of the intake statement
 * (`appeal_admit`, intake-write.ts); the codes themselves are limited per number too.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { parsePhone } from '../../../shared/rules/phone.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, invalid } from '../../platform/errors.js';
import { enqueue } from '../../platform/jobs.js';
import { exceeded, hit } from '../../platform/throttle.js';
import type { MessageSender } from './notify.js';

export const QUOTA = {
  /** the window the appeals of a number are counted in */
  windowMs: 24 * 3600_000,
  /** public appeals (and their SMS) a number gets in the window without verification */
  free: 3,
  /** and once verified */
  verifiedMax: 20,
  /** how long a verification holds */
  verifiedMs: 24 * 3600_000,
};

/** Verification codes: 6 digits, valid 10 minutes, 5 tries; at most 1 a minute and 5 a day per number. */
export const CODE = { ttlMs: 10 * 60_000, tries: 5 };
const codeLimits = (phoneHash: string) => [
  { key: `sms-code:1m:${phoneHash}`, max: 1, windowMs: 60_000 },
  { key: `sms-code:1d:${phoneHash}`, max: 5, windowMs: 24 * 3600_000 },
];

export const PHONE_CODE_TOPIC = 'appeal.phone-code';

function phoneOf(raw: string): string {
  const p = parsePhone(raw);
  if (!p.ok || p.kind !== 'mobile') throw invalid('请填写正确的手机号码（接收验证码）', { field: 'phone' });
  return p.value;
}

const codeHash = (deps: Pick<Deps, 'pii'>, phoneHash: string, code: string) =>
  deps.pii.hash(`phone-code:${phoneHash}:${code}`);

/**
 * Sends a verification code to a mobile number (after commit, through the outbox and the
 * same sender as the appeal SMS). Refused with 429 when the number had one within the
 * minute or five today.
 */
export async function sendPhoneCode(
  deps: Pick<Deps, 'db' | 'pii' | 'clock'>,
  rawPhone: string,
): Promise<void> {
  const phone = phoneOf(rawPhone);
  const phoneHash = deps.pii.hash(phone);
  const now = deps.clock.now();
  const limits = codeLimits(phoneHash);
  if (await exceeded(deps.db, limits, now))
    throw new AppError('RATE_LIMITED', '验证码发送过于频繁，请稍后再试', { reason: 'phone_code_rate' });
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await deps.db.tx(async (tx) => {
    await hit(tx, limits, now);
    await tx.query(sql`INSERT INTO phone_codes (phone_hash, code_hash, expires_at, attempts)
      VALUES (${phoneHash}, ${codeHash(deps, phoneHash, code)}, ${new Date(now.getTime() + CODE.ttlMs)}, 0)
      ON CONFLICT (phone_hash) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at, attempts = 0`);
    // the number and the code travel encrypted through the outbox
    await enqueue(tx, { now }, PHONE_CODE_TOPIC, {
      to: deps.pii.encrypt(phone),
      code: deps.pii.encrypt(code),
    });
  });
}

/**
 * Checks a code given with an appeal; when right, the number is verified for a day (its
 * allowance grows to QUOTA.verifiedMax) and the code is spent. Wrong or expired: 400.
 */
export async function verifyPhoneCode(
  deps: Pick<Deps, 'db' | 'pii' | 'clock'>,
  rawPhone: string,
  code: string,
): Promise<void> {
  const phone = phoneOf(rawPhone);
  const phoneHash = deps.pii.hash(phone);
  const now = deps.clock.now();
  const wrong = () => invalid('短信验证码不正确或已过期，请重新获取', { field: 'phoneCode' });
  const row = await deps.db.query<{ code_hash: string; attempts: number }>(
    sql`UPDATE phone_codes SET attempts = attempts + 1 WHERE phone_hash = ${phoneHash} AND expires_at > ${now}
      RETURNING code_hash, attempts`,
  );
  const r = row[0];
  if (!r || r.attempts > CODE.tries) throw wrong();
  const want = Buffer.from(r.code_hash);
  const got = Buffer.from(codeHash(deps, phoneHash, code));
  if (want.length !== got.length || !timingSafeEqual(want, got)) throw wrong();
  await deps.db.tx(async (tx) => {
    await tx.query(sql`DELETE FROM phone_codes WHERE phone_hash = ${phoneHash}`);
    await tx.query(sql`INSERT INTO phone_quota (phone_hash, window_end, sent, verified_until)
      VALUES (${phoneHash}, ${new Date(now.getTime() + QUOTA.windowMs)}, 0, ${new Date(now.getTime() + QUOTA.verifiedMs)})
      ON CONFLICT (phone_hash) DO UPDATE SET verified_until = excluded.verified_until`);
  });
}

/** The job sending verification codes: once per outbox row (the code expires anyway). */
export function registerPhoneCodeJob(deps: Deps, sender: MessageSender): void {
  deps.jobs.on(PHONE_CODE_TOPIC, async (p) => {
    const to = deps.pii.decrypt(String(p.to));
    const code = deps.pii.decrypt(String(p.code));
    await sender.send({
      channel: 'sms',
      to,
      body: `【纽带】验证码 ${code}，10分钟内有效，用于提交诉求。如非本人操作请忽略。`,
    });
  });
}
