/** Organization types and levels of the mass-organization system. */
export const ORG_TYPES = {
  party_mass_office: '党委群团工作部门',
  union: '工会',
  youth_league: '共青团',
  women: '妇联',
  science: '科协',
  overseas: '侨联',
  disabled: '残联',
  literary: '文联',
  commerce: '工商联',
  red_cross: '红十字会',
} as const;
export type OrgType = keyof typeof ORG_TYPES;

export const ORG_LEVELS = {
  city: '市',
  county: '县区',
  township: '乡镇街道',
  village: '村社区',
  grassroots: '基层单位',
} as const;
export type OrgLevel = keyof typeof ORG_LEVELS;
export const LEVEL_ORDER: OrgLevel[] = ['city', 'county', 'township', 'village', 'grassroots'];

export const UNIT_KINDS = {
  enterprise: '企业',
  community: '社区',
  village: '村',
  school: '学校',
  social_org: '社会组织',
  platform: '新就业形态平台企业',
} as const;
export type UnitKind = keyof typeof UNIT_KINDS;

export const UNIT_OWNERSHIP = {
  state: '国有',
  private: '非公',
  social: '社会组织',
  new_employment: '新就业形态',
  public: '公共机构',
} as const;
export type UnitOwnership = keyof typeof UNIT_OWNERSHIP;
