/**
 * The organization tree import: rows parsed and checked one by one, the tree planned against
 * the organizations in the importer's scope (orgTree.ts), then — only when no row has an
 * error and it is not a dry run — written in one transaction: new organizations in one
 * multi-row INSERT with their paths, changed ones in one UPDATE. Nothing half-applied.
 */

import { codeOfLabel } from '../../../shared/onboarding/columns.js';
import { ORG_LEVELS, ORG_TYPES, type OrgLevel, type OrgType } from '../../../shared/orgs.js';
import { validateCreditCode } from '../../../shared/rules/creditCode.js';
import { parsePhone } from '../../../shared/rules/phone.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import { type Col, rowsOf } from '../../platform/db/rows.js';
import { initials } from '../../platform/text.js';
import type { FileRow } from './files.js';
import type { ExistingOrg, OrgInput, OrgPlan, PlanError } from './orgTree.js';

export interface CityRegions {
  /** the 4-digit prefix of the deployment's city, null when the database holds no city */
  prefix: string | null;
  codes: Set<string>;
}

export async function cityRegions(q: Queryable): Promise<CityRegions> {
  const rows = await q.query<{ code: string; level: number }>(sql`SELECT code, level FROM regions`);
  const city = rows.find((r) => r.level === 2);
  return { prefix: city ? city.code.slice(0, 4) : null, codes: new Set(rows.map((r) => r.code)) };
}

/** A region cell (6, 9 or 12 digits) checked against the deployment's city. */
export function regionOf(value: string, city: CityRegions): { code: string } | { message: string } {
  const v = value.replace(/\s/g, '');
  if (!v) return { message: '行政区划代码不能为空' };
  if (!/^\d+$/.test(v) || ![4, 6, 9, 12].includes(v.length))
    return { message: '行政区划代码应为 4、6、9 或 12 位数字（市、县区、乡镇街道、村社区）' };
  const code = v.padEnd(12, '0');
  if (city.prefix && !code.startsWith(city.prefix)) return { message: '行政区划不在本市范围内' };
  if (!city.codes.has(code)) return { message: '行政区划代码不存在' };
  return { code };
}

const YES = new Set(['是', 'Y', 'y', '1', 'true', 'TRUE', '√']);
const NO = new Set(['否', 'N', 'n', '0', 'false', 'FALSE']);

/** Parses one row of the organization template; errors name the column, never repeat the value. */
export function parseOrgRow(
  r: FileRow,
  city: CityRegions,
): { ok: true; row: OrgInput } | { ok: false; errors: PlanError[] } {
  const errors: PlanError[] = [];
  const err = (column: string, message: string) => errors.push({ row: r.no, column, message });
  if (r.oversize)
    return { ok: false, errors: [{ row: r.no, column: null, message: '单元格内容过长（超过500字）' }] };
  const code = r.get('code') || null;
  if (code && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(code))
    err('组织编码', '组织编码只能含字母、数字和 . _ -，最长40位');
  const name = r.get('name');
  if (!name) err('组织全称', '组织全称不能为空');
  else if (name.length < 2 || name.length > 100) err('组织全称', '组织全称应为2–100字');
  else if (/[/／>＞]/.test(name)) err('组织全称', '组织全称不能含 / 或 >（它们用于名称路径）');
  const shortName = r.get('shortName') || null;
  if (shortName && shortName.length > 50) err('简称', '简称最长50字');
  const type = codeOfLabel(ORG_TYPES, r.get('type')) as OrgType | null;
  if (!type) err('组织类型', `组织类型不正确，可选：${Object.values(ORG_TYPES).join('、')}`);
  const level = codeOfLabel(ORG_LEVELS, r.get('level')) as OrgLevel | null;
  if (!level) err('层级', `层级不正确，可选：${Object.values(ORG_LEVELS).join('、')}`);
  const region = regionOf(r.get('regionCode'), city);
  if ('message' in region) err('行政区划代码', region.message);
  let creditCode: string | null = null;
  if (r.get('creditCode')) {
    const c = validateCreditCode(r.get('creditCode'));
    if (c.ok) creditCode = c.value;
    else
      err(
        '统一社会信用代码',
        c.reason === 'checksum' ? '统一社会信用代码校验位不正确' : '统一社会信用代码格式不正确（18位）',
      );
  }
  const contactName = r.get('contactName') || null;
  if (contactName && contactName.length > 50) err('联系人', '联系人最长50字');
  let contactPhone: string | null = null;
  if (r.get('contactPhone')) {
    const p = parsePhone(r.get('contactPhone'));
    if (p.ok) contactPhone = p.value;
    else err('联系电话', '联系电话格式不正确（手机或带区号的固定电话）');
  }
  const ta = r.get('takesAppeals');
  let takesAppeals = level !== 'grassroots';
  if (ta) {
    if (YES.has(ta)) takesAppeals = true;
    else if (NO.has(ta)) takesAppeals = false;
    else err('受理诉求', '受理诉求应为“是”或“否”');
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    row: {
      no: r.no,
      code,
      name,
      shortName,
      type: type!,
      level: level!,
      regionCode: (region as { code: string }).code,
      creditCode,
      contactName,
      contactPhone,
      takesAppeals,
      parentRef: r.get('parent'),
    },
  };
}

