/**
 * Membership rules per organization type, as configuration: which roles an organization of
 * a type has, who may be a member, and when a membership ends by itself (the Youth League
 * ends at 28 unless the person holds a post). Pure: the server and the web both use them.
 */
import type { OrgType } from '../orgs.js';
import { type Gender, type MembershipRole, type PersonGroup, POST_ROLES } from './dicts.js';

export interface OrgTypeRule {
  /** roles an organization of this type may give */
  roles: readonly MembershipRole[];
  /** the plain membership role (会员, 团员), or null where the type has no individual members */
  memberRole: MembershipRole | null;
  /** minimum age (full years) to join as a member */
  minAge?: number;
  /** age at which plain membership ends (Youth League: 28) */
  maxAge?: number;
  /** holding a post exempts from maxAge */
  postExemptsMaxAge?: boolean;
  /** a member must carry this group tag (e.g. 残疾人 for the disabled persons' federation) */
  memberGroup?: PersonGroup;
  /** a member must be of this gender */
  memberGender?: Gender;
}

const CADRES: MembershipRole[] = ['cadre_full', 'cadre_part', 'cadre_secondment'];

export const MEMBERSHIP_RULES: Record<OrgType, OrgTypeRule> = {
  union: { roles: ['member', 'committee', 'representative', ...CADRES], memberRole: 'member', minAge: 16 },
  youth_league: {
    roles: ['league_member', 'committee', 'representative', ...CADRES],
    memberRole: 'league_member',
    minAge: 14,
    maxAge: 28,
    postExemptsMaxAge: true,
  },
  women: { roles: ['committee', 'representative', ...CADRES], memberRole: null },
  science: { roles: ['member', 'committee', 'representative', ...CADRES], memberRole: 'member', minAge: 18 },
  overseas: {
    roles: ['member', 'committee', 'representative', ...CADRES],
    memberRole: 'member',
    memberGroup: 'returned_overseas',
  },
  disabled: {
    roles: ['member', 'committee', 'representative', ...CADRES],
    memberRole: 'member',
    memberGroup: 'disabled',
  },
  literary: { roles: ['member', 'committee', 'representative', ...CADRES], memberRole: 'member', minAge: 18 },
  commerce: { roles: ['member', 'committee', 'representative', ...CADRES], memberRole: 'member', minAge: 18 },
  red_cross: { roles: ['member', 'committee', 'representative', ...CADRES], memberRole: 'member' },
  party_mass_office: { roles: CADRES, memberRole: null },
};

/** Full years between a 'YYYY-MM-DD' birth date and a 'YYYY-MM-DD' day. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  // 'MM-DD' compares as text
  return day.slice(5, 10) < birthDate.slice(5, 10) ? years - 1 : years;
}

export interface Candidate {
  birthDate: string;
  gender: Gender;
  groups: readonly string[];
}

/**
 * Why a person may not take a role in an organization of a type (a Chinese message), or null.
 * `holdsPost`: the person holds a post in an organization of the same type.
 */
export function eligibility(
  orgType: OrgType,
  role: MembershipRole,
  person: Candidate,
  today: string,
  holdsPost = false,
): string | null {
  const rule = MEMBERSHIP_RULES[orgType];
  if (!rule.roles.includes(role)) return '该类组织没有此身份';
  if (role !== rule.memberRole) return null;
  const age = ageOn(person.birthDate, today);
  if (rule.minAge !== undefined && age < rule.minAge) return `未满${rule.minAge}周岁，不能加入`;
  if (rule.maxAge !== undefined && age >= rule.maxAge && !(rule.postExemptsMaxAge && holdsPost))
    return `已满${rule.maxAge}周岁，不能加入`;
  if (rule.memberGroup && !person.groups.includes(rule.memberGroup)) return '不符合该组织的会员条件';
  if (rule.memberGender && person.gender !== rule.memberGender) return '不符合该组织的会员条件';
  return null;
}

/** Whether a live membership has ended by age (e.g. a 团员 of 28 who holds no post). */
export function agedOut(
  orgType: OrgType,
  role: MembershipRole,
  birthDate: string,
  today: string,
  holdsPost: boolean,
): boolean {
  const rule = MEMBERSHIP_RULES[orgType];
  if (rule.maxAge === undefined || role !== rule.memberRole) return false;
  if (rule.postExemptsMaxAge && holdsPost) return false;
  return ageOn(birthDate, today) >= rule.maxAge;
}

/** The birth date at or before which a person has reached `years` on `today` (YYYY-MM-DD). */
export function bornOnOrBefore(today: string, years: number): string {
  const [y, m, d] = today.split('-') as [string, string, string];
  const year = String(Number(y) - years).padStart(4, '0');
  if (m === '02' && d === '29') {
    const n = Number(year);
    const leap = (n % 4 === 0 && n % 100 !== 0) || n % 400 === 0;
    return `${year}-02-${leap ? '29' : '28'}`;
  }
  return `${year}-${m}-${d}`;
}

export const isPost = (role: string): boolean => (POST_ROLES as readonly string[]).includes(role);
