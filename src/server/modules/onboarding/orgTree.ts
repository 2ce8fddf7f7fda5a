/**
 * Planning an organization tree import, without I/O: the file's rows (already parsed) are
 * matched to the existing organizations and to each other. A row's parent is an
 * organization code or a name path, found in the database or anywhere in the file (rows may
 * come in any order); a chain of parents that returns to a row is a cycle. Each row becomes
 * one organization: created, updated or unchanged. Two rows naming one organization, a
 * parent that is not found or not unique, a level above the parent's, a code or credit
 * code another organization holds: an error on that row, and the plan is not applied.
 */

import { splitPath } from '../../../shared/onboarding/columns.js';
import { LEVEL_ORDER, type OrgLevel, type OrgType } from '../../../shared/orgs.js';

export interface OrgFields {
  code: string | null;
  name: string;
  shortName: string | null;
  type: OrgType;
  level: OrgLevel;
  regionCode: string;
  creditCode: string | null;
  contactName: string | null;
  contactPhone: string | null;
  takesAppeals: boolean;
}

export interface OrgInput extends OrgFields {
  /** row number in the file (header = 1) */
  no: number;
  parentRef: string;
}

export interface ExistingOrg extends OrgFields {
  id: number;
  parentId: number | null;
  path: string;
  depth: number;
  active: boolean;
}

export interface PlanError {
  row: number;
  column: string | null;
  message: string;
}

/** An organization of the resulting tree: an existing one (id) or a new one (a row). */
type Entity = { kind: 'db'; org: ExistingOrg } | { kind: 'new'; row: OrgInput };

export interface PlannedOrg {
  row: OrgInput;
  action: 'create' | 'update' | 'unchanged';
  /** the existing organization's id (update, unchanged) */
  id: number | null;
  /** the parent: an existing id, or the row number of a new organization of the file */
  parent: { id: number } | { row: number } | null;
}

export interface OrgPlan {
  items: PlannedOrg[];
  errors: PlanError[];
}

const FIELDS: (keyof OrgFields)[] = [
  'name',
  'shortName',
  'type',
  'level',
  'regionCode',
  'creditCode',
  'contactName',
  'contactPhone',
  'takesAppeals',
];

const entityKey = (e: Entity) => (e.kind === 'db' ? `d${e.org.id}` : `n${e.row.no}`);
const levelOf = (e: Entity) => (e.kind === 'db' ? e.org.level : e.row.level);

type Resolved = { ok: true; self: Entity; parent: Entity | null } | { ok: false; err: PlanError };

