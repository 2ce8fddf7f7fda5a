import type { UnitCreate, UnitListQuery, UnitUpdate, UnitView } from '../../../shared/contracts/units.js';
import { UNIT_KINDS, UNIT_OWNERSHIP, type UnitKind, type UnitOwnership } from '../../../shared/orgs.js';
import { validateCreditCode } from '../../../shared/rules/creditCode.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { csvDocument } from '../../platform/csv.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid, notFound, staleVersion } from '../../platform/errors.js';
import * as repo from './repo.js';

function present(r: repo.UnitRow): UnitView {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as UnitKind,
    kindLabel: UNIT_KINDS[r.kind as UnitKind] ?? r.kind,
    ownership: r.ownership as UnitOwnership,
    ownershipLabel: UNIT_OWNERSHIP[r.ownership as UnitOwnership] ?? r.ownership,
    creditCode: r.credit_code,
    regionCode: r.region_code,
    regionName: r.region_name,
    orgId: r.org_id,
    orgName: r.org_name,
    headcount: r.headcount,
    address: r.address,
    status: r.status,
    coveringOrgs: (r.covering ?? []).map((c) => ({ id: Number(c.id), name: c.name, type: c.type })),
    version: r.version,
  };
}

const snapshot = (v: UnitView) => ({
  ...v,
  kindLabel: undefined,
  ownershipLabel: undefined,
  regionName: undefined,
  orgName: undefined,
});

function checkCreditCode(code: string | null | undefined): string | null | undefined {
  if (code === undefined || code === null || code === '') return code === '' ? null : code;
  const r = validateCreditCode(code);
  if (!r.ok)
    throw invalid('统一社会信用代码不正确（校验位或格式错误）', { field: 'creditCode', reason: r.reason });
  return r.value;
}

/** Rows of one export: the whole demo city has a few thousand units; a county far fewer. */
const EXPORT_LIMIT = 100_000;

export function createUnitService(deps: Deps) {
  const { db } = deps;

  async function checkRefs(
    q: Queryable,
    ctx: Ctx,
    regionCode: string | undefined,
    coveringOrgIds: number[] | undefined,
  ) {
    if (regionCode && (await q.query(sql`SELECT 1 FROM regions WHERE code = ${regionCode}`)).length === 0) {
      throw invalid('行政区划代码不存在', { field: 'regionCode' });
    }
    // covering organizations must be visible to the actor
    if (coveringOrgIds?.length) await assertAccess(q, ctx.actor, 'unit:write', 'org', coveringOrgIds);
  }

  /** unit:read, and an organization filter inside the scope (outside it: 404, as for an id) */
  async function readable(ctx: Ctx, f: UnitListQuery) {
    if (f.orgId) await assertAccess(db, ctx.actor, 'unit:read', 'org', [f.orgId]);
    else if (!ctx.actor.permissions.has('unit:read')) throw forbidden();
  }

  return {
    async list(ctx: Ctx, f: UnitListQuery) {
      await readable(ctx, f);
      const r = await repo.findUnits(db, ctx.actor, f);
      return { items: r.items.map(present), total: r.total };
    },

    /** The filtered list as CSV (UTF-8 with BOM, so that Excel reads the Chinese), newest limit. */
    async exportCsv(ctx: Ctx, f: UnitListQuery): Promise<string> {
      await readable(ctx, f);
      const rows = await repo.exportUnits(db, ctx.actor, f, EXPORT_LIMIT);
      const head = [
        '单位名称',
        '统一社会信用代码',
        '单位类别',
        '所有制',
        '所在区划',
        '区划代码',
        '管理组织',
        '人数',
        '已建群团组织',
        '状态',
        '地址',
      ];
      const lines = rows
        .map(present)
        .map((u) => [
          u.name,
          u.creditCode ?? '',
          u.kindLabel,
          u.ownershipLabel,
          u.regionName ?? '',
          u.regionCode,
          u.orgName,
          String(u.headcount),
          u.coveringOrgs.map((o) => o.name).join('、') || '未建组织',
          u.status === 'active' ? '正常' : '已停用',
          u.address ?? '',
        ]);
      return csvDocument(head, lines);
    },

    async get(ctx: Ctx, id: number) {
      await assertAccess(db, ctx.actor, 'unit:read', 'unit', [id]);
      return present((await repo.getUnit(db, id))!);
    },

    async create(ctx: Ctx, input: UnitCreate) {
      const creditCode = checkCreditCode(input.creditCode);
      if (input.kind === 'enterprise' && !creditCode)
        throw invalid('企业须填写统一社会信用代码', { field: 'creditCode' });
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'unit:write', 'org', [input.orgId]);
        await checkRefs(tx, ctx, input.regionCode, input.coveringOrgIds);
        const r = await tx.query<{ id: number }>(sql`INSERT INTO units
            (name, kind, ownership, credit_code, region_code, org_id, headcount, address, created_at, updated_at)
          VALUES (${input.name}, ${input.kind}, ${input.ownership}, ${creditCode ?? null}, ${input.regionCode}, ${input.orgId},
            ${input.headcount}, ${input.address ?? null}, ${ctx.now}, ${ctx.now}) RETURNING id`);
        const id = r[0]!.id;
        await repo.setCoverage(tx, id, [...new Set(input.coveringOrgIds)]);
        const view = present((await repo.getUnit(tx, id))!);
        await audit(tx, ctx, {
          action: 'unit.create',
          entityType: 'unit',
          entityId: id,
          orgId: input.orgId,
          after: snapshot(view),
        });
        return view;
      });
    },

    async update(ctx: Ctx, id: number, input: UnitUpdate) {
      const creditCode = checkCreditCode(input.creditCode);
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'unit:write', 'unit', [id]);
        const before = await repo.getUnit(tx, id, true);
        if (!before) throw notFound('基层单位');
        if (before.version !== input.version) throw staleVersion();
        await checkRefs(tx, ctx, input.regionCode, input.coveringOrgIds);
        await tx.query(sql`UPDATE units SET name = ${input.name ?? before.name}, kind = ${input.kind ?? before.kind},
            ownership = ${input.ownership ?? before.ownership},
            credit_code = ${creditCode === undefined ? before.credit_code : creditCode},
            region_code = ${input.regionCode ?? before.region_code}, headcount = ${input.headcount ?? before.headcount},
            address = ${input.address === undefined ? before.address : input.address},
            status = ${input.status ?? before.status}, version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${id}`);
        if (input.coveringOrgIds) await repo.setCoverage(tx, id, [...new Set(input.coveringOrgIds)]);
        const after = present((await repo.getUnit(tx, id))!);
        await audit(tx, ctx, {
          action: 'unit.update',
          entityType: 'unit',
          entityId: id,
          orgId: before.org_id,
          before: snapshot(present(before)),
          after: snapshot(after),
        });
        return after;
      });
    },
  };
}
