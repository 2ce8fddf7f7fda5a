import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import type { MembershipCreate, MembershipListQuery } from '../../../../shared/contracts/people.js';
import { POST_ROLES } from '../../../../shared/people/dicts.js';
import { bornOnOrBefore, MEMBERSHIP_RULES } from '../../../../shared/people/rules.js';
import { assertAccess } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, type Sql, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { forbidden, invalid, staleVersion } from '../../../platform/errors.js';
import { auditMembership, presentMembership } from '../persons/present.js';
import { MEMBERSHIP_SELECT, type MembershipRow } from '../persons/repo.js';
import { assertPersonAccess, orgIdInScope } from '../scope.js';
import { addMembership, checkRole, orgBrief } from './write.js';

async function lockMembership(q: Queryable, id: number): Promise<MembershipRow> {
  await q.query(sql`SELECT id FROM memberships WHERE id = ${id} FOR UPDATE`);
  return (await q.query<MembershipRow>(sql`${MEMBERSHIP_SELECT} WHERE m.id = ${id}`))[0]!;
}

export function createMembershipService(deps: Deps) {
  const { db } = deps;

  async function decide(ctx: Ctx, id: number, version: number, approve: boolean, note?: string) {
    return db.tx(async (tx) => {
      await assertAccess(tx, ctx.actor, 'membership:approve', 'membership', [id]);
      const before = await lockMembership(tx, id);
      if (before.version !== version) throw staleVersion();
      if (before.status !== 'pending') throw invalid('只有待审批的入会申请可以审批');
      const today = shanghaiYmd(ctx.now);
      if (approve) {
        const org = (await orgBrief(tx, before.org_id))!;
        await checkRole(tx, org, before.person_id, before.role as never, today);
      }
      await tx.query(sql`UPDATE memberships SET status = ${approve ? 'active' : 'rejected'},
          joined_on = ${approve ? sql`COALESCE(joined_on, ${today}::date)` : sql`joined_on`},
          note = COALESCE(${note ?? null}, note), version = version + 1, updated_at = ${ctx.now}
        WHERE id = ${id}`);
      const after = await lockMembership(tx, id);
      await audit(tx, ctx, {
        action: approve ? 'membership.approve' : 'membership.reject',
        entityType: 'membership',
        entityId: id,
        orgId: before.org_id,
        before: auditMembership(before),
        after: { ...auditMembership(after), note: note ?? null },
      });
      return presentMembership(after, ctx.actor);
    });
  }

  return {
    async list(ctx: Ctx, f: MembershipListQuery) {
      if (!ctx.actor.permissions.has('person:read')) throw forbidden();
      const conds: Sql[] = [orgIdInScope(ctx.actor, sql.raw('m.org_id'))];
      if (f.orgId) conds.push(sql`m.org_id = ${f.orgId}`);
      if (f.personId) conds.push(sql`m.person_id = ${f.personId}`);
      if (f.status) conds.push(sql`m.status = ${f.status}`);
      if (f.role) conds.push(sql`m.role = ${f.role}`);
      const where = sql.and(conds);
      const [rows, count] = await Promise.all([
        db.query<MembershipRow>(
          sql`${MEMBERSHIP_SELECT} WHERE ${where} ORDER BY m.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
        ),
        db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM memberships m WHERE ${where}`),
      ]);
      return { items: rows.map((r) => presentMembership(r, ctx.actor)), total: count[0]?.n ?? 0 };
    },

    /** A join application (入会申请) of a visible person to an organization in scope. */
    async apply(ctx: Ctx, input: MembershipCreate) {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'membership:write', 'org', [input.orgId]);
        await assertPersonAccess(tx, ctx.actor, 'person:read', [input.personId]);
        const id = await addMembership(tx, ctx, { ...input, direct: false, ifExists: 'fail' });
        return presentMembership(await lockMembership(tx, id), ctx.actor);
      });
    },

    approve: (ctx: Ctx, id: number, b: { version: number; note?: string }) =>
      decide(ctx, id, b.version, true, b.note),
    reject: (ctx: Ctx, id: number, b: { version: number; note?: string }) =>
      decide(ctx, id, b.version, false, b.note),

    /** 离会: ends an active membership with a reason. */
    async leave(ctx: Ctx, id: number, b: { version: number; reason: string; leftOn?: string }) {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'membership:write', 'membership', [id]);
        const before = await lockMembership(tx, id);
        if (before.version !== b.version) throw staleVersion();
        if (before.status !== 'active') throw invalid('只有在册的会籍可以办理离会');
        const pending = await tx.query(
          sql`SELECT 1 FROM transfers WHERE membership_id = ${id} AND status = 'pending'`,
        );
        if (pending.length > 0) throw invalid('该会籍有进行中的组织关系转接，请先处理转接');
        const today = shanghaiYmd(ctx.now);
        const leftOn = b.leftOn ?? today;
        if (leftOn > today || (before.joined_on && leftOn < before.joined_on))
          throw invalid('离会日期应在入会日期与今天之间', { field: 'leftOn' });
        await tx.query(sql`UPDATE memberships SET status = 'left', left_on = ${leftOn}, end_reason = ${b.reason},
            version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`);
        const after = await lockMembership(tx, id);
        await audit(tx, ctx, {
          action: 'membership.leave',
          entityType: 'membership',
          entityId: id,
          orgId: before.org_id,
          before: auditMembership(before),
          after: auditMembership(after),
        });
        return presentMembership(after, ctx.actor);
      });
    },

    /**
     * Ends the plain memberships that the rules end by age (团员 at 28 without a post) in an
     * organization and its subtree. One audit event with the count.
     */
    async ageOut(ctx: Ctx, orgId: number) {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'membership:write', 'org', [orgId]);
        const org = (await orgBrief(tx, orgId))!;
        const today = shanghaiYmd(ctx.now);
        let ended = 0;
        for (const [type, rule] of Object.entries(MEMBERSHIP_RULES)) {
          if (rule.maxAge === undefined || !rule.memberRole) continue;
          const exempt = rule.postExemptsMaxAge
            ? sql`AND NOT EXISTS (SELECT 1 FROM memberships pm JOIN orgs po ON po.id = pm.org_id
                WHERE pm.person_id = m.person_id AND pm.status = 'active' AND po.type = ${type}
                  AND pm.role = ANY(${POST_ROLES as string[]}::text[]))`
            : sql``;
          const r = await tx.query<{ n: number }>(sql`WITH ended AS (
              UPDATE memberships m SET status = 'left', left_on = ${today}, end_reason = ${`超龄（满${rule.maxAge}周岁）`},
                version = m.version + 1, updated_at = ${ctx.now}
              FROM orgs o WHERE o.id = m.org_id AND o.type = ${type} AND o.path LIKE ${`${org.path}%`}
                AND m.status = 'active' AND m.role = ${rule.memberRole}
                AND m.birth_date <= ${bornOnOrBefore(today, rule.maxAge)}::date ${exempt}
                AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.membership_id = m.id AND t.status = 'pending')
              RETURNING 1)
            SELECT count(*)::int AS n FROM ended`);
          ended += r[0]?.n ?? 0;
        }
        await audit(tx, ctx, {
          action: 'membership.age_out',
          entityType: 'org',
          entityId: orgId,
          orgId,
          after: { ended, on: today },
        });
        return { ended };
      });
    },
  };
}
