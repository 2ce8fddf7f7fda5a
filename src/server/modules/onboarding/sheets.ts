/**
 * The onboarding templates (an example row, required columns marked with *, the allowed
 * values as drop-down data validation, a sheet of notes) and the export of what is in the
 * database in the template's form, so that an export edited and imported again updates.
 */
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { maskPhone } from '../../../shared/mask.js';
import {
  COLUMNS,
  headerText,
  type ImportKind,
  KIND_LABELS,
  MAX_ONBOARDING_ROWS,
} from '../../../shared/onboarding/columns.js';
import {
  ORG_LEVELS,
  ORG_TYPES,
  type OrgLevel,
  type OrgType,
  UNIT_KINDS,
  UNIT_OWNERSHIP,
} from '../../../shared/orgs.js';
import { scopeWhere } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { csvLine } from '../../platform/csv.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import type { Cell, SheetSpec } from '../../platform/sheets/sheets.js';

const colLetter = (i: number) => String.fromCharCode(65 + i);

/** The template as .xlsx: header, example row, data validation of the allowed values, notes. */
export async function templateXlsx(kind: ImportKind): Promise<Buffer> {
  const cols = COLUMNS[kind];
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(`${KIND_LABELS[kind]}导入模板`);
  ws.columns = cols.map((c) => ({
    header: headerText(c),
    key: c.key,
    width: c.width ?? 14,
    style: { numFmt: '@' },
  }));
  const head = ws.getRow(1);
  head.font = { bold: true };
  cols.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    if (c.note) cell.note = c.note;
  });
  ws.addRow(cols.map((c) => c.example));
  ws.getRow(2).font = { italic: true, color: { argb: 'FF808080' } };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const dv = (ws as unknown as { dataValidations: { add(a: string, v: object): void } }).dataValidations;
  cols.forEach((c, i) => {
    if (!c.allowed) return;
    const list = `"${c.allowed.join(',')}"`;
    dv.add(`${colLetter(i)}2:${colLetter(i)}${MAX_ONBOARDING_ROWS + 1}`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [list],
      showErrorMessage: true,
      errorStyle: 'stop',
      errorTitle: c.header,
      error: `请从下拉列表中选择：${c.allowed.join('、')}`,
    });
  });
  const notes = wb.addWorksheet('填写说明');
  notes.columns = [
    { header: '列', width: 20 },
    { header: '必填', width: 8 },
    { header: '说明', width: 80 },
  ];
  notes.getRow(1).font = { bold: true };
  for (const c of cols)
    notes.addRow([
      c.header,
      c.required ? '是' : '',
      [c.note, c.allowed ? `可选：${c.allowed.join('、')}` : ''].filter(Boolean).join('；'),
    ]);
  notes.addRow([]);
  notes.addRow([
    '',
    '',
    `第 2 行是示例，导入前请删除。带 * 的列必填。单个文件最多 ${MAX_ONBOARDING_ROWS} 行。`,
  ]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The template as CSV (UTF-8 with BOM): header and the example row. */
export function templateCsv(kind: ImportKind): string {
  const cols = COLUMNS[kind];
  return `\uFEFF${csvLine(cols.map(headerText))}${csvLine(cols.map((c) => c.example))}`;
}

export function sendTemplate(
  reply: FastifyReply,
  kind: ImportKind,
  format: 'xlsx' | 'csv',
  body: Buffer | string,
) {
  const name = `${KIND_LABELS[kind]}导入模板.${format}`;
  return reply
    .header(
      'content-type',
      format === 'csv'
        ? 'text/csv; charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    .header('cache-control', 'no-store')
    .header(
      'content-disposition',
      `attachment; filename="template.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    )
    .send(body);
}

/** What is in the database (in the caller's scope) as rows of the template. */
export async function exportSpec(
  deps: Deps,
  ctx: Ctx,
  kind: ImportKind,
): Promise<{ spec: SheetSpec; rows: number }> {
  const { db } = deps;
  const cols = COLUMNS[kind];
  const columns = cols.map((c) => ({ header: headerText(c), width: c.width, text: true }));
  const orgs = await db.query<{
    id: number;
    parent_id: number | null;
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
  }>(sql`SELECT id, parent_id, code, name, short_name, type, level, region_code, credit_code, contact_name,
      contact_phone, takes_appeals FROM orgs o
    WHERE ${scopeWhere(ctx.actor, { orgId: sql.raw('o.id'), path: sql.raw('o.path') })} ORDER BY path`);
  const byId = new Map(orgs.map((o) => [Number(o.id), o]));
  const pathOf = (id: number): string => {
    const names: string[] = [];
    for (let o = byId.get(id); o; o = o.parent_id ? byId.get(Number(o.parent_id)) : undefined)
      names.unshift(o.name);
    return names.join('/');
  };
  const refOf = (id: number) => byId.get(id)?.code ?? pathOf(id);
  const region = (c: string) => c.replace(/(000)+$/, '').replace(/^(\d{6})$/, '$1');
  let rows: Cell[][] = [];
  if (kind === 'orgs') {
    rows = orgs.map((o) => [
      o.code,
      o.name,
      o.short_name,
      ORG_TYPES[o.type] ?? o.type,
      ORG_LEVELS[o.level] ?? o.level,
      o.parent_id && byId.has(Number(o.parent_id)) ? refOf(Number(o.parent_id)) : '',
      region(o.region_code),
      o.credit_code,
      o.contact_name,
      o.contact_phone,
      o.takes_appeals ? '是' : '否',
    ]);
  } else if (kind === 'units') {
    const units = await db.query<{
      id: number;
      name: string;
      credit_code: string | null;
      kind: keyof typeof UNIT_KINDS;
      ownership: keyof typeof UNIT_OWNERSHIP;
      region_code: string;
      org_id: number;
      headcount: number;
      address: string | null;
      covering: number[] | null;
    }>(sql`SELECT u.id, u.name, u.credit_code, u.kind, u.ownership, u.region_code, u.org_id, u.headcount, u.address,
        (SELECT array_agg(c.org_id ORDER BY c.org_id) FROM unit_coverage c WHERE c.unit_id = u.id) AS covering
      FROM units u WHERE ${scopeWhere(ctx.actor, { orgId: sql.raw('u.org_id') })} ORDER BY u.id`);
    rows = units.map((u) => [
      u.name,
      u.credit_code,
      UNIT_KINDS[u.kind] ?? u.kind,
      UNIT_OWNERSHIP[u.ownership] ?? u.ownership,
      region(u.region_code),
      refOf(Number(u.org_id)),
      u.headcount,
      u.address,
      (u.covering ?? [])
        .map(Number)
        .filter((c) => byId.has(c))
        .map(refOf)
        .join('、'),
    ]);
  } else {
    const reveal = ctx.actor.permissions.has('pii:reveal');
    const users = await db.query<{
      username: string;
      display_name: string;
      phone_enc: string | null;
      org_id: number;
      status: string;
      roles: string[] | null;
    }>(sql`SELECT u.username, u.display_name, u.phone_enc, u.org_id, u.status,
        (SELECT array_agg(r.name ORDER BY r.id) FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id) AS roles
      FROM users u WHERE ${scopeWhere(ctx.actor, { orgId: sql.raw('u.org_id'), owner: sql.raw('u.id') })} ORDER BY u.id`);
    rows = users.map((u) => {
      const phone = u.phone_enc ? deps.pii.decrypt(u.phone_enc) : '';
      return [
        u.username,
        u.display_name,
        reveal ? phone : phone && maskPhone(phone),
        refOf(Number(u.org_id)),
        (u.roles ?? []).join('、'),
        u.status === 'disabled' ? '停用' : '正常',
      ];
    });
  }
  return { spec: { name: KIND_LABELS[kind], columns, rows }, rows: rows.length };
}
