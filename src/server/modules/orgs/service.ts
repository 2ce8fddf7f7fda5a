import type { OrgCreate, OrgListQuery, OrgUpdate, OrgView } from '../../../shared/contracts/orgs.js';
import { LEVEL_ORDER, type OrgLevel } from '../../../shared/orgs.js';
import { validatePhone } from '../../../shared/rules/phone.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid, notFound, staleVersion } from '../../platform/errors.js';
import { initials } from '../../platform/text.js';
import { auditOrg, presentOrg } from './present.js';
import * as repo from './repo.js';

function assertLevelBelow(parentLevel: string | undefined, level: OrgLevel) {
  if (!parentLevel) return;
  if (LEVEL_ORDER.indexOf(level) < LEVEL_ORDER.indexOf(parentLevel as OrgLevel)) {
    throw invalid('下级组织的层级不能高于上级组织', { field: 'level' });
  }
}

function normalizeContactPhone(phone: string | null | undefined): string | null | undefined {
  if (phone === undefined || phone === null || phone === '') return phone === '' ? null : phone;
  const r = validatePhone(phone);
  if (!r.ok) throw invalid('联系电话格式不正确', { field: 'contactPhone' });
  return r.value;
}

export function createOrgService(deps: Deps) {
  const { db } = deps;

  async function mustGet(q: Queryable, ctx: Ctx, id: number) {
    const row = await repo.findOrg(q, ctx.actor, id);
    if (!row) throw notFound('组织');
    return row;
  }

  return {
    async list(ctx: Ctx, f: OrgListQuery) {
      if (!ctx.actor.permissions.has('org:read')) throw forbidden();
      const { items, total } = await repo.findOrgs(db, ctx.actor, f);
      return { items: items.map((r) => presentOrg(r, ctx.actor)), total };
    },

    async get(ctx: Ctx, id: number): Promise<OrgView & { ancestors: { id: number; name: string }[] }> {
      const row = await mustGet(db, ctx, id);
      if (!ctx.actor.permissions.has('org:read')) throw forbidden();
      return { ...presentOrg(row, ctx.actor), ancestors: await repo.findAncestors(db, ctx.actor, row.path) };
    },

    async create(ctx: Ctx, input: OrgCreate): Promise<OrgView> {
      return db.tx(async (tx) => {
        let parent: repo.OrgRow | undefined;
        if (input.parentId === null) {
          // a new top-level organization needs the whole tree in scope
          if (!ctx.actor.scope.all) throw forbidden('只有全部数据权限的用户可以创建顶级组织');
          if (!ctx.actor.permissions.has('org:write')) throw forbidden();
        } else {
          await assertAccess(tx, ctx.actor, 'org:write', 'org', [input.parentId]);
          parent = await repo.lockOrg(tx, input.parentId);
          if (!parent) throw notFound('上级组织');
          if (parent.status !== 'active') throw invalid('上级组织已停用，不能新增下级');
        }
        assertLevelBelow(parent?.level, input.level);
        if (!(await repo.regionExists(tx, input.regionCode)))
          throw invalid('行政区划代码不存在', { field: 'regionCode' });
        const id = await repo.nextOrgId(tx);
        const path = `${parent?.path ?? '/'}${id}/`;
        await tx.query(sql`INSERT INTO orgs (id, parent_id, path, depth, name, name_initials, type, level, region_code,
            takes_appeals, contact_name, contact_phone, sort, created_at, updated_at)
          VALUES (${id}, ${input.parentId}, ${path}, ${(parent?.depth ?? -1) + 1}, ${input.name}, ${initials(input.name)},
            ${input.type}, ${input.level}, ${input.regionCode}, ${input.takesAppeals}, ${input.contactName ?? null},
            ${normalizeContactPhone(input.contactPhone) ?? null}, ${input.sort}, ${ctx.now}, ${ctx.now})`);
        const row = (await repo.lockOrg(tx, id))!;
        await audit(tx, ctx, {
          action: 'org.create',
          entityType: 'org',
          entityId: id,
          orgId: id,
          after: auditOrg(row),
        });
        return presentOrg((await repo.findOrg(tx, ctx.actor, id))!, ctx.actor);
      });
    },

    async update(ctx: Ctx, id: number, input: OrgUpdate): Promise<OrgView> {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'org:write', 'org', [id]);
        const before = (await repo.lockOrg(tx, id))!;
        if (before.version !== input.version) throw staleVersion();
        if (input.regionCode && !(await repo.regionExists(tx, input.regionCode)))
          throw invalid('行政区划代码不存在', { field: 'regionCode' });
        if (input.level && before.parent_id !== null) {
          const parent = await repo.lockOrg(tx, before.parent_id);
          assertLevelBelow(parent?.level, input.level);
        }
        if (
          input.status === 'inactive' &&
          before.status === 'active' &&
          (await repo.hasActiveDescendants(tx, before.path))
        ) {
          throw invalid('该组织下还有未停用的下级组织，请先停用下级');
        }
        const contactPhone = normalizeContactPhone(input.contactPhone);
        const name = input.name ?? before.name;
        await tx.query(sql`UPDATE orgs SET
            name = ${name}, name_initials = ${initials(name)},
            type = ${input.type ?? before.type}, level = ${input.level ?? before.level},
            region_code = ${input.regionCode ?? before.region_code},
            takes_appeals = ${input.takesAppeals ?? before.takes_appeals},
            contact_name = ${input.contactName === undefined ? before.contact_name : input.contactName},
            contact_phone = ${contactPhone === undefined ? before.contact_phone : contactPhone},
            sort = ${input.sort ?? before.sort}, status = ${input.status ?? before.status},
            version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${id}`);
        const after = (await repo.lockOrg(tx, id))!;
        const action =
          input.status && input.status !== before.status
            ? `org.${input.status === 'inactive' ? 'deactivate' : 'activate'}`
            : 'org.update';
        await audit(tx, ctx, {
          action,
          entityType: 'org',
          entityId: id,
          orgId: id,
          before: auditOrg(before),
          after: auditOrg(after),
        });
        return presentOrg((await repo.findOrg(tx, ctx.actor, id))!, ctx.actor);
      });
    },

    /** Re-parents an organization with its whole subtree; refuses cycles. */
    async move(ctx: Ctx, id: number, input: { parentId: number; version: number }): Promise<OrgView> {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'org:write', 'org', [id, input.parentId]);
        const org = (await repo.lockOrg(tx, id))!;
        const parent = (await repo.lockOrg(tx, input.parentId))!;
        if (org.version !== input.version) throw staleVersion();
        if (org.parent_id === null) throw invalid('顶级组织不能移动');
        if (parent.path.startsWith(org.path))
          throw invalid('不能把组织移动到它自己或它的下级之下', { reason: 'cycle' });
        if (parent.status !== 'active') throw invalid('目标上级组织已停用');
        assertLevelBelow(parent.level, org.level as OrgLevel);
        if (org.parent_id === parent.id)
          return presentOrg((await repo.findOrg(tx, ctx.actor, id))!, ctx.actor);
        const newPath = `${parent.path}${id}/`;
        const moved = await repo.movePaths(tx, org.path, newPath, parent.depth + 1 - org.depth);
        await tx.query(
          sql`UPDATE orgs SET parent_id = ${parent.id}, version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`,
        );
        const after = (await repo.lockOrg(tx, id))!;
        await audit(tx, ctx, {
          action: 'org.move',
          entityType: 'org',
          entityId: id,
          orgId: id,
          before: auditOrg(org),
          after: { ...auditOrg(after), movedCount: moved },
        });
        return presentOrg((await repo.findOrg(tx, ctx.actor, id))!, ctx.actor);
      });
    },
  };
}
export type OrgService = ReturnType<typeof createOrgService>;