export function planOrgTree(rows: readonly OrgInput[], existing: readonly ExistingOrg[]): OrgPlan {
  const errors: PlanError[] = [];
  const dbById = new Map(existing.map((o) => [o.id, o]));
  const dbByCode = new Map(existing.filter((o) => o.code).map((o) => [o.code!.toUpperCase(), o]));
  const dbByName = new Map<string, ExistingOrg[]>();
  const dbChildren = new Map<string, ExistingOrg>();
  for (const o of existing) {
    const list = dbByName.get(o.name);
    if (list) list.push(o);
    else dbByName.set(o.name, [o]);
    dbChildren.set(`${o.parentId ?? 0}/${o.name}`, o);
  }
  const fileByCode = new Map<string, OrgInput>();
  const fileByName = new Map<string, OrgInput[]>();
  const dupCode = new Set<number>();
  for (const r of rows) {
    if (r.code) {
      const k = r.code.toUpperCase();
      const first = fileByCode.get(k);
      if (first) {
        errors.push({ row: r.no, column: '组织编码', message: `组织编码与第 ${first.no} 行重复` });
        dupCode.add(r.no);
      } else fileByCode.set(k, r);
    }
    const list = fileByName.get(r.name);
    if (list) list.push(r);
    else fileByName.set(r.name, [r]);
  }

  const memo = new Map<number, Resolved>();
  const visiting = new Set<number>();

  const fail = (r: OrgInput, message: string, column: string | null = '上级组织'): Resolved => ({
    ok: false,
    err: { row: r.no, column, message },
  });

  /** Which organization a row is, and its parent: resolved through the parent chain. */
  function resolve(r: OrgInput): Resolved {
    const done = memo.get(r.no);
    if (done) return done;
    if (visiting.has(r.no)) return fail(r, '上级关系成环：该组织经由上级链又回到了自己');
    visiting.add(r.no);
    const out = resolveUncached(r);
    visiting.delete(r.no);
    memo.set(r.no, out);
    return out;
  }

  function resolveUncached(r: OrgInput): Resolved {
    let parent: Entity | null = null;
    const ref = r.parentRef.trim();
    if (ref) {
      const p = findRef(r, ref);
      if ('message' in p) return fail(r, p.message);
      parent = p.entity;
    }
    // the row's own organization: by code, else by (parent, name) among the existing ones
    let self: Entity = { kind: 'new', row: r };
    const byCode = r.code ? dbByCode.get(r.code.toUpperCase()) : undefined;
    if (byCode) {
      self = { kind: 'db', org: byCode };
      const before = byCode.parentId;
      const now = parent ? (parent.kind === 'db' ? parent.org.id : null) : null;
      if (before !== now && !(parent === null && before === null)) {
        const was = before ? dbById.get(before)?.name : null;
        return fail(
          r,
          `组织编码 ${r.code} 的组织现在的上级是「${was ?? '无'}」；导入不移动组织，请在组织机构页面移动后再导入`,
        );
      }
    } else if (parent === null || parent.kind === 'db') {
      const found = dbChildren.get(`${parent?.kind === 'db' ? parent.org.id : 0}/${r.name}`);
      if (found) {
        if (found.code && r.code && found.code.toUpperCase() !== r.code.toUpperCase())
          return fail(r, `同名组织已存在，编码为 ${found.code}，与本行的编码不一致`, '组织编码');
        self = { kind: 'db', org: found };
      }
    }
    return { ok: true, self, parent };
  }

  /** A parent reference: an organization code (file or database) or a name path. */
  function findRef(r: OrgInput, ref: string): { entity: Entity } | { message: string } {
    const code = ref.toUpperCase();
    const fileCoded = fileByCode.get(code);
    if (fileCoded && fileCoded.no !== r.no) {
      const p = resolve(fileCoded);
      if (!p.ok) return { message: upstream(fileCoded, p) };
      return { entity: p.self };
    }
    if (fileCoded) return { message: '上级组织不能是本行自己' };
    const dbCoded = dbByCode.get(code);
    if (dbCoded) return { entity: { kind: 'db', org: dbCoded } };
    const names = splitPath(ref);
    if (names.length === 0) return { message: '上级组织填写不正确' };
    let found = candidates(r, names[0]!, null);
    for (const name of names.slice(1)) {
      if (found.list.length !== 1) break;
      found = candidates(r, name, found.list[0]!);
    }
    const current = found.list;
    if (current.length === 0) {
      if (found.cyclic) return { message: '上级关系成环：该组织经由上级链又回到了自己' };
      if (found.broken) {
        const b = resolve(found.broken);
        if (!b.ok) return { message: upstream(found.broken, b) };
      }
      return {
        message: `上级组织「${ref}」不存在（在本市组织和本文件中都未找到，或不在您的权限范围内）`,
      };
    }
    if (current.length > 1)
      return { message: `上级组织「${ref}」不唯一：请写出名称路径（如 市总工会/县总工会）或填写组织编码` };
    return { entity: current[0]! };
  }

  /** The organizations named `name` (under `under` when given), existing ones and the file's. */
  function candidates(
    r: OrgInput,
    name: string,
    under: Entity | null,
  ): { list: Entity[]; cyclic: boolean; broken: OrgInput | null } {
    let cyclic = false;
    let broken: OrgInput | null = null;
    const out = new Map<string, Entity>();
    if (under === null) for (const o of dbByName.get(name) ?? []) out.set(`d${o.id}`, { kind: 'db', org: o });
    else if (under.kind === 'db') {
      const o = dbChildren.get(`${under.org.id}/${name}`);
      if (o) out.set(`d${o.id}`, { kind: 'db', org: o });
    }
    for (const f of fileByName.get(name) ?? []) {
      if (f.no === r.no || dupCode.has(f.no)) continue;
      if (visiting.has(f.no)) {
        cyclic = true;
        continue;
      }
      const p = resolve(f);
      if (!p.ok) {
        if (p.err.message.startsWith('上级关系成环')) cyclic = true;
        else broken ??= f;
        continue;
      }
      if (under !== null && (p.parent === null || entityKey(p.parent) !== entityKey(under))) continue;
      out.set(entityKey(p.self), p.self);
    }
    return { list: [...out.values()], cyclic, broken };
  }

  function upstream(p: OrgInput, res: Resolved & { ok: false }): string {
    return res.err.message.startsWith('上级关系成环')
      ? res.err.message
      : `上级组织（第 ${p.no} 行）有错误：${res.err.message}`;
  }

  const items: PlannedOrg[] = [];
  const claimed = new Map<string, number>();
  const creditOwner = new Map<string, number>();
  for (const o of existing) if (o.creditCode) creditOwner.set(o.creditCode, o.id);
  const fileCredit = new Map<string, number>();
  for (const r of rows) {
    if (dupCode.has(r.no)) continue;
    const res = resolve(r);
    if (!res.ok) {
      errors.push(res.err);
      continue;
    }
    const { self, parent } = res;
    // one organization, one row
    const key = self.kind === 'db' ? `d${self.org.id}` : `n${parent ? entityKey(parent) : 'root'}/${r.name}`;
    const first = claimed.get(key);
    if (first !== undefined) {
      errors.push({
        row: r.no,
        column: '组织全称',
        message: `与第 ${first} 行是同一个组织（同一上级下名称相同）`,
      });
      continue;
    }
    claimed.set(key, r.no);
    if (parent) {
      const pl = levelOf(parent);
      if (LEVEL_ORDER.indexOf(r.level) < LEVEL_ORDER.indexOf(pl)) {
        errors.push({ row: r.no, column: '层级', message: '下级组织的层级不能高于上级组织' });
        continue;
      }
      if (parent.kind === 'db' && !parent.org.active) {
        errors.push({ row: r.no, column: '上级组织', message: '上级组织已停用' });
        continue;
      }
    }
    if (r.code && self.kind === 'new' && dbByCode.has(r.code.toUpperCase())) {
      errors.push({ row: r.no, column: '组织编码', message: '组织编码已被其他组织使用' });
      continue;
    }
    if (r.creditCode) {
      const owner = creditOwner.get(r.creditCode);
      const other = fileCredit.get(r.creditCode);
      if (owner !== undefined && (self.kind === 'new' || self.org.id !== owner)) {
        errors.push({ row: r.no, column: '统一社会信用代码', message: '该信用代码已登记在其他组织' });
        continue;
      }
      if (other !== undefined) {
        errors.push({ row: r.no, column: '统一社会信用代码', message: `信用代码与第 ${other} 行重复` });
        continue;
      }
      fileCredit.set(r.creditCode, r.no);
    }
    const parentRef = parent ? (parent.kind === 'db' ? { id: parent.org.id } : { row: parent.row.no }) : null;
    if (self.kind === 'new') {
      items.push({ row: r, action: 'create', id: null, parent: parentRef });
    } else {
      const before = self.org;
      const merged: OrgFields = { ...r, code: r.code ?? before.code };
      const changed = FIELDS.some((f) => merged[f] !== before[f]) || merged.code !== before.code;
      items.push({ row: r, action: changed ? 'update' : 'unchanged', id: before.id, parent: parentRef });
    }
  }
  errors.sort((a, b) => a.row - b.row);
  return { items, errors };
}
