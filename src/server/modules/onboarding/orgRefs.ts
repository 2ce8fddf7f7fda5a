/** Finding an existing organization by its code or its name path (for units and users). */
import { splitPath } from '../../../shared/onboarding/columns.js';
import type { ExistingOrg } from './orgTree.js';

export class OrgRefs {
  private readonly byCode = new Map<string, ExistingOrg>();
  private readonly byName = new Map<string, ExistingOrg[]>();
  private readonly children = new Map<string, ExistingOrg>();
  readonly byId = new Map<number, ExistingOrg>();

  constructor(orgs: readonly ExistingOrg[]) {
    for (const o of orgs) {
      this.byId.set(o.id, o);
      if (o.code) this.byCode.set(o.code.toUpperCase(), o);
      const list = this.byName.get(o.name);
      if (list) list.push(o);
      else this.byName.set(o.name, [o]);
      this.children.set(`${o.parentId ?? 0}/${o.name}`, o);
    }
  }

  /** The organization a cell names, or a message saying why not. */
  find(ref: string): ExistingOrg | { message: string } {
    const v = ref.trim();
    if (!v) return { message: '所属组织不能为空' };
    const coded = this.byCode.get(v.toUpperCase());
    if (coded) return coded;
    const names = splitPath(v);
    let current = this.byName.get(names[0] ?? '') ?? [];
    for (const name of names.slice(1)) {
      if (current.length !== 1) break;
      const c = this.children.get(`${current[0]!.id}/${name}`);
      current = c ? [c] : [];
    }
    if (current.length === 0) return { message: `组织「${v}」不存在，或不在您的权限范围内` };
    if (current.length > 1) return { message: `组织「${v}」不唯一：请写出名称路径或填写组织编码` };
    if (!current[0]!.active) return { message: `组织「${v}」已停用` };
    return current[0]!;
  }
}