/** The organizations the importer can see (the import plans against these only). */
export async function existingOrgs(q: Queryable, actor: Actor): Promise<ExistingOrg[]> {
  const rows = await q.query<{
    id: number;
    parent_id: number | null;
    path: string;
    depth: number;
    code: string | null;
    name: string;
    short_name: string | null;
    type: OrgType;
    level: OrgLevel;
    region_code: string;
    credit_code: string | null;
    contact_name: string | null;
    contact_phone: string | null;
    takes_appeals: boolean;
    status: string;
  }>(sql`SELECT id, parent_id, path, depth, code, name, short_name, type, level, region_code, credit_code,
      contact_name, contact_phone, takes_appeals, status
    FROM orgs o WHERE ${scopeWhere(actor, { orgId: sql.raw('o.id'), path: sql.raw('o.path') })} ORDER BY path`);
  return rows.map((o) => ({
    id: Number(o.id),
    parentId: o.parent_id === null ? null : Number(o.parent_id),
    path: o.path,
    depth: o.depth,
    code: o.code,
    name: o.name,
    shortName: o.short_name,
    type: o.type,
    level: o.level,
    regionCode: o.region_code,
    creditCode: o.credit_code,
    contactName: o.contact_name,
    contactPhone: o.contact_phone,
    takesAppeals: o.takes_appeals,
    active: o.status === 'active',
  }));
}

/** Codes and credit codes held by organizations outside the importer's scope (they cannot be taken). */
export async function takenOutside(
  q: Queryable,
  actor: Actor,
  rows: readonly OrgInput[],
): Promise<PlanError[]> {
  const codes = rows.flatMap((r) => (r.code ? [r.code] : []));
  const credits = rows.flatMap((r) => (r.creditCode ? [r.creditCode] : []));
  if (codes.length + credits.length === 0 || actor.scope.all) return [];
  const taken = await q.query<{
    code: string | null;
    credit_code: string | null;
  }>(sql`SELECT code, credit_code
    FROM orgs o WHERE (upper(code) = ANY(${codes.map((c) => c.toUpperCase())}::text[]) OR credit_code = ANY(${credits}::text[]))
      AND NOT (${scopeWhere(actor, { orgId: sql.raw('o.id'), path: sql.raw('o.path') })})`);
  const codeSet = new Set(taken.flatMap((t) => (t.code ? [t.code.toUpperCase()] : [])));
  const creditSet = new Set(taken.flatMap((t) => (t.credit_code ? [t.credit_code] : [])));
  const out: PlanError[] = [];
  for (const r of rows) {
    if (r.code && codeSet.has(r.code.toUpperCase()))
      out.push({ row: r.no, column: '组织编码', message: '组织编码已被其他组织使用' });
    else if (r.creditCode && creditSet.has(r.creditCode))
      out.push({ row: r.no, column: '统一社会信用代码', message: '该信用代码已登记在其他组织' });
  }
  return out;
}

