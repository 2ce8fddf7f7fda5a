import {
  PERSON_CLAIM_STATUS,
  type PersonClaimListQuery,
  type PersonClaimView,
} from '../../../../shared/contracts/personClaims.js';
import { MEMBERSHIP_ROLES, type MembershipRole } from '../../../../shared/people/dicts.js';
import { MEMBERSHIP_RULES } from '../../../../shared/people/rules.js';
import { assertAccess } from '../../../platform/access.js';
import type { Actor, Ctx } from '../../../platform/actor.js';
import { countAttempt } from '../../../platform/attempts.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, type Sql, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { forbidden, invalid, notFound, staleVersion } from '../../../platform/errors.js';
import { notify } from '../../system/notices.js';
import { addMembership, orgBrief } from '../memberships/write.js';
import { orgIdInScope, personScope } from '../scope.js';

/** What the requester is told: no record, no organization, no name check. */
export const CLAIM_MESSAGE = '此人已在其他组织登记，已提交关联申请，待其所在组织同意后生效';
export const CLAIM_WINDOW_MS = 3600_000;

interface ClaimRow {
  id: number;
  person_id: number;
  org_id: number;
  org_name: string;
  role: MembershipRole;
  joined_on: string | null;
  direct: boolean;
  name: string;
  status: keyof typeof PERSON_CLAIM_STATUS;
  requested_by: number | null;
  requested_by_name: string | null;
  note: string | null;
  created_at: Date;
  decided_at: Date | null;
  version: number;
  person_name: string;
  id_mask: string;
  keeper_name: string;
  visible: boolean;
  keeper: boolean;
}

const select = (
  actor: Actor,
) => sql`SELECT c.id, c.person_id, c.org_id, o.name AS org_name, c.role, c.joined_on,
    c.direct, c.name, c.status, c.requested_by, u.display_name AS requested_by_name, c.note, c.created_at, c.decided_at,
    c.version, p.name AS person_name, p.id_mask, ko.name AS keeper_name, ${personScope(actor)} AS visible,
    ${orgIdInScope(actor, sql.raw('p.org_id'))} AS keeper
  FROM person_claims c JOIN orgs o ON o.id = c.org_id JOIN persons p ON p.id = c.person_id
  JOIN orgs ko ON ko.id = p.org_id LEFT JOIN users u ON u.id = c.requested_by`;

function present(r: ClaimRow, actor: Actor): PersonClaimView {
  const decide = r.keeper && r.status === 'pending' && actor.permissions.has('membership:approve');
  return {
    id: r.id,
    name: r.name,
    orgId: r.org_id,
    orgName: r.org_name,
    role: r.role,
    roleLabel: MEMBERSHIP_ROLES[r.role] ?? r.role,
    status: r.status,
    statusLabel: PERSON_CLAIM_STATUS[r.status],
    note: r.note,
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
    version: r.version,
    // the record only for whoever may see it: the keeping side, or the requester once a membership makes it visible
    person: r.visible
      ? { id: r.person_id, name: r.person_name, idNumber: r.id_mask, orgName: r.keeper_name }
      : null,
    requestedBy: r.keeper ? r.requested_by_name : null,
    abilities: { approve: decide, reject: decide },
  };
}

/** The claims about persons the actor's organizations keep (the approving side). */
const incoming = (actor: Actor): Sql => orgIdInScope(actor, sql.raw('p.org_id'));
/** The claims the actor's organizations filed. */
const outgoing = (actor: Actor): Sql => orgIdInScope(actor, sql.raw('c.org_id'));

/**
 * Files (or finds, when one is pending already) the request of `orgId` to register the person
 * `personId`, kept by an organization outside the actor's scope. Counted per actor (a limit
 * held in the database); `limited` when over it: then nothing is filed, and the caller answers
 * 429 after committing the count. Runs in the caller's transaction.
 */
export async function fileClaim(
  tx: Queryable,
  ctx: Ctx,
  limitPerHour: number,
  c: { personId: number; orgId: number; role?: MembershipRole; joinedOn?: string; name: string },
): Promise<{ claimId: number; limited: false } | { limited: true }> {
  const n = await countAttempt(tx, `person-claim:user:${ctx.actor.userId}`, CLAIM_WINDOW_MS, ctx.now);
  if (n > limitPerHour) {
    await audit(tx, ctx, {
      action: 'person.claim_limited',
      entityType: 'org',
      entityId: c.orgId,
      orgId: c.orgId,
      after: { attempts: n, limitPerHour },
    });
    return { limited: true };
  }
  const org = await orgBrief(tx, c.orgId);
  if (!org) throw notFound('组织');
  if (org.status !== 'active') throw invalid('该组织已停用', { field: 'orgId' });
  const rule = MEMBERSHIP_RULES[org.type];
  if (!rule) throw invalid('该组织类型没有会籍', { field: 'orgId' });
  const role = c.role ?? rule.memberRole;
  if (!role) throw invalid('该类组织没有个人会员，请选择身份（如执委/委员、代表）', { field: 'role' });
  if (!rule.roles.includes(role)) throw invalid('该组织没有此身份', { field: 'role' });
  const direct = ctx.actor.permissions.has('membership:approve');
  const ins = await tx.query<{
    id: number;
  }>(sql`INSERT INTO person_claims (person_id, org_id, role, joined_on,
      direct, name, requested_by, created_at, updated_at)
    VALUES (${c.personId}, ${c.orgId}, ${role}, ${c.joinedOn ?? null}, ${direct}, ${c.name},
      ${ctx.actor.userId || null}, ${ctx.now}, ${ctx.now})
    ON CONFLICT (person_id, org_id) WHERE status = 'pending' DO NOTHING RETURNING id`);
  const claimId =
    ins[0]?.id ??
    (
      await tx.query<{ id: number }>(
        sql`SELECT id FROM person_claims WHERE person_id = ${c.personId} AND org_id = ${c.orgId} AND status = 'pending'`,
      )
    )[0]!.id;
  await audit(tx, ctx, {
    action: 'person.claim',
    entityType: 'person_claim',
    entityId: claimId,
    orgId: c.orgId,
    after: { orgId: c.orgId, role, repeated: !ins[0], attempts: n },
  });
  return { claimId, limited: false };
}

