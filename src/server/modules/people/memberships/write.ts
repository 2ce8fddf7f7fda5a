import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import type { OrgType } from '../../../../shared/orgs.js';
import { MEMBERSHIP_ROLES, type MembershipRole, POST_ROLES } from '../../../../shared/people/dicts.js';
import { eligibility, MEMBERSHIP_RULES } from '../../../../shared/people/rules.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import { conflict, invalid, notFound } from '../../../platform/errors.js';

export interface OrgBrief {
  id: number;
  name: string;
  type: OrgType;
  path: string;
  status: 'active' | 'inactive';
}

export async function orgBrief(q: Queryable, id: number): Promise<OrgBrief | undefined> {
  const rows = await q.query<OrgBrief>(sql`SELECT id, name, type, path, status FROM orgs WHERE id = ${id}`);
  return rows[0];
}

/** Whether the person holds a post (执委, 干部) in an organization of the type. */
export async function holdsPost(q: Queryable, personId: number, type: string): Promise<boolean> {
  const rows = await q.query(sql`SELECT 1 FROM memberships m JOIN orgs o ON o.id = m.org_id
    WHERE m.person_id = ${personId} AND m.status = 'active' AND o.type = ${type}
      AND m.role = ANY(${POST_ROLES as string[]}::text[]) LIMIT 1`);
  return rows.length > 0;
}

/** The role a membership takes in an organization (default: the type's member role), checked for the person. */
export async function checkRole(
  q: Queryable,
  org: OrgBrief,
  personId: number,
  role: MembershipRole | undefined,
  today: string,
): Promise<MembershipRole> {
  if (org.status !== 'active') throw invalid('该组织已停用', { field: 'orgId' });
  const rule = MEMBERSHIP_RULES[org.type];
  if (!rule) throw invalid('该组织类型没有会籍', { field: 'orgId' });
  const r = role ?? rule.memberRole;
  if (!r) throw invalid('该类组织没有个人会员，请选择身份（如执委/委员、代表）', { field: 'role' });
  const p = (
    await q.query<{ birth_date: string; gender: 'M' | 'F'; groups: string[] }>(
      sql`SELECT birth_date, gender, groups FROM persons WHERE id = ${personId}`,
    )
  )[0];
  if (!p) throw notFound('人员');
  const why = eligibility(
    org.type,
    r,
    { birthDate: p.birth_date, gender: p.gender, groups: p.groups },
    today,
    await holdsPost(q, personId, org.type),
  );
  if (why) throw invalid(why, { field: 'role' });
  return r;
}

/**
 * Adds a membership: active at once when `direct` (the organization registers its member),
 * else a pending join application. `ifExists: 'keep'` returns a live one instead of failing.
 */
export async function addMembership(
  tx: Queryable,
  ctx: Ctx,
  m: {
    personId: number;
    orgId: number;
    role?: MembershipRole;
    joinedOn?: string;
    note?: string;
    direct: boolean;
    ifExists: 'keep' | 'fail';
  },
): Promise<number> {
  const org = await orgBrief(tx, m.orgId);
  if (!org) throw notFound('组织');
  const today = shanghaiYmd(ctx.now);
  const role = await checkRole(tx, org, m.personId, m.role, today);
  const live = await tx.query<{ id: number }>(sql`SELECT id FROM memberships
    WHERE person_id = ${m.personId} AND org_id = ${m.orgId} AND role = ${role} AND status IN ('pending', 'active')`);
  if (live[0]) {
    if (m.ifExists === 'keep') return live[0].id;
    throw conflict(`此人已是该组织的${MEMBERSHIP_ROLES[role]}，或已有待审批的申请`, { reason: 'exists' });
  }
  if (m.joinedOn && m.joinedOn > today) throw invalid('入会日期不能晚于今天', { field: 'joinedOn' });
  const status = m.direct ? 'active' : 'pending';
  const rows = await tx.query<{
    id: number;
  }>(sql`INSERT INTO memberships (person_id, org_id, role, status, gender,
      birth_date, frontline, joined_on, note, created_at, updated_at)
    SELECT p.id, ${m.orgId}, ${role}, ${status}, p.gender, p.birth_date, p.frontline,
      ${m.direct ? (m.joinedOn ?? today) : (m.joinedOn ?? null)}, ${m.note ?? null}, ${ctx.now}, ${ctx.now}
    FROM persons p WHERE p.id = ${m.personId} RETURNING id`);
  const id = rows[0]!.id;
  await audit(tx, ctx, {
    action: m.direct ? 'membership.create' : 'membership.apply',
    entityType: 'membership',
    entityId: id,
    orgId: m.orgId,
    after: { personId: m.personId, orgId: m.orgId, role, status, joinedOn: m.joinedOn ?? null },
  });
  return id;
}
