import { shanghaiDateTime } from '../../../shared/calendar/ymd.js';
import type { UserView } from '../../../shared/contracts/users.js';
import { maskPhone } from '../../../shared/mask.js';
import { validatePhone } from '../../../shared/rules/phone.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit, exportAudit } from '../../platform/audit.js';
import { csvDocument } from '../../platform/csv.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid, staleVersion } from '../../platform/errors.js';
import { assertReachCovers } from '../../platform/reach.js';
import { assertNotReused, assertPasswordPolicy, hashPassword, rememberPassword } from '../auth/passwords.js';
import { revokeTokensOf } from '../auth/service.js';
import { notify } from '../system/notices.js';
import * as repo from './repo.js';

/** Accounts in one export (a city has a few thousand). */
const USER_EXPORT_LIMIT = 50_000;

type UserInput = {
  username: string;
  displayName: string;
  orgId: number;
  password: string;
  phone?: string | null;
  roleIds: number[];
};
type UserPatch = Partial<Omit<UserInput, 'username'>> & { version: number; status?: 'active' | 'disabled' };

export function createUserService(deps: Deps) {
  const { db, pii } = deps;

  function present(r: repo.UserRow, now: Date): UserView {
    return {
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      orgId: r.org_id,
      orgName: r.org_name,
      phone: r.phone_enc ? maskPhone(pii.decrypt(r.phone_enc)) : null,
      status: r.status,
      locked: !!r.locked_until && r.locked_until > now,
      lastLoginAt: r.last_login_at?.toISOString() ?? null,
      roles: (r.roles ?? []).map((x) => ({ id: Number(x.id), key: x.key, name: x.name })),
      version: r.version,
    };
  }
  const snapshot = (v: UserView) => ({ ...v, lastLoginAt: undefined, locked: undefined, orgName: undefined });

  /** The list's filters: an organization filter must be in scope (else 404, as for units). */
  async function readable(ctx: Ctx, f: { orgId?: number }) {
    if (f.orgId) await assertAccess(db, ctx.actor, 'user:read', 'org', [f.orgId]);
    else if (!ctx.actor.permissions.has('user:read')) throw forbidden();
  }

  function protectPhone(phone: string | null | undefined) {
    if (phone === undefined) return undefined;
    if (phone === null || phone === '') return { enc: null, hash: null };
    const r = validatePhone(phone);
    if (!r.ok) throw invalid('手机号码格式不正确', { field: 'phone' });
    return { enc: pii.encrypt(r.value), hash: pii.hash(r.value) };
  }

  /** An actor may hand out only roles that give no permission and no scope beyond their own. */
  async function checkAssignableRoles(q: Queryable, ctx: Ctx, roleIds: number[]) {
    const roles = await repo.getRoles(q, roleIds);
    if (roles.length !== new Set(roleIds).size) throw invalid('角色不存在', { field: 'roleIds' });
    for (const role of roles) {
      const extra = role.permissions.filter((p) => !ctx.actor.permissions.has(p as never));
      if (
        extra.length > 0 ||
        (!ctx.actor.scope.all && (role.data_scope === 'ALL' || role.data_scope === 'CUSTOM'))
      ) {
        throw forbidden(`不能分配超出本人权限的角色：${role.name}`);
      }
    }
  }

  return {
    present,
    async list(ctx: Ctx, f: Parameters<typeof repo.findUsers>[2]) {
      await readable(ctx, f);
      const r = await repo.findUsers(db, ctx.actor, f);
      return { items: r.items.map((u) => present(u, ctx.now)), total: r.total };
    },

    /** The accounts the list shows under the same filters, as CSV (phones masked); audited. */
    async exportCsv(ctx: Ctx, f: Omit<Parameters<typeof repo.findUsers>[2], 'page' | 'pageSize'>) {
      await readable(ctx, f);
      const r = await repo.findUsers(db, ctx.actor, { ...f, page: 1, pageSize: USER_EXPORT_LIMIT });
      await audit(db, ctx, exportAudit(ctx.actor, 'user.export', f, r.items.length));
      return csvDocument(
        ['用户名', '姓名', '所属组织', '手机号码', '角色', '状态', '锁定', '最后登录'],
        r.items
          .map((u) => present(u, ctx.now))
          .map((u) => [
            u.username,
            u.displayName,
            u.orgName,
            u.phone,
            u.roles.map((x) => x.name).join('、'),
            u.status === 'active' ? '正常' : '已停用',
            u.locked ? '已锁定' : '',
            u.lastLoginAt ? shanghaiDateTime(new Date(u.lastLoginAt)) : '',
          ]),
      );
    },

    async get(ctx: Ctx, id: number) {
      await assertAccess(db, ctx.actor, 'user:read', 'user', [id]);
      return present((await repo.getUser(db, id))!, ctx.now);
    },

    async create(ctx: Ctx, input: UserInput) {
      assertPasswordPolicy(input.password, input);
      const phone = protectPhone(input.phone);
      const passwordHash = await hashPassword(input.password);
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'user:write', 'org', [input.orgId]);
        await checkAssignableRoles(tx, ctx, input.roleIds);
        const r = await tx.query<{ id: number }>(sql`INSERT INTO users
            (username, display_name, org_id, password_hash, phone_enc, phone_hash, created_by, created_at, updated_at)
          VALUES (${input.username}, ${input.displayName}, ${input.orgId}, ${passwordHash}, ${phone?.enc ?? null},
            ${phone?.hash ?? null}, ${ctx.actor.userId || null}, ${ctx.now}, ${ctx.now}) RETURNING id`);
        const id = r[0]!.id;
        await repo.setUserRoles(tx, id, [...new Set(input.roleIds)]);
        // the new account may not reach beyond its creator
        await assertReachCovers(tx, ctx.actor, id);
        const view = present((await repo.getUser(tx, id))!, ctx.now);
        await audit(tx, ctx, {
          action: 'user.create',
          entityType: 'user',
          entityId: id,
          orgId: input.orgId,
          after: snapshot(view),
        });
        await notify(tx, ctx, [id], {
          title: '账号已开通',
          body: `您的纽带平台账号 ${input.username} 已开通。`,
        });
        return view;
      });
    },

    async update(ctx: Ctx, id: number, input: UserPatch) {
      const phone = protectPhone(input.phone);
      // the new password's checks need the account (its names, its last passwords): done before the
      // transaction (argon2 is slow), their verdict given only once access is established below
      let refused: unknown;
      let passwordHash: string | undefined;
      if (input.password !== undefined) {
        const target = await repo.getUser(db, id);
        try {
          assertPasswordPolicy(input.password, {
            username: target?.username,
            displayName: input.displayName ?? target?.display_name,
          });
          if (target) await assertNotReused(db, id, input.password);
        } catch (e) {
          refused = e;
        }
        passwordHash = refused ? undefined : await hashPassword(input.password);
      }
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'user:write', 'user', [id]);
        if (input.orgId) await assertAccess(tx, ctx.actor, 'user:write', 'org', [input.orgId]);
        const before = (await repo.getUser(tx, id, true))!;
        // only an account reaching at least as far may change it (and what it becomes, below)
        await assertReachCovers(tx, ctx.actor, id);
        if (refused) throw refused;
        if (passwordHash) await rememberPassword(tx, id, ctx.now);
        if (before.version !== input.version) throw staleVersion();
        if (id === ctx.actor.userId && (input.status === 'disabled' || input.roleIds)) {
          throw invalid('不能停用自己或修改自己的角色');
        }
        if (input.roleIds) {
          await checkAssignableRoles(tx, ctx, input.roleIds);
          await repo.setUserRoles(tx, id, [...new Set(input.roleIds)]);
        }
        await tx.query(sql`UPDATE users SET display_name = ${input.displayName ?? before.display_name},
            org_id = ${input.orgId ?? before.org_id}, status = ${input.status ?? before.status},
            phone_enc = ${phone ? phone.enc : before.phone_enc},
            phone_hash = ${phone ? phone.hash : sql.raw('phone_hash')},
            password_hash = COALESCE(${passwordHash ?? null}, password_hash),
            version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${id}`);
        await assertReachCovers(tx, ctx.actor, id);
        if (input.status === 'disabled' || passwordHash)
          await tx.query(sql`DELETE FROM sessions WHERE user_id = ${id}`);
        // a reset password ends the account's integrations too (their owner must issue new tokens)
        if (passwordHash) await revokeTokensOf(tx, id, ctx.now);
        const after = present((await repo.getUser(tx, id))!, ctx.now);
        await audit(tx, ctx, {
          action: passwordHash ? 'user.password_reset' : 'user.update',
          entityType: 'user',
          entityId: id,
          orgId: after.orgId,
          before: snapshot(present(before, ctx.now)),
          after: snapshot(after),
        });
        return after;
      });
    },

    async unlock(ctx: Ctx, id: number) {
      await db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'user:write', 'user', [id]);
        await assertReachCovers(tx, ctx.actor, id);
        await tx.query(sql`UPDATE users SET locked_until = NULL, failed_logins = 0 WHERE id = ${id}`);
        await audit(tx, ctx, { action: 'user.unlock', entityType: 'user', entityId: id });
      });
    },
  };
}
