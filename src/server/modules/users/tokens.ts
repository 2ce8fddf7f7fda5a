import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError } from '../../platform/errors.js';
import { assertReachCovers } from '../../platform/reach.js';

/**
 * An administrator's view of another account's API tokens (names, permissions, dates; never
 * the secret) and their revocation, e.g. when a token leaks. Revoking needs user:write and
 * an actor reaching at least as far as the token's owner (platform/reach.ts).
 */
export function createUserTokenService(deps: Deps) {
  const { db } = deps;
  return {
    async list(ctx: Ctx, userId: number) {
      await assertAccess(db, ctx.actor, 'user:read', 'user', [userId]);
      const rows = await db.query<{
        id: number;
        name: string;
        permissions: string[];
        expires_at: Date | null;
        revoked_at: Date | null;
        last_used_at: Date | null;
        created_at: Date;
      }>(sql`SELECT id, name, permissions, expires_at, revoked_at, last_used_at, created_at FROM api_tokens
        WHERE user_id = ${userId} ORDER BY id DESC LIMIT 200`);
      return rows.map((r) => ({
        id: Number(r.id),
        name: r.name,
        permissions: r.permissions,
        expiresAt: r.expires_at?.toISOString() ?? null,
        revokedAt: r.revoked_at?.toISOString() ?? null,
        lastUsedAt: r.last_used_at?.toISOString() ?? null,
        createdAt: r.created_at.toISOString(),
      }));
    },

    async revoke(ctx: Ctx, userId: number, tokenId: number) {
      await db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'user:write', 'user', [userId]);
        await assertReachCovers(tx, ctx.actor, userId);
        const r = await tx.query(sql`UPDATE api_tokens SET revoked_at = ${ctx.now}
          WHERE id = ${tokenId} AND user_id = ${userId} AND revoked_at IS NULL RETURNING id`);
        if (r.length === 0) throw new AppError('NOT_FOUND', '令牌不存在或已吊销');
        await audit(tx, ctx, {
          action: 'token.revoke',
          entityType: 'api_token',
          entityId: tokenId,
          after: { userId },
        });
      });
    },
  };
}
