import { codeOfLabel, splitList } from '../../../shared/onboarding/columns.js';
import { UNIT_KINDS, UNIT_OWNERSHIP, type UnitKind, type UnitOwnership } from '../../../shared/orgs.js';
import { validateCreditCode } from '../../../shared/rules/creditCode.js';
import { scopeWhere } from '../../platform/access.js';
import { sql } from '../../platform/db/index.js';
import { type Col, rowsOf } from '../../platform/db/rows.js';
import { assignIds, previewByOrg } from './grouped.js';
import { type CityRegions, cityRegions, existingOrgs, regionOf } from './orgImport.js';
import { OrgRefs } from './orgRefs.js';
import type { PlanError } from './orgTree.js';
import type { Importer } from './service.js';

interface UnitInput {
  no: number;
  name: string;
  creditCode: string | null;
  kind: UnitKind;
  ownership: UnitOwnership;
  regionCode: string;
  orgId: number;
  headcount: number;
  address: string | null;
  covering: number[];
}

interface ExistingUnit {
  id: number;
  name: string;
  credit_code: string | null;
  kind: string;
  ownership: string;
  region_code: string;
  org_id: number;
  headcount: number;
  address: string | null;
  covering: number[] | null;
}

interface State {
  city: CityRegions;
  orgs: OrgRefs;
  units: ExistingUnit[];
}

interface Plan {
  items: { row: UnitInput; action: 'create' | 'update' | 'unchanged'; id: number | null }[];
  errors: PlanError[];
}

const COLS: Col[] = [
  ['id', 'bigint'],
  ['name', 'text'],
  ['kind', 'text'],
  ['ownership', 'text'],
  ['credit_code', 'text'],
  ['region_code', 'text'],
  ['org_id', 'bigint'],
  ['headcount', 'integer'],
  ['address', 'text'],
];

