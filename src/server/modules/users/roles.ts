import type { RoleView } from '../../../shared/contracts/users.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid, notFound, staleVersion } from '../../platform/errors.js';
import * as repo from './repo.js';

type RoleInput = {
  key: string;
  name: string;
  permissions: string[];
  dataScope: RoleView['dataScope'];
  customOrgIds: number[];
};

const present = (r: repo.RoleRow): RoleView => ({
  id: r.id,
  key: r.key,
  name: r.name,
  permissions: r.permissions,
  dataScope: r.data_scope,
  customOrgIds: (r.custom_org_ids ?? []).map(Number),
  builtin: r.builtin,
  version: r.version,
});

/** Roles are platform-wide: only an actor with the whole tree in scope may change them. */
function assertRoleAdmin(ctx: Ctx) {
  if (!ctx.actor.permissions.has('role:write') || !ctx.actor.scope.all) throw forbidden();
}

async function setCustomOrgs(q: Queryable, roleId: number, scope: string, orgIds: number[]) {
  await q.query(sql`DELETE FROM role_orgs WHERE role_id = ${roleId}`);
  if (scope !== 'CUSTOM') return;
  if (orgIds.length === 0) throw invalid('自定义数据权限须至少选择一个组织', { field: 'customOrgIds' });
  const found = await q.query(sql`SELECT id FROM orgs WHERE id = ANY(${orgIds}::bigint[])`);
  if (found.length !== new Set(orgIds).size) throw invalid('所选组织不存在', { field: 'customOrgIds' });
  await q.query(
    sql`INSERT INTO role_orgs (role_id, org_id) SELECT ${roleId}, unnest(${[...new Set(orgIds)]}::bigint[])`,
  );
}

export function createRoleService(deps: Deps) {
  const { db } = deps;
  return {
    async list(ctx: Ctx) {
      if (!ctx.actor.permissions.has('role:read') && !ctx.actor.permissions.has('user:write'))
        throw forbidden();
      return (await repo.getRoles(db)).map(present);
    },
    async create(ctx: Ctx, input: RoleInput) {
      assertRoleAdmin(ctx);
      return db.tx(async (tx) => {
        const r = await tx.query<{
          id: number;
        }>(sql`INSERT INTO roles (key, name, permissions, data_scope, created_at, updated_at)
          VALUES (${input.key}, ${input.name}, ${input.permissions}::text[], ${input.dataScope}, ${ctx.now}, ${ctx.now}) RETURNING id`);
        const id = r[0]!.id;
        await setCustomOrgs(tx, id, input.dataScope, input.customOrgIds);
        const view = present((await repo.getRoles(tx, [id]))[0]!);
        await audit(tx, ctx, { action: 'role.create', entityType: 'role', entityId: id, after: view });
        return view;
      });
    },
    async update(ctx: Ctx, id: number, input: Partial<Omit<RoleInput, 'key'>> & { version: number }) {
      assertRoleAdmin(ctx);
      return db.tx(async (tx) => {
        const before = (
          await tx.query<repo.RoleRow>(sql`${repo.ROLE_SELECT} WHERE r.id = ${id} FOR UPDATE OF r`)
        )[0];
        if (!before) throw notFound('角色');
        if (before.version !== input.version) throw staleVersion();
        if (before.builtin && before.key === 'admin') throw invalid('内置管理员角色不可修改');
        const scope = input.dataScope ?? before.data_scope;
        await tx.query(sql`UPDATE roles SET name = ${input.name ?? before.name},
            permissions = ${input.permissions ?? before.permissions}::text[], data_scope = ${scope},
            version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`);
        if (input.dataScope || input.customOrgIds) {
          await setCustomOrgs(tx, id, scope, input.customOrgIds ?? (before.custom_org_ids ?? []).map(Number));
        }
        const after = present((await repo.getRoles(tx, [id]))[0]!);
        await audit(tx, ctx, {
          action: 'role.update',
          entityType: 'role',
          entityId: id,
          before: present(before),
          after,
        });
        return after;
      });
    },
  };
}
