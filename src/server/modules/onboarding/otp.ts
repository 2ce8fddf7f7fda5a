/**
 * One-time passwords of imported users, delivered by SMS: the job of an outbox row sets a
 * fresh password (only its hash is stored) and sends it through the message sender. One
 * message per outbox row, whatever the retries: the message is recorded before it is sent
 * and the record taken back when the sender fails, so the retry sends again (a new password,
 * the last one sent is the one that works). The log sender never writes the password.
 */
import { maskPhone } from '../../../shared/mask.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import type { JobHandler } from '../../platform/jobs.js';
import { LogSender, type MessageSender } from '../appeals/notify.js';
import { hashPassword } from '../auth/service.js';
import { setSenderName } from './checklist.js';
import { oneTimePassword } from './init.js';
import { OTP_TOPIC } from './userImporter.js';

export const otpText = (username: string, password: string) =>
  `【纽带】您的纽带平台账号 ${username} 已开通，一次性密码：${password}，首次登录后须修改密码。`;

/** Sends through `sender`, except that the log sender gets the message without the password. */
async function deliver(
  deps: Pick<Deps, 'log'>,
  sender: MessageSender,
  to: string,
  username: string,
  pw: string,
) {
  if (sender.name === 'log') {
    deps.log.info(
      { channel: 'sms', to: maskPhone(to), username },
      'one-time password message (log sender: the password is not written; configure an SMS sender, or reset the password in user management)',
    );
    return;
  }
  await sender.send({ channel: 'sms', to, body: otpText(username, pw) });
}

export function otpHandler(
  deps: Pick<Deps, 'db' | 'pii' | 'clock' | 'log'>,
  sender: MessageSender,
): JobHandler {
  return async (payload, { outboxId }) => {
    const userId = Number(payload.userId);
    const [u] = await deps.db.query<{
      username: string;
      phone_enc: string | null;
      must_change_password: boolean;
    }>(
      sql`SELECT username, phone_enc, must_change_password FROM users WHERE id = ${userId} AND status = 'active'`,
    );
    // a user who has set a password meanwhile (or has none to send to) gets nothing
    if (!u?.phone_enc || !u.must_change_password) return;
    const to = deps.pii.decrypt(u.phone_enc);
    const recorded =
      await deps.db.query(sql`INSERT INTO onboarding_otp_messages (outbox_id, user_id, to_masked, sent_at)
      VALUES (${outboxId}, ${userId}, ${maskPhone(to)}, ${deps.clock.now()}) ON CONFLICT (outbox_id) DO NOTHING RETURNING outbox_id`);
    if (recorded.length === 0) return;
    const pw = oneTimePassword();
    await deps.db.query(
      sql`UPDATE users SET password_hash = ${await hashPassword(pw)} WHERE id = ${userId} AND must_change_password`,
    );
    try {
      await deliver(deps, sender, to, u.username, pw);
    } catch (err) {
      await deps.db.query(sql`DELETE FROM onboarding_otp_messages WHERE outbox_id = ${outboxId}`);
      throw err;
    }
  };
}

export function registerOnboardingJobs(deps: Deps, sender: MessageSender = new LogSender(deps.log)): void {
  setSenderName(sender.name);
  deps.jobs.on(OTP_TOPIC, otpHandler(deps, sender));
}