const INSERT_COLS: Col[] = [
  ['id', 'bigint'],
  ['parent_id', 'bigint'],
  ['path', 'text'],
  ['depth', 'smallint'],
  ['code', 'text'],
  ['name', 'text'],
  ['name_initials', 'text'],
  ['short_name', 'text'],
  ['type', 'text'],
  ['level', 'text'],
  ['region_code', 'text'],
  ['credit_code', 'text'],
  ['contact_name', 'text'],
  ['contact_phone', 'text'],
  ['takes_appeals', 'boolean'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
];

const UPDATE_COLS: Col[] = [
  ['id', 'bigint'],
  ['code', 'text'],
  ['name', 'text'],
  ['name_initials', 'text'],
  ['short_name', 'text'],
  ['type', 'text'],
  ['level', 'text'],
  ['region_code', 'text'],
  ['credit_code', 'text'],
  ['contact_name', 'text'],
  ['contact_phone', 'text'],
  ['takes_appeals', 'boolean'],
];

const CHUNK = 5000;

/**
 * Writes a plan without errors inside the caller's transaction: ids for the new
 * organizations from the sequence, parents before children, paths from the parents'.
 * Returns the ids created.
 */
export async function applyOrgPlan(
  tx: Queryable,
  plan: OrgPlan,
  existing: readonly ExistingOrg[],
  now: Date,
): Promise<number[]> {
  const creates = plan.items.filter((i) => i.action === 'create');
  const ids = creates.length
    ? (
        await tx.query<{ id: number }>(
          sql`SELECT nextval(pg_get_serial_sequence('orgs', 'id'))::bigint AS id FROM generate_series(1, ${creates.length})`,
        )
      ).map((r) => Number(r.id))
    : [];
  const byId = new Map(existing.map((o) => [o.id, o]));
  const newByRow = new Map<number, { id: number; path: string; depth: number }>();
  const pending = new Map(creates.map((c, i) => [c.row.no, { item: c, id: ids[i]! }]));
  const place = (no: number): { id: number; path: string; depth: number } => {
    const done = newByRow.get(no);
    if (done) return done;
    const { item, id } = pending.get(no)!;
    let parentPath = '/';
    let depth = 0;
    let parentId: number | null = null;
    if (item.parent && 'id' in item.parent) {
      const p = byId.get(item.parent.id)!;
      parentPath = p.path;
      depth = p.depth + 1;
      parentId = p.id;
    } else if (item.parent) {
      const p = place(item.parent.row);
      parentPath = p.path;
      depth = p.depth + 1;
      parentId = p.id;
    }
    const out = { id, path: `${parentPath}${id}/`, depth, parentId };
    newByRow.set(no, out);
    return out;
  };
  const rows = creates.map((c) => {
    const p = place(c.row.no) as { id: number; path: string; depth: number; parentId: number | null };
    const r = c.row;
    return [
      p.id,
      p.parentId,
      p.path,
      p.depth,
      r.code,
      r.name,
      initials(r.name),
      r.shortName,
      r.type,
      r.level,
      r.regionCode,
      r.creditCode,
      r.contactName,
      r.contactPhone,
      r.takesAppeals,
      now,
      now,
    ];
  });
  // parents first: the foreign key checks each row against those already inserted
  rows.sort((a, b) => (a[3] as number) - (b[3] as number));
  for (let i = 0; i < rows.length; i += CHUNK)
    await tx.query(
      sql`INSERT INTO orgs (${sql.raw(INSERT_COLS.map((c) => c[0]).join(', '))}) SELECT * FROM ${rowsOf(INSERT_COLS, rows.slice(i, i + CHUNK))} AS x`,
    );
  const updates = plan.items
    .filter((i) => i.action === 'update')
    .map((u) => {
      const r = u.row;
      const before = byId.get(u.id!)!;
      return [
        u.id,
        r.code ?? before.code,
        r.name,
        initials(r.name),
        r.shortName,
        r.type,
        r.level,
        r.regionCode,
        r.creditCode,
        r.contactName,
        r.contactPhone,
        r.takesAppeals,
      ];
    });
  for (let i = 0; i < updates.length; i += CHUNK)
    await tx.query(sql`UPDATE orgs o SET code = x.code, name = x.name, name_initials = x.name_initials,
        short_name = x.short_name, type = x.type, level = x.level, region_code = x.region_code,
        credit_code = x.credit_code, contact_name = x.contact_name, contact_phone = x.contact_phone,
        takes_appeals = x.takes_appeals, version = o.version + 1, updated_at = ${now}
      FROM ${rowsOf(UPDATE_COLS, updates.slice(i, i + CHUNK))} AS x WHERE o.id = x.id`);
  return ids;
}
