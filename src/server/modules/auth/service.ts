import { verify } from '@node-rs/argon2';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, invalid } from '../../platform/errors.js';
import { newToken, SESSION_MAX_HOURS, sha256 } from '../../platform/sessions.js';
import { assertNotReused, assertPasswordPolicy, hashPassword, rememberPassword } from './passwords.js';

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;

export { assertPasswordPolicy, hashPassword } from './passwords.js';

/** The one answer to every failed login: unknown user, wrong password, disabled or locked account. */
export const LOGIN_FAILED = `用户名或密码错误，或账号已停用、已锁定（连续输错${MAX_FAILURES}次锁定${LOCK_MINUTES}分钟）`;

interface LoginInput {
  username: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  now: Date;
}

// A real hash (same parameters) to verify against when the user does not exist, so timing does not tell.
const dummyHash: Promise<string> = hashPassword(`dummy-${Math.random()}-Aa1!`);

/** Revokes every live API token of a user (a password change or reset); returns how many. */
export async function revokeTokensOf(q: Queryable, userId: number, now: Date): Promise<number> {
  const r = await q.query(
    sql`UPDATE api_tokens SET revoked_at = ${now} WHERE user_id = ${userId} AND revoked_at IS NULL RETURNING id`,
  );
  return r.length;
}

