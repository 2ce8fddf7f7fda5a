import type { PersonListQuery } from '../../../../shared/contracts/people.js';
import type { Actor } from '../../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../../platform/db/index.js';
import { likeEscape, toSimplified } from '../../../platform/text.js';
import { orgIdInScope, personScope } from '../scope.js';

export interface PersonRow {
  id: number;
  name: string;
  gender: 'M' | 'F';
  birth_date: string;
  id_mask: string;
  phone_mask: string | null;
  ethnicity: string | null;
  education: string | null;
  political_status: string | null;
  frontline: boolean;
  groups: string[];
  disability_category: string | null;
  disability_grade: number | null;
  hardship_level: string | null;
  employer_unit_id: number | null;
  employer_name: string | null;
  region_code: string | null;
  region_name: string | null;
  address: string | null;
  org_id: number;
  org_name: string;
  user_id: number | null;
  version: number;
}

export interface MembershipRow {
  id: number;
  person_id: number;
  person_name: string;
  org_id: number;
  org_name: string;
  org_type: string;
  role: string;
  status: 'pending' | 'active' | 'left' | 'rejected';
  joined_on: string | null;
  left_on: string | null;
  end_reason: string | null;
  note: string | null;
  version: number;
}

export const PERSON_SELECT = sql`SELECT p.id, p.name, p.gender, p.birth_date, p.id_mask, p.phone_mask, p.ethnicity,
    p.education, p.political_status, p.frontline, p.groups, p.disability_category, p.disability_grade,
    p.hardship_level, p.employer_unit_id, un.name AS employer_name, p.region_code, r.name AS region_name, p.address,
    p.org_id, o.name AS org_name, p.user_id, p.version
  FROM persons p JOIN orgs o ON o.id = p.org_id
  LEFT JOIN units un ON un.id = p.employer_unit_id LEFT JOIN regions r ON r.code = p.region_code`;

export const MEMBERSHIP_SELECT = sql`SELECT m.id, m.person_id, p.name AS person_name, m.org_id, o.name AS org_name,
    o.type AS org_type, m.role, m.status, m.joined_on, m.left_on, m.end_reason, m.note, m.version
  FROM memberships m JOIN persons p ON p.id = m.person_id JOIN orgs o ON o.id = m.org_id`;

/** The filter of a person list (also used by the export). */
export function personFilter(actor: Actor, f: Omit<PersonListQuery, 'page' | 'pageSize'>): Sql {
  const conds: Sql[] = [personScope(actor)];
  if (f.orgId) {
    const orgCond =
      f.subtree === 'true'
        ? sql`m.org_id IN (SELECT d.id FROM orgs d WHERE d.path LIKE (SELECT x.path FROM orgs x WHERE x.id = ${f.orgId}) || '%')`
        : sql`m.org_id = ${f.orgId}`;
    conds.push(sql`(p.id IN (SELECT m.person_id FROM memberships m WHERE ${orgCond} AND m.status IN ('pending', 'active')
      ${f.role ? sql`AND m.role = ${f.role}` : sql``}) ${f.role ? sql`` : sql`OR p.org_id = ${f.orgId}`})`);
  } else if (f.role) {
    conds.push(
      sql`EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.role = ${f.role} AND m.status = 'active'
        AND ${orgIdInScope(actor, sql.raw('m.org_id'))})`,
    );
  }
  if (f.group) conds.push(sql`${f.group} = ANY(p.groups)`);
  if (f.gender) conds.push(sql`p.gender = ${f.gender}`);
  if (f.frontline) conds.push(sql`p.frontline = ${f.frontline === 'true'}`);
  if (f.employerUnitId) conds.push(sql`p.employer_unit_id = ${f.employerUnitId}`);
  if (f.q) {
    // names only: identity numbers are looked up by POST (never in a URL, which is logged)
    const q = f.q.trim();
    conds.push(sql`(p.name LIKE ${`${likeEscape(q)}%`} OR p.name LIKE ${`${likeEscape(toSimplified(q))}%`})`);
  }
  return sql.and(conds);
}

export async function findPersons(
  q: Queryable,
  where: Sql,
  page: { page: number; pageSize: number },
): Promise<{ items: PersonRow[]; total: number }> {
  const [items, count] = await Promise.all([
    q.query<PersonRow>(
      sql`${PERSON_SELECT} WHERE ${where} ORDER BY p.id DESC LIMIT ${page.pageSize} OFFSET ${(page.page - 1) * page.pageSize}`,
    ),
    q.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM persons p WHERE ${where}`),
  ]);
  return { items, total: count[0]?.n ?? 0 };
}

export async function getPerson(q: Queryable, id: number, lock = false): Promise<PersonRow | undefined> {
  const rows = await q.query<PersonRow>(
    sql`${PERSON_SELECT} WHERE p.id = ${id} ${sql.raw(lock ? 'FOR UPDATE OF p' : '')}`,
  );
  return rows[0];
}

export async function findIdByHash(q: Queryable, idHash: string, lock = false): Promise<number | undefined> {
  const rows = await q.query<{ id: number }>(
    sql`SELECT id FROM persons WHERE id_hash = ${idHash} ${sql.raw(lock ? 'FOR UPDATE' : '')}`,
  );
  return rows[0]?.id;
}

/** Memberships of a person, limited to organizations in the actor's scope (all of them for ALL). */
export async function membershipsOf(q: Queryable, actor: Actor, personId: number): Promise<MembershipRow[]> {
  const own = actor.scope.self ? sql`OR p.user_id = ${actor.userId}` : sql``;
  return q.query<MembershipRow>(sql`${MEMBERSHIP_SELECT}
    WHERE m.person_id = ${personId} AND (${orgIdInScope(actor, sql.raw('m.org_id'))} ${own})
    ORDER BY (m.status IN ('pending', 'active')) DESC, m.id DESC`);
}

export async function getSecrets(q: Queryable, id: number) {
  const rows = await q.query<{ id_enc: string; phone_enc: string | null; org_id: number }>(
    sql`SELECT id_enc, phone_enc, org_id FROM persons WHERE id = ${id}`,
  );
  return rows[0];
}