export const unitImporter: Importer<UnitInput, State, Plan> = {
  permission: 'unit:write',
  async load(q, ctx) {
    const units =
      await q.query<ExistingUnit>(sql`SELECT id, name, credit_code, kind, ownership, region_code, org_id,
        headcount, address, (SELECT array_agg(c.org_id) FROM unit_coverage c WHERE c.unit_id = u.id) AS covering
      FROM units u WHERE ${scopeWhere(ctx.actor, { orgId: sql.raw('u.org_id') })}`);
    return {
      city: await cityRegions(q),
      orgs: new OrgRefs(await existingOrgs(q, ctx.actor)),
      units: units.map((u) => ({
        ...u,
        id: Number(u.id),
        org_id: Number(u.org_id),
        covering: (u.covering ?? []).map(Number),
      })),
    };
  },
  parse(r, s) {
    const errors: PlanError[] = [];
    const err = (column: string, message: string) => errors.push({ row: r.no, column, message });
    if (r.oversize)
      return { ok: false, errors: [{ row: r.no, column: null, message: '单元格内容过长（超过500字）' }] };
    const name = r.get('name');
    if (name.length < 2 || name.length > 200) err('单位名称', '单位名称应为2–200字');
    const kind = codeOfLabel(UNIT_KINDS, r.get('kind')) as UnitKind | null;
    if (!kind) err('单位类别', `单位类别不正确，可选：${Object.values(UNIT_KINDS).join('、')}`);
    const ownership = codeOfLabel(UNIT_OWNERSHIP, r.get('ownership')) as UnitOwnership | null;
    if (!ownership) err('所有制', `所有制不正确，可选：${Object.values(UNIT_OWNERSHIP).join('、')}`);
    let creditCode: string | null = null;
    if (r.get('creditCode')) {
      const c = validateCreditCode(r.get('creditCode'));
      if (c.ok) creditCode = c.value;
      else
        err(
          '统一社会信用代码',
          c.reason === 'checksum' ? '统一社会信用代码校验位不正确' : '统一社会信用代码格式不正确（18位）',
        );
    } else if (kind === 'enterprise' || kind === 'platform')
      err('统一社会信用代码', '企业须填写统一社会信用代码');
    const region = regionOf(r.get('regionCode'), s.city);
    if ('message' in region) err('行政区划代码', region.message);
    const org = s.orgs.find(r.get('org'));
    if ('message' in org) err('所属组织', org.message);
    let headcount = 0;
    if (r.get('headcount')) {
      headcount = Number(r.get('headcount'));
      if (!Number.isInteger(headcount) || headcount < 0 || headcount > 10_000_000)
        err('职工人数', '职工人数应为非负整数');
    }
    const address = r.get('address') || null;
    if (address && address.length > 200) err('地址', '地址最长200字');
    const covering: number[] = [];
    for (const ref of splitList(r.get('covering'))) {
      const o = s.orgs.find(ref);
      if ('message' in o) err('已建组织', o.message);
      else covering.push(o.id);
    }
    if (errors.length > 0) return { ok: false, errors };
    return {
      ok: true,
      row: {
        no: r.no,
        name,
        creditCode,
        kind: kind!,
        ownership: ownership!,
        regionCode: (region as { code: string }).code,
        orgId: (org as { id: number }).id,
        headcount,
        address,
        covering: [...new Set(covering)],
      },
    };
  },
  async plan(q, rows, s, ctx) {
    const errors: PlanError[] = [];
    const byCredit = new Map(s.units.filter((u) => u.credit_code).map((u) => [u.credit_code!, u]));
    const byName = new Map(s.units.map((u) => [`${u.name}|${u.region_code}`, u]));
    const seen = new Map<string, number>();
    const credits = rows.flatMap((r) => (r.creditCode ? [r.creditCode] : []));
    const outside = new Set(
      (
        await q.query<{ credit_code: string }>(sql`SELECT credit_code FROM units u
          WHERE credit_code = ANY(${credits}::text[]) AND NOT (${scopeWhere(ctx.actor, { orgId: sql.raw('u.org_id') })})`)
      ).map((r) => r.credit_code),
    );
    const items: Plan['items'] = [];
    for (const r of rows) {
      const key = r.creditCode ?? `${r.name}|${r.regionCode}`;
      const first = seen.get(key);
      if (first !== undefined) {
        errors.push({
          row: r.no,
          column: r.creditCode ? '统一社会信用代码' : '单位名称',
          message: `与第 ${first} 行是同一个单位`,
        });
        continue;
      }
      seen.set(key, r.no);
      if (r.creditCode && outside.has(r.creditCode)) {
        errors.push({ row: r.no, column: '统一社会信用代码', message: '该信用代码已登记在其他组织的单位下' });
        continue;
      }
      const before =
        (r.creditCode ? byCredit.get(r.creditCode) : undefined) ?? byName.get(`${r.name}|${r.regionCode}`);
      if (!before) items.push({ row: r, action: 'create', id: null });
      else {
        const same =
          before.name === r.name &&
          before.credit_code === r.creditCode &&
          before.kind === r.kind &&
          before.ownership === r.ownership &&
          before.region_code === r.regionCode &&
          before.org_id === r.orgId &&
          before.headcount === r.headcount &&
          before.address === r.address;
        const covered = r.covering.every((o) => before.covering?.includes(o));
        items.push({ row: r, action: same && covered ? 'unchanged' : 'update', id: before.id });
      }
    }
    return { items, errors };
  },
  counts: (p) => ({
    created: p.items.filter((i) => i.action === 'create').length,
    updated: p.items.filter((i) => i.action === 'update').length,
    unchanged: p.items.filter((i) => i.action === 'unchanged').length,
  }),
  preview(p, s) {
    return previewByOrg(
      p.items,
      (id) => s.orgs.byId.get(id)?.name ?? '',
      (i) => i.row.name,
    );
  },
  async apply(tx, p, _s, ctx) {
    const creates = p.items.filter((i) => i.action === 'create');
    const ids = await assignIds(tx, 'units', creates);
    const rowOf = (i: Plan['items'][number]) => {
      const r = i.row;
      return [i.id, r.name, r.kind, r.ownership, r.creditCode, r.regionCode, r.orgId, r.headcount, r.address];
    };
    for (let k = 0; k < creates.length; k += 5000)
      await tx.query(sql`INSERT INTO units (id, name, kind, ownership, credit_code, region_code, org_id, headcount, address,
          created_at, updated_at)
        SELECT x.*, ${ctx.now}::timestamptz, ${ctx.now}::timestamptz FROM ${rowsOf(COLS, creates.slice(k, k + 5000).map(rowOf))} AS x`);
    const updates = p.items.filter((i) => i.action === 'update');
    for (let k = 0; k < updates.length; k += 5000)
      await tx.query(sql`UPDATE units u SET name = x.name, kind = x.kind, ownership = x.ownership,
          credit_code = x.credit_code, region_code = x.region_code, org_id = x.org_id, headcount = x.headcount,
          address = x.address, version = u.version + 1, updated_at = ${ctx.now}
        FROM ${rowsOf(COLS, updates.slice(k, k + 5000).map(rowOf))} AS x WHERE u.id = x.id`);
    const coverage = p.items.flatMap((i) => i.row.covering.map((o) => [i.id, o]));
    for (let k = 0; k < coverage.length; k += 5000)
      await tx.query(sql`INSERT INTO unit_coverage (unit_id, org_id)
        SELECT x.unit_id, x.org_id FROM ${rowsOf(
          [
            ['unit_id', 'bigint'],
            ['org_id', 'bigint'],
          ],
          coverage.slice(k, k + 5000),
        )} AS x ON CONFLICT DO NOTHING`);
    return { unitIds: ids.length > 200 ? `${ids[0]}…${ids[ids.length - 1]}` : ids };
  },
};