export function createAuthService(deps: Deps) {
  const { db } = deps;

  async function logAttempt(
    q: Queryable,
    i: LoginInput,
    userId: number | null,
    success: boolean,
    reason: string | null,
  ) {
    await q.query(sql`INSERT INTO login_log (at, username, user_id, success, reason, ip, user_agent, request_id)
      VALUES (${i.now}, ${i.username.slice(0, 40)}, ${userId}, ${success}, ${reason}, ${i.ip}, ${i.userAgent?.slice(0, 300) ?? null}, ${i.requestId})`);
  }

  return {
    /**
     * Verifies a password. Five failures lock the account for 15 minutes; every attempt
     * is logged. Every failure (unknown user, wrong password, disabled, locked) gets the same
     * answer after the same work (one argon2 verification, against a dummy hash when there is
     * no usable one, and the same statements), so neither the answer nor its time tells
     * whether an account exists or what state it is in.
     */
    async login(
      i: LoginInput,
    ): Promise<{ token: string; csrfToken: string; userId: number; mustChangePassword: boolean }> {
      const username = i.username.trim().toLowerCase();
      const rows = await db.query<{
        id: number;
        password_hash: string;
        status: string;
        failed_logins: number;
        locked_until: Date | null;
        must_change_password: boolean;
      }>(
        sql`SELECT id, password_hash, status, failed_logins, locked_until, must_change_password FROM users WHERE username = ${username}`,
      );
      const u = rows[0];
      const ok = await verify(u?.password_hash ?? (await dummyHash), i.password).catch(() => false);
      const locked = !!u?.locked_until && u.locked_until > i.now;
      if (!u || locked || u.status !== 'active' || !ok) {
        // a wrong password of a usable account counts toward the lock; the others run the same statements on no row
        const counts = !!u && !locked && u.status === 'active';
        await db.tx(async (tx) => {
          const r = await tx.query<{ failed_logins: number }>(sql`
            UPDATE users SET failed_logins = failed_logins + 1,
              locked_until = CASE WHEN failed_logins + 1 >= ${MAX_FAILURES}
                THEN ${new Date(i.now.getTime() + LOCK_MINUTES * 60_000)}::timestamptz ELSE locked_until END
            WHERE id = ${counts ? u.id : 0} RETURNING failed_logins`);
          const n = r[0]?.failed_logins ?? 0;
          if (n >= MAX_FAILURES) await tx.query(sql`UPDATE users SET failed_logins = 0 WHERE id = ${u!.id}`);
          const reason = !u
            ? 'unknown_user'
            : locked
              ? 'locked'
              : u.status !== 'active'
                ? 'disabled'
                : n >= MAX_FAILURES
                  ? 'bad_password_locked'
                  : 'bad_password';
          await logAttempt(tx, i, u?.id ?? null, false, reason);
        });
        throw new AppError('UNAUTHENTICATED', LOGIN_FAILED);
      }
      const token = newToken();
      const csrfToken = newToken(24);
      await db.tx(async (tx) => {
        await tx.query(
          sql`UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ${i.now} WHERE id = ${u.id}`,
        );
        await tx.query(sql`INSERT INTO sessions (id, user_id, csrf_token, ip, user_agent, created_at, last_seen_at, expires_at)
          VALUES (${sha256(token)}, ${u.id}, ${csrfToken}, ${i.ip}, ${i.userAgent?.slice(0, 300) ?? null}, ${i.now}, ${i.now},
            ${new Date(i.now.getTime() + SESSION_MAX_HOURS * 3600_000)})`);
        await logAttempt(tx, i, u.id, true, null);
      });
      return { token, csrfToken, userId: u.id, mustChangePassword: u.must_change_password };
    },

    async logout(token: string): Promise<void> {
      await db.query(sql`DELETE FROM sessions WHERE id = ${sha256(token)}`);
    },

    /**
     * Changes the caller's own password: the old one is checked, the new one must pass the
     * policy (common passwords, username or name, the last five). Ends the caller's other
     * sessions and revokes their API tokens.
     */
    async changePassword(
      ctx: Ctx,
      oldPassword: string,
      newPassword: string,
      keepSession: string | undefined,
    ) {
      const rows = await db.query<{ password_hash: string }>(
        sql`SELECT password_hash FROM users WHERE id = ${ctx.actor.userId}`,
      );
      if (!rows[0] || !(await verify(rows[0].password_hash, oldPassword).catch(() => false))) {
        throw invalid('原密码不正确', { field: 'oldPassword' });
      }
      assertPasswordPolicy(newPassword, { username: ctx.actor.username, displayName: ctx.actor.displayName });
      if (newPassword === oldPassword) throw invalid('新密码不能与原密码相同', { field: 'newPassword' });
      await assertNotReused(db, ctx.actor.userId, newPassword);
      const h = await hashPassword(newPassword);
      await db.tx(async (tx) => {
        await rememberPassword(tx, ctx.actor.userId, ctx.now);
        await tx.query(
          sql`UPDATE users SET password_hash = ${h}, must_change_password = false, version = version + 1, updated_at = ${ctx.now} WHERE id = ${ctx.actor.userId}`,
        );
        // other sessions of this user end with a password change
        await tx.query(
          sql`DELETE FROM sessions WHERE user_id = ${ctx.actor.userId} AND id <> ${keepSession ? sha256(keepSession) : ''}`,
        );
        const revoked = await revokeTokensOf(tx, ctx.actor.userId, ctx.now);
        await audit(tx, ctx, {
          action: 'user.password_change',
          entityType: 'user',
          entityId: ctx.actor.userId,
          orgId: ctx.actor.orgId,
          after: { tokensRevoked: revoked },
        });
      });
    },

    async createToken(ctx: Ctx, input: { name: string; permissions: string[]; expiresInDays: number }) {
      const mine = new Set<string>(ctx.actor.permissions);
      const extra = input.permissions.filter((p) => !mine.has(p));
      if (extra.length > 0) throw invalid('令牌权限不能超出本人权限', { permissions: extra });
      const token = `nd_${newToken()}`;
      const expires = new Date(ctx.now.getTime() + input.expiresInDays * 86_400_000);
      const id = await db.tx(async (tx) => {
        const r = await tx.query<{
          id: number;
        }>(sql`INSERT INTO api_tokens (name, token_hash, user_id, permissions, expires_at, created_at)
          VALUES (${input.name}, ${sha256(token)}, ${ctx.actor.userId}, ${input.permissions}::text[], ${expires}, ${ctx.now}) RETURNING id`);
        const tokenId = r[0]!.id;
        await audit(tx, ctx, {
          action: 'token.create',
          entityType: 'api_token',
          entityId: tokenId,
          after: { name: input.name, permissions: input.permissions },
        });
        return tokenId;
      });
      return { id, token, expiresAt: expires.toISOString() };
    },

    async listTokens(ctx: Ctx) {
      const rows = await db.query<{
        id: number;
        name: string;
        permissions: string[];
        expires_at: Date | null;
        revoked_at: Date | null;
        last_used_at: Date | null;
        created_at: Date;
      }>(
        sql`SELECT id, name, permissions, expires_at, revoked_at, last_used_at, created_at FROM api_tokens WHERE user_id = ${ctx.actor.userId} ORDER BY id DESC`,
      );
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        permissions: r.permissions,
        expiresAt: r.expires_at?.toISOString() ?? null,
        revokedAt: r.revoked_at?.toISOString() ?? null,
        lastUsedAt: r.last_used_at?.toISOString() ?? null,
        createdAt: r.created_at.toISOString(),
      }));
    },

    async revokeToken(ctx: Ctx, id: number) {
      await db.tx(async (tx) => {
        const r = await tx.query(
          sql`UPDATE api_tokens SET revoked_at = ${ctx.now} WHERE id = ${id} AND user_id = ${ctx.actor.userId} AND revoked_at IS NULL RETURNING id`,
        );
        if (r.length === 0) throw new AppError('NOT_FOUND', '令牌不存在或已吊销');
        await audit(tx, ctx, { action: 'token.revoke', entityType: 'api_token', entityId: id });
      });
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
