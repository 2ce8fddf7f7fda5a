import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import type { MembershipView, PersonView } from '../../../../shared/contracts/people.js';
import {
  DISABILITY_CATEGORIES,
  type DisabilityCategory,
  GENDERS,
  MEMBERSHIP_ROLES,
  MEMBERSHIP_STATUS,
  type MembershipRole,
  PERSON_GROUPS,
  type PersonGroup,
} from '../../../../shared/people/dicts.js';
import { ageOn } from '../../../../shared/people/rules.js';
import type { Actor } from '../../../platform/actor.js';
import type { MembershipRow, PersonRow } from './repo.js';

/** Whitelists a person's fields; identity data only in its stored masked form. */
export function presentPerson(r: PersonRow, actor: Actor, now: Date): PersonView {
  return {
    id: r.id,
    name: r.name,
    gender: r.gender,
    genderLabel: GENDERS[r.gender],
    birthDate: r.birth_date,
    age: ageOn(r.birth_date, shanghaiYmd(now)),
    idNumber: r.id_mask,
    phone: r.phone_mask,
    ethnicity: r.ethnicity,
    education: r.education as PersonView['education'],
    politicalStatus: r.political_status as PersonView['politicalStatus'],
    frontline: r.frontline,
    groups: (r.groups ?? []).map((g) => ({
      code: g as PersonGroup,
      label: PERSON_GROUPS[g as PersonGroup] ?? g,
    })),
    disability: r.disability_category
      ? {
          category: r.disability_category as DisabilityCategory,
          categoryLabel:
            DISABILITY_CATEGORIES[r.disability_category as DisabilityCategory] ?? r.disability_category,
          grade: r.disability_grade ?? 0,
        }
      : null,
    hardshipLevel: r.hardship_level as PersonView['hardshipLevel'],
    employer: r.employer_unit_id ? { id: r.employer_unit_id, name: r.employer_name ?? '' } : null,
    regionCode: r.region_code,
    regionName: r.region_name,
    address: r.address,
    orgId: r.org_id,
    orgName: r.org_name,
    version: r.version,
    abilities: {
      update: actor.permissions.has('person:write'),
      reveal: actor.permissions.has('pii:reveal'),
      apply: actor.permissions.has('membership:apply') && r.user_id === actor.userId,
    },
  };
}

export function presentMembership(r: MembershipRow, actor: Actor): MembershipView {
  const live = r.status === 'active';
  return {
    id: r.id,
    personId: r.person_id,
    personName: r.person_name,
    orgId: r.org_id,
    orgName: r.org_name,
    orgType: r.org_type,
    role: r.role as MembershipRole,
    roleLabel: MEMBERSHIP_ROLES[r.role as MembershipRole] ?? r.role,
    status: r.status,
    statusLabel: MEMBERSHIP_STATUS[r.status],
    joinedOn: r.joined_on,
    leftOn: r.left_on,
    endReason: r.end_reason,
    note: r.note,
    version: r.version,
    abilities: {
      approve: r.status === 'pending' && actor.permissions.has('membership:approve'),
      leave: live && actor.permissions.has('membership:write'),
      transfer:
        live && (actor.permissions.has('membership:write') || actor.permissions.has('membership:apply')),
    },
  };
}

/** The audit snapshot of a person: masked identity data only. */
export function auditPerson(r: PersonRow) {
  return {
    name: r.name,
    gender: r.gender,
    birthDate: r.birth_date,
    idNumber: r.id_mask,
    phone: r.phone_mask,
    ethnicity: r.ethnicity,
    education: r.education,
    politicalStatus: r.political_status,
    frontline: r.frontline,
    groups: r.groups,
    disabilityCategory: r.disability_category,
    disabilityGrade: r.disability_grade,
    hardshipLevel: r.hardship_level,
    employerUnitId: r.employer_unit_id,
    regionCode: r.region_code,
    address: r.address,
    orgId: r.org_id,
    version: r.version,
  };
}

export const auditMembership = (r: MembershipRow) => ({
  personId: r.person_id,
  orgId: r.org_id,
  role: r.role,
  status: r.status,
  joinedOn: r.joined_on,
  leftOn: r.left_on,
  endReason: r.end_reason,
  version: r.version,
});
