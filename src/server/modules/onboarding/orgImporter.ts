/** The organization tree as an onboarding import (see service.ts for the pipeline). */
import type { PreviewNode } from '../../../shared/contracts/onboarding.js';
import type { Ctx } from '../../platform/actor.js';
import { forbidden } from '../../platform/errors.js';
import {
  applyOrgPlan,
  type CityRegions,
  cityRegions,
  existingOrgs,
  parseOrgRow,
  takenOutside,
} from './orgImport.js';
import { type ExistingOrg, type OrgInput, type OrgPlan, planOrgTree } from './orgTree.js';
import type { Importer } from './service.js';

interface State {
  city: CityRegions;
  existing: ExistingOrg[];
  /** codes and names of the rows that failed their own checks, to explain their children's errors */
  failed: Map<string, number>;
}

/** Most nodes the tree preview carries (the counts always cover the whole file). */
const PREVIEW_NODES = 2000;

export const orgImporter: Importer<OrgInput, State, OrgPlan> = {
  permission: 'org:write',
  async load(q, ctx) {
    return { city: await cityRegions(q), existing: await existingOrgs(q, ctx.actor), failed: new Map() };
  },
  parse(r, s) {
    const p = parseOrgRow(r, s.city);
    if (!p.ok)
      for (const k of [r.get('code').toUpperCase(), r.get('name')])
        if (k && !s.failed.has(k)) s.failed.set(k, r.no);
    return p;
  },
  async plan(q, rows, s, ctx: Ctx) {
    const plan = planOrgTree(rows, s.existing);
    for (const e of plan.errors) {
      const ref = /^上级组织「(.+)」不存在/.exec(e.message)?.[1];
      const last =
        ref
          ?.split(/[/／>＞]/)
          .pop()
          ?.trim() ?? '';
      const no = ref ? (s.failed.get(ref.toUpperCase()) ?? s.failed.get(last)) : undefined;
      if (no !== undefined) e.message = `上级组织（第 ${no} 行）有错误`;
    }
    const outside = await takenOutside(q, ctx.actor, rows);
    // a new top-level organization needs the whole tree in scope
    if (!ctx.actor.scope.all)
      for (const i of plan.items)
        if (i.parent === null && i.action === 'create')
          plan.errors.push({
            row: i.row.no,
            column: '上级组织',
            message: '只有全部数据权限的用户可以新增顶级组织',
          });
    const bad = new Set([...outside, ...plan.errors].map((e) => e.row));
    plan.errors.push(...outside.filter((e) => !plan.errors.some((x) => x.row === e.row)));
    // a row whose parent row has an error cannot be written either (nor its own children)
    for (let changed = true; changed; ) {
      changed = false;
      const kept = new Set(plan.items.filter((i) => !bad.has(i.row.no)).map((i) => i.row.no));
      for (const i of plan.items)
        if (!bad.has(i.row.no) && i.parent && 'row' in i.parent && !kept.has(i.parent.row)) {
          bad.add(i.row.no);
          plan.errors.push({
            row: i.row.no,
            column: '上级组织',
            message: `上级组织（第 ${i.parent.row} 行）有错误`,
          });
          changed = true;
        }
    }
    plan.items = plan.items.filter((i) => !bad.has(i.row.no));
    return plan;
  },
  counts(p) {
    let created = 0;
    let updated = 0;
    let unchanged = 0;
    for (const i of p.items) {
      if (i.action === 'create') created++;
      else if (i.action === 'update') updated++;
      else unchanged++;
    }
    return { created, updated, unchanged };
  },
  preview(p, s) {
    const byId = new Map(s.existing.map((o) => [o.id, o]));
    const nodes = new Map<string, PreviewNode>();
    const roots: PreviewNode[] = [];
    let count = 0;
    const truncated = p.items.length + 50 > PREVIEW_NODES;
    const keyOf = (i: OrgPlan['items'][number]) => (i.id ? `d${i.id}` : `n${i.row.no}`);
    for (const i of p.items) {
      const n: PreviewNode = {
        key: keyOf(i),
        name: i.row.name,
        action: i.action,
        row: i.row.no,
        children: [],
      };
      nodes.set(n.key, n);
    }
    const contextOf = (id: number): PreviewNode => {
      const key = `d${id}`;
      let n = nodes.get(key);
      if (!n) {
        n = { key, name: byId.get(id)?.name ?? String(id), action: 'existing', row: null, children: [] };
        nodes.set(key, n);
        roots.push(n);
      }
      return n;
    };
    for (const i of p.items) {
      if (count >= PREVIEW_NODES) break;
      count++;
      const n = nodes.get(keyOf(i))!;
      if (i.parent === null) roots.push(n);
      else if ('id' in i.parent) (nodes.get(`d${i.parent.id}`) ?? contextOf(i.parent.id)).children.push(n);
      else nodes.get(`n${i.parent.row}`)?.children.push(n);
    }
    return { nodes: roots, truncated };
  },
  async apply(tx, p, s, ctx) {
    if (!ctx.actor.permissions.has('org:write')) throw forbidden();
    const ids = await applyOrgPlan(tx, p, s.existing, ctx.now);
    return { createdIds: ids.length > 200 ? `${ids[0]}…${ids[ids.length - 1]}` : ids };
  },
};
