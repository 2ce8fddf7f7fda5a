import type { OrgLevel, OrgType } from '../../shared/orgs.js';
import { ALL_PERMISSIONS, type Permission } from '../../shared/permissions.js';
import { makeCreditCode } from '../../shared/rules/creditCode.js';
import { seedDemoAppeals } from '../modules/appeals/seed.js';
import { seedDemoAssessment } from '../modules/assessment/seed.js';
import { seedAssistance } from '../modules/assistance/seed.js';
import { hashPassword } from '../modules/auth/service.js';
import { seedPeople } from '../modules/people/seed.js';
import { seedDemoStats } from '../modules/stats/seed.js';
import { seedDemoTasks } from '../modules/tasks/seed.js';
import { seedDemoVolunteers } from '../modules/volunteers/seed.js';
import { SYSTEM_ACTOR } from '../platform/actor.js';
import { audit } from '../platform/audit.js';
import { bulkInsert, type Db, sql } from '../platform/db/index.js';
import type { Pii } from '../platform/pii.js';
import { readRegions } from '../platform/regions/loadRegions.js';
import { initials } from '../platform/text.js';
import {
  enterpriseName,
  isCommunity,
  pick,
  platformName,
  rng,
  schoolName,
  shortPlace,
  socialOrgName,
} from './names.js';

export const DEMO_PASSWORD = 'Demo@2026!';
export const CITY_NAME = '示范市';

interface OrgSeed {
  id: number;
  parentId: number | null;
  path: string;
  depth: number;
  name: string;
  type: OrgType;
  level: OrgLevel;
  region: string;
}

interface Region {
  code: string;
  name: string;
  level: number;
  parentCode: string | null;
}

/** Builds the organization tree in memory; ids are assigned in order. */
class OrgTree {
  readonly rows: OrgSeed[] = [];
  private readonly names = new Set<string>();
  add(parent: OrgSeed | null, name: string, type: OrgType, level: OrgLevel, region: string): OrgSeed {
    let unique = name;
    for (let i = 2; this.names.has(`${parent?.id ?? 0}/${unique}`); i++) unique = `${name}（${i}）`;
    this.names.add(`${parent?.id ?? 0}/${unique}`);
    const id = this.rows.length + 1;
    const row = {
      id,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      name: unique,
      type,
      level,
      region,
    };
    this.rows.push(row);
    return row;
  }
}

export const ROLE_PERMS: Record<string, { name: string; scope: string; perms: Permission[] }> = {
  admin: { name: '平台管理员', scope: 'ALL', perms: ALL_PERMISSIONS },
  org_admin: {
    name: '组织管理员',
    scope: 'ORG_AND_BELOW',
    perms: [
      'org:read',
      'org:write',
      'unit:read',
      'unit:write',
      'user:read',
      'user:write',
      'role:read',
      'audit:read',
      'loginlog:read',
      'token:write',
      'appeal:read',
      'appeal:handle',
      'appeal:dispatch',
      'task:read',
      'task:write',
      'task:report',
      'person:read',
      'person:write',
      'person:import',
      'membership:write',
      'membership:approve',
      'stats:read',
      'stats:fill',
      'stats:review',
      'assess:read',
      'assess:score',
      'assess:manage',
      'activity:read',
      'activity:write',
      'volunteer:hours',
      'assist:read',
      'assist:write',
      'assist:review',
      'assist:program',
      'assist:disburse',
    ],
  },
  staff: {
    name: '工作人员',
    scope: 'ORG',
    perms: [
      'org:read',
      'unit:read',
      'appeal:read',
      'appeal:handle',
      'task:read',
      'task:report',
      'person:read',
      'person:write',
      'membership:write',
      'stats:read',
      'stats:fill',
      'assess:read',
      'assess:score',
      'activity:read',
      'activity:write',
      'assist:read',
      'assist:write',
    ],
  },
  hotline: {
    name: '热线坐席',
    scope: 'ALL',
    perms: ['org:read', 'unit:read', 'appeal:intake', 'appeal:read', 'appeal:dispatch'],
  },
  supervisor: {
    name: '督查督办',
    scope: 'ALL',
    perms: [
      'org:read',
      'unit:read',
      'user:read',
      'audit:read',
      'loginlog:read',
      'appeal:read',
      'appeal:supervise',
      'task:read',
      'task:supervise',
      'person:read',
      'stats:read',
      'assess:read',
      'activity:read',
      'volunteer:review',
      'assist:read',
    ],
  },
  self: { name: '个人', scope: 'SELF', perms: ['membership:apply', 'org:read'] },
};