export function createClaimService(deps: Deps) {
  const { db } = deps;

  async function view(q: Queryable, actor: Actor, id: number) {
    const rows = await q.query<ClaimRow>(sql`${select(actor)} WHERE c.id = ${id}`);
    return present(rows[0]!, actor);
  }

  async function decide(ctx: Ctx, id: number, approve: boolean, b: { version: number; note?: string }) {
    return db.tx(async (tx) => {
      // the keeping organization decides (outside its scope → 404)
      await assertAccess(tx, ctx.actor, 'membership:approve', 'person_claim', [id]);
      const c = (
        await tx.query<{
          person_id: number;
          org_id: number;
          role: MembershipRole;
          joined_on: string | null;
          direct: boolean;
          status: string;
          version: number;
          requested_by: number | null;
          name: string;
        }>(sql`SELECT person_id, org_id, role, joined_on::text, direct, status, version, requested_by, name
          FROM person_claims WHERE id = ${id} FOR UPDATE`)
      )[0]!;
      if (c.version !== b.version) throw staleVersion();
      if (c.status !== 'pending') throw invalid('该申请已处理', { reason: 'state' });
      if (!approve && !b.note) throw invalid('请填写不同意的理由', { field: 'note' });
      const membershipId = approve
        ? await addMembership(tx, ctx, {
            personId: c.person_id,
            orgId: c.org_id,
            role: c.role,
            joinedOn: c.joined_on ?? undefined,
            note: '关联申请',
            direct: c.direct,
            ifExists: 'keep',
          })
        : null;
      const status = approve ? 'approved' : 'rejected';
      await tx.query(sql`UPDATE person_claims SET status = ${status}, decided_by = ${ctx.actor.userId || null},
          decided_at = ${ctx.now}, note = ${b.note ?? null}, membership_id = ${membershipId},
          version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`);
      await audit(tx, ctx, {
        action: approve ? 'person.claim_approve' : 'person.claim_reject',
        entityType: 'person_claim',
        entityId: id,
        orgId: c.org_id,
        before: { status: c.status, version: c.version },
        after: { status, personId: c.person_id, membershipId, note: b.note ?? null },
      });
      if (c.requested_by)
        await notify(tx, ctx, [c.requested_by], {
          title: approve ? '关联申请已同意' : '关联申请未获同意',
          body: approve
            ? `您提交的「${c.name}」关联申请已获同意。`
            : `您提交的「${c.name}」关联申请未获同意：${b.note}`,
          link: '/people/claims',
        });
      return view(tx, ctx.actor, id);
    });
  }

  return {
    async list(ctx: Ctx, f: PersonClaimListQuery) {
      if (!ctx.actor.permissions.has('person:read')) throw forbidden();
      const conds = [f.box === 'incoming' ? incoming(ctx.actor) : outgoing(ctx.actor)];
      if (f.status) conds.push(sql`c.status = ${f.status}`);
      const where = sql.and(conds);
      const [items, count] = await Promise.all([
        db.query<ClaimRow>(
          sql`${select(ctx.actor)} WHERE ${where} ORDER BY c.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
        ),
        db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM person_claims c
          JOIN persons p ON p.id = c.person_id WHERE ${where}`),
      ]);
      return { items: items.map((r) => present(r, ctx.actor)), total: count[0]?.n ?? 0 };
    },
    approve: (ctx: Ctx, id: number, b: { version: number; note?: string }) => decide(ctx, id, true, b),
    reject: (ctx: Ctx, id: number, b: { version: number; note?: string }) => decide(ctx, id, false, b),
  };
}

/** The inbox items: pending requests about persons the actor's organizations keep. */
export async function claimTodo(q: Queryable, actor: Actor) {
  if (!actor.permissions.has('membership:approve')) return [];
  const rows = await q.query<{
    id: number;
    name: string;
    org_name: string;
    role: MembershipRole;
    created_at: Date;
  }>(
    sql`SELECT c.id, c.name, o.name AS org_name, c.role, c.created_at FROM person_claims c
      JOIN persons p ON p.id = c.person_id JOIN orgs o ON o.id = c.org_id
      WHERE c.status = 'pending' AND ${incoming(actor)} ORDER BY c.id LIMIT 100`,
  );
  return rows.map((r) => ({
    kind: 'person.claim',
    id: r.id,
    title: `关联申请：${r.org_name}申请将「${r.name}」登记为${MEMBERSHIP_ROLES[r.role] ?? r.role}`,
    dueAt: null,
    level: 'normal' as const,
    href: '/people/claims',
  }));
}
