import { maskPhone } from '../../../shared/mask.js';
import { formatTrackingCode } from '../../../shared/trackingCode.js';
import type { Ctx } from '../../platform/actor.js';
import { tablesVersion, type VersionOf } from '../../platform/cache.js';
import { type Db, type Queryable, type Sql, sql } from '../../platform/db/index.js';
import { type Col, insertRows } from '../../platform/db/rows.js';
import type { Deps } from '../../platform/deps.js';
import { type BatchHandler, enqueue } from '../../platform/jobs.js';
import { type Notice, notify } from '../system/notices.js';
import { cachedLookup } from './config.js';
import { registerPhoneCodeJob } from './phoneQuota.js';
import { usersByOrgWithPermission, usersWithPermission } from './repo.js';

/** A way to reach a submitter outside the app (SMS gateway, mail server). */
export interface MessageSender {
  readonly name: string;
  send(msg: { channel: 'sms' | 'email'; to: string; body: string }): Promise<void>;
}

/**
 * What the log may show of a message: the tracking code and the phone's last four digits
 * together open the public lookup, so the log keeps neither (the code's first two
 * characters, the number's first three digits); a verification code is shown only where
 * `showCodes` (development: the log sender is then the only way to read it).
 */
export function messageForLog(
  msg: { to: string; body: string },
  showCodes = false,
): { to: string; body: string } {
  const digits = msg.to.replace(/\D/g, '');
  const to = `${digits.slice(0, 3)}${'*'.repeat(Math.max(0, digits.length - 3))}`;
  let body = msg.body.replace(
    /\b([23456789A-HJKMNP-Z]{2})[23456789A-HJKMNP-Z]{3}-?[23456789A-HJKMNP-Z]{5}\b/g,
    '$1***-*****',
  );
  if (!showCodes)
    body = body.replace(/验证码\s*(\d{4,8})/g, (_m, d: string) => `验证码 ${'*'.repeat(d.length)}`);
  return { to, body };
}

/** The default sender: writes the message to the log (masked, see messageForLog) and nothing else. */
export class LogSender implements MessageSender {
  readonly name = 'log';
  constructor(
    private readonly log: { info(obj: unknown, msg?: string): void },
    private readonly showCodes = false,
  ) {}
  async send(msg: { channel: 'sms' | 'email'; to: string; body: string }): Promise<void> {
    this.log.info(
      { channel: msg.channel, ...messageForLog(msg, this.showCodes) },
      'appeal message (log sender)',
    );
  }
}

export type MessageKind = 'received' | 'replied';

/** What tells who holds a permission, for the version of the lookups below. */
const HOLDER_TABLES: VersionOf[] = [
  ['users', ['id', 'org_id', 'status']],
  ['user_roles', ['user_id', 'role_id']],
  ['roles', ['id', 'permissions']],
];

/**
 * The users to notify for organizations: active holders of a permission (appeal:handle, or
 * another) in them, at most 200, by id. Read for all organizations at once and cached a few
 * seconds, so intake does not query it per appeal.
 */
export async function handlersOf(
  db: Db,
  q: Queryable,
  orgIds: readonly number[],
  permission = 'appeal:handle',
): Promise<number[]> {
  const byOrg = await cachedLookup(db, `users-by-org:${permission}`, {
    load: () => usersByOrgWithPermission(q, permission),
    version: tablesVersion(q, HOLDER_TABLES),
    inCallersTx: q !== db,
  });
  const ids = new Set(orgIds.flatMap((id) => byOrg.get(id) ?? []));
  return [...ids].sort((a, b) => a - b).slice(0, 200);
}

/** Notices to the handlers (appeal:handle, or another permission) of organizations. */
export async function notifyHandlers(
  db: Db,
  tx: Queryable,
  ctx: Pick<Ctx, 'now'>,
  orgIds: readonly number[],
  n: Notice,
  permission = 'appeal:handle',
): Promise<void> {
  await notify(tx, ctx, await handlersOf(db, tx, orgIds, permission), n);
}

export interface OutboxRow {
  topic: string;
  payload: object;
}

/** The outbox row of an SMS to the submitter (the row `messageSubmitter` writes). */
export const messageRow = (appealId: number, kind: MessageKind): OutboxRow => ({
  topic: 'appeal.message',
  payload: { appealId, kind },
});

const OUTBOX_COLS: Col[] = [
  ['topic', 'text'],
  ['payload', 'jsonb'],
  ['created_at', 'timestamptz'],
];