/**
 * Seeds the fictitious demo city 示范市 over the real region codes of one prefecture
 * (default 1307): every mass organization where it exists at each level, grassroots units
 * with valid credit codes, roles and one user per role. Deterministic. `large` adds
 * grassroots unions until there are 100,000 organizations (for benchmarks).
 */
export async function seedDemo(
  db: Db,
  pii: Pii,
  opts: { cityCode: string; scale: 'demo' | 'large'; now: Date },
) {
  const r = rng(20261126);
  const regions: Region[] = [];
  for await (const reg of readRegions({ cityCode: opts.cityCode })) regions.push(reg);
  const city = regions.find((x) => x.level === 2)!;
  const childrenOf = (code: string) => regions.filter((x) => x.parentCode === code);
  const counties = childrenOf(city.code);

  const t = new OrgTree();
  const root = t.add(null, `中共${CITY_NAME}委群团工作部`, 'party_mass_office', 'city', city.code);
  const cityOrgs: Partial<Record<OrgType, OrgSeed>> = {};
  const CITY: [OrgType, string][] = [
    ['union', `${CITY_NAME}总工会`],
    ['youth_league', `共青团${CITY_NAME}委员会`],
    ['women', `${CITY_NAME}妇女联合会`],
    ['science', `${CITY_NAME}科学技术协会`],
    ['overseas', `${CITY_NAME}归国华侨联合会`],
    ['disabled', `${CITY_NAME}残疾人联合会`],
    ['literary', `${CITY_NAME}文学艺术界联合会`],
    ['commerce', `${CITY_NAME}工商业联合会`],
    ['red_cross', `${CITY_NAME}红十字会`],
  ];
  for (const [type, name] of CITY) cityOrgs[type] = t.add(root, name, type, 'city', city.code);

  const townshipUnions: { org: OrgSeed; region: Region; women: OrgSeed; youth: OrgSeed }[] = [];
  const villageOrgs = new Map<string, OrgSeed[]>();
  for (const county of counties) {
    const cn = county.name;
    t.add(root, `中共${cn}委群团工作部`, 'party_mass_office', 'county', county.code);
    const cu = t.add(cityOrgs.union!, `${cn}总工会`, 'union', 'county', county.code);
    const cy = t.add(cityOrgs.youth_league!, `共青团${cn}委员会`, 'youth_league', 'county', county.code);
    const cw = t.add(cityOrgs.women!, `${cn}妇女联合会`, 'women', 'county', county.code);
    const cd = t.add(cityOrgs.disabled!, `${cn}残疾人联合会`, 'disabled', 'county', county.code);
    t.add(cityOrgs.science!, `${cn}科学技术协会`, 'science', 'county', county.code);
    t.add(cityOrgs.overseas!, `${cn}归国华侨联合会`, 'overseas', 'county', county.code);
    for (const town of childrenOf(county.code)) {
      const tn = shortPlace(town.name);
      const tu = t.add(cu, `${tn}总工会`, 'union', 'township', town.code);
      const ty = t.add(cy, `共青团${tn}委员会`, 'youth_league', 'township', town.code);
      const tw = t.add(cw, `${tn}妇女联合会`, 'women', 'township', town.code);
      t.add(cd, `${tn}残疾人联合会`, 'disabled', 'township', town.code);
      townshipUnions.push({ org: tu, region: town, women: tw, youth: ty });
      for (const v of childrenOf(town.code)) {
        const vn = shortPlace(v.name);
        const list = [
          t.add(tw, `${vn}妇女联合会`, 'women', 'village', v.code),
          t.add(ty, `共青团${vn}支部委员会`, 'youth_league', 'village', v.code),
        ];
        if (isCommunity(v.name)) list.push(t.add(tu, `${vn}工会联合会`, 'union', 'village', v.code));
        villageOrgs.set(v.code, list);
      }
    }
  }

  // grassroots units: enterprises (with and without unions), schools, social organizations, platforms, villages
  type UnitSeed = {
    name: string;
    kind: string;
    ownership: string;
    credit: string | null;
    region: string;
    orgId: number;
    headcount: number;
    covering: number[];
  };
  const units: UnitSeed[] = [];
  let serial = 0;
  for (const tu of townshipUnions) {
    const place = shortPlace(tu.region.name);
    const nEnterprises = 4 + Math.floor(r() * 5);
    for (let i = 0; i < nEnterprises; i++) {
      serial++;
      const headcount = 10 + Math.floor(r() * r() * 1500);
      const ownership = r() < 0.2 ? 'state' : 'private';
      const credit = makeCreditCode(
        `91${tu.region.code.slice(0, 6)}${String(serial)
          .padStart(9, '0')
          .replace(/0/g, () => pick(r, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'B', 'C']))}`,
      );
      const name = enterpriseName(r, place);
      const covered = ownership === 'state' || r() < 0.55;
      const covering: number[] = [];
      if (covered)
        covering.push(t.add(tu.org, `${name}工会委员会`, 'union', 'grassroots', tu.region.code).id);
      if (covered && headcount > 300)
        covering.push(
          t.add(tu.youth, `共青团${name}委员会`, 'youth_league', 'grassroots', tu.region.code).id,
        );
      units.push({
        name,
        kind: 'enterprise',
        ownership,
        credit,
        region: tu.region.code,
        orgId: tu.org.id,
        headcount,
        covering,
      });
    }
    if (r() < 0.5)
      units.push({
        name: socialOrgName(r, place),
        kind: 'social_org',
        ownership: 'social',
        credit: null,
        region: tu.region.code,
        orgId: tu.org.id,
        headcount: 5 + Math.floor(r() * 40),
        covering: [],
      });
    if (r() < 0.4)
      units.push({
        name: platformName(r, place, serial),
        kind: 'platform',
        ownership: 'new_employment',
        credit: null,
        region: tu.region.code,
        orgId: tu.org.id,
        headcount: 20 + Math.floor(r() * 200),
        covering: [],
      });
    units.push({
      name: schoolName(place, '中心小学'),
      kind: 'school',
      ownership: 'public',
      credit: null,
      region: tu.region.code,
      orgId: tu.org.id,
      headcount: 30 + Math.floor(r() * 80),
      covering: [],
    });
    for (const v of childrenOf(tu.region.code)) {
      const vn = shortPlace(v.name);
      units.push({
        name: vn,
        kind: isCommunity(v.name) ? 'community' : 'village',
        ownership: 'public',
        credit: null,
        region: v.code,
        orgId: tu.org.id,
        headcount: 200 + Math.floor(r() * 3000),
        covering: (villageOrgs.get(v.code) ?? []).map((o) => o.id),
      });
    }
  }
  // a well-known uncovered enterprise for demos and browser tests
  const first = townshipUnions[0]!;
  units.push({
    name: '示范市新业态物流科技有限公司',
    kind: 'enterprise',
    ownership: 'new_employment',
    credit: makeCreditCode('91130702MA0DEM801'),
    region: first.region.code,
    orgId: first.org.id,
    headcount: 2600,
    covering: [],
  });

  if (opts.scale === 'large') {
    let k = 0;
    while (t.rows.length < 100_000) {
      const tu = townshipUnions[k % townshipUnions.length]!;
      k++;
      t.add(tu.org, `${shortPlace(tu.region.name)}第${k}基层工会`, 'union', 'grassroots', tu.region.code);
    }
  }

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.tx(async (tx) => {
    await bulkInsert(
      tx,
      'regions',
      ['code', 'name', 'level', 'parent_code'],
      regions.map((x) => [x.code, x.name, x.level, x.parentCode]),
    );
    await bulkInsert(
      tx,
      'orgs',
      [
        'id',
        'parent_id',
        'path',
        'depth',
        'name',
        'name_initials',
        'type',
        'level',
        'region_code',
        'takes_appeals',
        'created_at',
        'updated_at',
      ],
      t.rows.map((o) => [
        o.id,
        o.parentId,
        o.path,
        o.depth,
        o.name,
        initials(o.name),
        o.type,
        o.level,
        o.region,
        o.level !== 'grassroots',
        opts.now,
        opts.now,
      ]),
    );
    await tx.query(sql`SELECT setval(pg_get_serial_sequence('orgs', 'id'), ${t.rows.length})`);
    await bulkInsert(
      tx,
      'units',
      [
        'id',
        'name',
        'kind',
        'ownership',
        'credit_code',
        'region_code',
        'org_id',
        'headcount',
        'created_at',
        'updated_at',
      ],
      units.map((u, i) => [
        i + 1,
        u.name,
        u.kind,
        u.ownership,
        u.credit,
        u.region,
        u.orgId,
        u.headcount,
        opts.now,
        opts.now,
      ]),
    );
    await tx.query(sql`SELECT setval(pg_get_serial_sequence('units', 'id'), ${units.length})`);
    await bulkInsert(
      tx,
      'unit_coverage',
      ['unit_id', 'org_id'],
      units.flatMap((u, i) => u.covering.map((o) => [i + 1, o])),
    );

    const roleIds: Record<string, number> = {};
    for (const [key, def] of Object.entries(ROLE_PERMS)) {
      const rows = await tx.query<{
        id: number;
      }>(sql`INSERT INTO roles (key, name, permissions, data_scope, builtin, created_at, updated_at)
        VALUES (${key}, ${def.name}, ${def.perms}::text[], ${def.scope}, true, ${opts.now}, ${opts.now}) RETURNING id`);
      roleIds[key] = rows[0]!.id;
    }
    const county1 = t.rows.find(
      (o) => o.type === 'union' && o.level === 'county' && o.region === counties[0]!.code,
    )!;
    const county2 = t.rows.find(
      (o) => o.type === 'union' && o.level === 'county' && o.region === counties[1]!.code,
    )!;
    const town1 = t.rows.find((o) => o.parentId === county1.id && o.level === 'township')!;
    const users: [string, string, number, string, string][] = [
      ['admin', '平台管理员', root.id, 'admin', '13800000001'],
      ['city.union', '市总工会管理员', cityOrgs.union!.id, 'org_admin', '13800000002'],
      ['county1.union', `${county1.name}管理员`, county1.id, 'org_admin', '13800000003'],
      ['county2.union', `${county2.name}管理员`, county2.id, 'org_admin', '13800000004'],
      ['town1.union', `${town1.name}工作人员`, town1.id, 'staff', '13800000005'],
      ['hotline', '热线坐席', root.id, 'hotline', '13800000006'],
      ['supervisor', '督查室', root.id, 'supervisor', '13800000007'],
      ['member', '会员个人', town1.id, 'self', '13800000008'],
    ];
    for (const [username, displayName, orgId, role, phone] of users) {
      const u = await tx.query<{
        id: number;
      }>(sql`INSERT INTO users (username, display_name, org_id, password_hash, phone_enc, phone_hash, created_at, updated_at)
        VALUES (${username}, ${displayName}, ${orgId}, ${passwordHash}, ${pii.encrypt(phone)}, ${pii.hash(phone)}, ${opts.now}, ${opts.now}) RETURNING id`);
      await tx.query(sql`INSERT INTO user_roles (user_id, role_id) VALUES (${u[0]!.id}, ${roleIds[role]!})`);
    }
    await audit(
      tx,
      { actor: SYSTEM_ACTOR, requestId: 'seed', ip: null, now: opts.now },
      {
        action: 'system.seed',
        entityType: 'system',
        entityId: null,
        after: {
          scale: opts.scale,
          regions: regions.length,
          orgs: t.rows.length,
          units: units.length,
          users: users.length,
        },
      },
    );
  });
  const people = await seedPeople(db, pii, { now: opts.now, scale: opts.scale });
  const appeals = await seedDemoAppeals(db, pii, opts.now);
  const tasks = await seedDemoTasks(db, opts.now);
  const stats = await seedDemoStats(db, opts.now);
  const assessment = await seedDemoAssessment(db, opts.now);
  const volunteers = await seedDemoVolunteers(db, opts.now);
  await seedAssistance(db, pii, opts.now);
  return {
    regions: regions.length,
    orgs: t.rows.length,
    units: units.length,
    ...people,
    appeals,
    tasks,
    stats,
    assessment,
    volunteers,
  };
}
