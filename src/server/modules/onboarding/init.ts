/**
 * `niudai init`: turns an empty database into a real city's deployment — the city's regions
 * down to village from the shipped region data, the root organizations named after the city,
 * the built-in roles and the first administrator with a one-time password (which the caller
 * prints once; only its hash is stored, and it must be changed at first login).
 */
import { randomInt } from 'node:crypto';
import type { OrgType } from '../../../shared/orgs.js';
import { checkPassword } from '../../../shared/rules/password.js';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { bulkInsert, type Db, sql } from '../../platform/db/index.js';
import { readRegions } from '../../platform/regions/loadRegions.js';
import { initials } from '../../platform/text.js';
import { ROLE_PERMS } from '../../seed/demo.js';
import { hashPassword } from '../auth/service.js';

export class InitRefused extends Error {}

const USERNAME = /^[a-z][a-z0-9._-]{2,39}$/;
/** Unambiguous characters (no 0/O, 1/l/I) for a password read off a terminal. */
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGIT = '23456789';
const SYMBOL = '@#%+=!?';

/** A random password of `length` characters with every class present (passes the policy). */
export function oneTimePassword(length = 16): string {
  const all = LOWER + UPPER + DIGIT + SYMBOL;
  for (;;) {
    const chars = [LOWER, UPPER, DIGIT, SYMBOL].map((set) => set[randomInt(set.length)]!);
    while (chars.length < length) chars.push(all[randomInt(all.length)]!);
    for (let i = chars.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    const pw = chars.join('');
    if (checkPassword(pw).length === 0) return pw;
  }
}

/**
 * The city-level organizations of each mass-organization type, named the way the city's
 * own are (「张家口市总工会」); all are editable later.
 */
export function rootOrgNames(city: string): { type: OrgType; name: string }[] {
  return [
    { type: 'party_mass_office', name: `中共${city}委群团工作部` },
    { type: 'union', name: `${city}总工会` },
    { type: 'youth_league', name: `共青团${city}委员会` },
    { type: 'women', name: `${city}妇女联合会` },
    { type: 'science', name: `${city}科学技术协会` },
    { type: 'overseas', name: `${city}归国华侨联合会` },
    { type: 'disabled', name: `${city}残疾人联合会` },
    { type: 'literary', name: `${city}文学艺术界联合会` },
    { type: 'commerce', name: `${city}工商业联合会` },
    { type: 'red_cross', name: `${city}红十字会` },
  ];
}

/** What is in the database already: any user, organization or region means "not empty". */
export async function contentCounts(db: Pick<Db, 'query'>) {
  const [r] = await db.query<{ users: number; orgs: number; regions: number }>(sql`SELECT
    (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM orgs) AS orgs,
    (SELECT count(*)::int FROM regions) AS regions`);
  return r!;
}

/** What `serve` logs on a database nobody has initialized. */
export const INIT_HINT =
  'the database is empty (no users): initialize it for your city with `npm run niudai -- init --city <4-digit city code> --admin <username>` (docs/onboarding.md)';

export async function isUninitialized(db: Pick<Db, 'query'>): Promise<boolean> {
  return (await contentCounts(db)).users === 0;
}

export interface InitResult {
  city: { code: string; name: string };
  regions: number;
  orgs: number;
  roles: number;
  admin: { id: number; username: string };
  /** shown once by the caller; never stored or logged */
  password: string;
}

export async function initCity(
  db: Db,
  opts: { cityCode: string; admin: string; now: Date },
): Promise<InitResult> {
  const username = opts.admin.trim().toLowerCase();
  if (!USERNAME.test(username))
    throw new InitRefused(
      `管理员用户名「${opts.admin}」不合规：3–40 位，以小写字母开头，只含小写字母、数字和 . _ -`,
    );
  if (!/^\d{4}$/.test(opts.cityCode))
    throw new InitRefused(
      `城市代码应为 4 位数字（GB/T 2260 地级行政区划代码，如张家口市 1307），收到「${opts.cityCode}」`,
    );
  const before = await contentCounts(db);
  if (before.users + before.orgs + before.regions > 0) throw notEmpty(before);

  const regions: { code: string; name: string; level: number; parentCode: string | null }[] = [];
  try {
    for await (const r of readRegions({ cityCode: opts.cityCode })) regions.push(r);
  } catch (e) {
    if (e instanceof Error && /unknown city code/.test(e.message))
      throw new InitRefused(
        `城市代码 ${opts.cityCode} 不存在：请填写 GB/T 2260 的地级行政区划代码前 4 位（如张家口市 1307、石家庄市 1301）`,
      );
    throw e;
  }
  const province = regions.find((r) => r.level === 1);
  const city = regions.find((r) => r.level === 2)!;
  // a municipality's "city" is 市辖区 / 县: the city is named after the province (北京市)
  const cityName = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/.test(city.name)
    ? (province?.name ?? city.name)
    : city.name;

  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const roots = rootOrgNames(cityName);
  return db.tx(async (tx) => {
    // two inits at once: the second waits here, then finds the database no longer empty
    await tx.query(sql`SELECT pg_advisory_xact_lock(424243)`);
    const now = await contentCounts(tx);
    if (now.users + now.orgs + now.regions > 0) throw notEmpty(now);
    await bulkInsert(
      tx,
      'regions',
      ['code', 'name', 'level', 'parent_code'],
      regions.map((x) => [x.code, x.name, x.level, x.parentCode]),
    );
    // the mass-work office is the root; the city organizations of each type hang under it
    const orgRows = roots.map((o, i) => {
      const id = i + 1;
      return [
        id,
        i === 0 ? null : 1,
        i === 0 ? '/1/' : `/1/${id}/`,
        i === 0 ? 0 : 1,
        o.name,
        initials(o.name),
        o.type,
        'city',
        city.code,
        true,
        opts.now,
        opts.now,
      ];
    });
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
      orgRows,
    );
    await tx.query(sql`SELECT setval(pg_get_serial_sequence('orgs', 'id'), ${orgRows.length})`);
    const roleIds: Record<string, number> = {};
    for (const [key, def] of Object.entries(ROLE_PERMS)) {
      const r = await tx.query<{
        id: number;
      }>(sql`INSERT INTO roles (key, name, permissions, data_scope, builtin,
          created_at, updated_at)
        VALUES (${key}, ${def.name}, ${def.perms}::text[], ${def.scope}, true, ${opts.now}, ${opts.now}) RETURNING id`);
      roleIds[key] = r[0]!.id;
    }
    const u = await tx.query<{
      id: number;
    }>(sql`INSERT INTO users (username, display_name, org_id, password_hash,
        must_change_password, created_at, updated_at)
      VALUES (${username}, '平台管理员', 1, ${passwordHash}, true, ${opts.now}, ${opts.now}) RETURNING id`);
    const adminId = u[0]!.id;
    await tx.query(sql`INSERT INTO user_roles (user_id, role_id) VALUES (${adminId}, ${roleIds.admin!})`);
    await audit(
      tx,
      { actor: SYSTEM_ACTOR, requestId: 'init', ip: null, now: opts.now },
      {
        action: 'system.init',
        entityType: 'system',
        entityId: null,
        after: {
          city: city.code,
          cityName,
          regions: regions.length,
          orgs: orgRows.length,
          roles: Object.keys(roleIds).length,
          admin: username,
        },
      },
    );
    return {
      city: { code: city.code, name: cityName },
      regions: regions.length,
      orgs: orgRows.length,
      roles: Object.keys(roleIds).length,
      admin: { id: adminId, username },
      password,
    };
  });
}

function notEmpty(c: { users: number; orgs: number; regions: number }) {
  return new InitRefused(
    `数据库不是空的（已有 ${c.users} 个用户、${c.orgs} 个组织、${c.regions} 个行政区划）：init 只用于新部署的空数据库，未做任何改动。` +
      '已初始化的系统请用管理员账号登录；要重新开始，请换一个空数据库（DATABASE_URL）或空的数据目录（NIUDAI_DATA_DIR）。',
  );
}