/**
 * Outbox rows as one INSERT for a larger statement, the same rows as the platform's
 * `enqueue` writes one by one (relayed after commit the same way); `when` may name
 * `x.payload`.
 */
export const outboxInsert = (rows: readonly OutboxRow[], now: Date, when: Sql): Sql =>
  insertRows(
    'outbox',
    OUTBOX_COLS,
    rows.map((r) => [r.topic, JSON.stringify(r.payload), now]),
    when,
  );

/** Notices to every supervisor (appeal:supervise). */
export async function notifySupervisors(
  db: Db,
  tx: Queryable,
  ctx: Pick<Ctx, 'now'>,
  n: Notice,
): Promise<void> {
  const users = await cachedLookup(db, 'users:supervisors', {
    load: () => usersWithPermission(tx, 'any', 'appeal:supervise'),
    version: tablesVersion(tx, HOLDER_TABLES),
    inCallersTx: tx !== db,
  });
  await notify(tx, ctx, users, n);
}

/** An SMS to the submitter, sent after commit by the `appeal.message` job. */
export async function messageSubmitter(
  tx: Queryable,
  ctx: Pick<Ctx, 'now'>,
  appealId: number,
  kind: MessageKind,
): Promise<void> {
  await enqueue(tx, ctx, 'appeal.message', { appealId, kind });
}

function textOf(kind: MessageKind, code: string): string {
  const c = formatTrackingCode(code);
  return kind === 'received'
    ? `【纽带】您的诉求已受理，查询码 ${c}。可凭查询码和手机号码后四位查询办理进度。`
    : `【纽带】您的诉求（查询码 ${c}）已有答复，请查询答复内容并作出评价。`;
}

/**
 * Registers the message job: one message per outbox row, whatever the retries. The jobs
 * fetched together share one read of their appeals and one INSERT of their records; each
 * message is recorded (unique by outbox row) before it is sent, and when the sender fails
 * the records of that message and of those not sent yet are taken back, so the retry of
 * the batch sends exactly those.
 */
export function registerAppealJobs(
  deps: Deps,
  sender: MessageSender = new LogSender(deps.log, deps.config.env !== 'production'),
): void {
  deps.jobs.onBatch('appeal.message', appealMessageHandler(deps, sender));
  registerPhoneCodeJob(deps, sender);
}

const MESSAGE_COLS = [
  ['outbox_id', 'bigint'],
  ['appeal_id', 'bigint'],
  ['channel', 'text'],
  ['to_masked', 'text'],
  ['body', 'text'],
  ['sent_at', 'timestamptz'],
] as const;

/** The handler of `appeal.message` jobs (exported for tests of its retry rule). */
export function appealMessageHandler(
  deps: Pick<Deps, 'db' | 'pii' | 'clock'>,
  sender: MessageSender,
): BatchHandler {
  return async (jobs) => {
    const ids = [...new Set(jobs.map((j) => Number(j.payload.appealId)))];
    const appeals = new Map(
      (
        await deps.db.query<{ id: number; tracking_code: string; phone_enc: string }>(
          sql`SELECT id, tracking_code, phone_enc FROM appeals WHERE id = ANY(${ids}::bigint[])`,
        )
      ).map((a) => [a.id, a]),
    );
    const messages = jobs.flatMap(({ payload, outboxId }) => {
      const a = appeals.get(Number(payload.appealId));
      if (!a) return [];
      const to = deps.pii.decrypt(a.phone_enc);
      const body = textOf(payload.kind === 'replied' ? 'replied' : 'received', a.tracking_code);
      return [{ outboxId, appealId: a.id, to, body }];
    });
    if (messages.length === 0) return;
    const now = deps.clock.now();
    const recorded = await deps.db.query<{ outbox_id: number }>(
      sql`${insertRows(
        'appeal_messages',
        MESSAGE_COLS,
        messages.map((m) => [m.outboxId, m.appealId, 'sms', maskPhone(m.to), m.body, now]),
      )} ON CONFLICT (outbox_id) DO NOTHING RETURNING outbox_id`,
    );
    const fresh = new Set(recorded.map((r) => r.outbox_id));
    const toSend = messages.filter((m) => fresh.has(m.outboxId));
    for (const [i, m] of toSend.entries()) {
      try {
        await sender.send({ channel: 'sms', to: m.to, body: m.body });
      } catch (err) {
        const unsent = toSend.slice(i).map((u) => u.outboxId);
        await deps.db.query(sql`DELETE FROM appeal_messages WHERE outbox_id = ANY(${unsent}::bigint[])`);
        throw err;
      }
    }
  };
}
