import type { OrgLevel, OrgType, UnitKind, UnitOwnership } from '../../shared/orgs';
import type { DataScope, Permission } from '../../shared/permissions';
import zh from './zh';

/**
 * English labels of the shared enumerations. A value added to src/shared after this file
 * was written falls back to its Chinese label.
 */
export const enumsEn = {
  orgType: {
    ...zh.orgType,
    ...({
      party_mass_office: 'Party mass-work office',
      union: 'Trade union',
      youth_league: 'Youth League',
      women: "Women's federation",
      science: 'Science association',
      overseas: 'Returned overseas Chinese federation',
      disabled: "Disabled persons' federation",
      literary: 'Literary and art federation',
      commerce: 'Federation of industry and commerce',
      red_cross: 'Red Cross',
    } satisfies Partial<Record<OrgType, string>>),
  },
  orgLevel: {
    ...zh.orgLevel,
    ...({
      city: 'City',
      county: 'County/district',
      township: 'Township/street',
      village: 'Village/community',
      grassroots: 'Grassroots',
    } satisfies Partial<Record<OrgLevel, string>>),
  },
  unitKind: {
    ...zh.unitKind,
    ...({
      enterprise: 'Enterprise',
      community: 'Community',
      village: 'Village',
      school: 'School',
      social_org: 'Social organization',
      platform: 'Platform enterprise',
    } satisfies Partial<Record<UnitKind, string>>),
  },
  unitOwnership: {
    ...zh.unitOwnership,
    ...({
      state: 'State-owned',
      private: 'Non-public',
      social: 'Social organization',
      new_employment: 'New forms of employment',
      public: 'Public institution',
    } satisfies Partial<Record<UnitOwnership, string>>),
  },
  permission: {
    ...zh.permission,
    ...({
      'org:read': 'View organizations',
      'org:write': 'Maintain organizations',
      'unit:read': 'View units',
      'unit:write': 'Maintain units',
      'user:read': 'View users',
      'user:write': 'Maintain users',
      'role:read': 'View roles',
      'role:write': 'Maintain roles',
      'audit:read': 'View operation log',
      'loginlog:read': 'View login log',
      'token:write': 'Manage API tokens',
      'pii:reveal': 'Reveal identity data',
      'person:read': 'View people',
      'person:write': 'Maintain people',
      'person:import': 'Import people',
      'membership:write': 'Handle memberships (join, transfer, leave)',
      'membership:approve': 'Approve joining and transfers',
      'membership:apply': 'Apply for own transfer',
      'appeal:intake': 'Take in appeals',
      'appeal:read': 'View appeals',
      'appeal:handle': 'Handle appeals',
      'appeal:dispatch': 'Dispatch appeals',
      'appeal:supervise': 'Supervise appeals',
      'appeal:config': 'Configure appeal categories, routing and time limits',
      'task:read': 'View tasks',
      'task:write': 'Deploy tasks',
      'task:report': 'Report progress',
      'task:supervise': 'Supervise tasks',
    } satisfies Partial<Record<Permission, string>>),
  },
  dataScope: {
    ...zh.dataScope,
    ...({
      ALL: 'All data',
      CUSTOM: 'Custom organizations',
      ORG: 'Own organization',
      ORG_AND_BELOW: 'Own organization and below',
      SELF: 'Self only',
    } satisfies Partial<Record<DataScope, string>>),
  },
};
