import type { OrgView } from '../../../shared/contracts/orgs.js';
import { ORG_LEVELS, ORG_TYPES, type OrgLevel, type OrgType } from '../../../shared/orgs.js';
import type { Actor } from '../../platform/actor.js';
import type { OrgRow } from './repo.js';

/** Whitelists the fields of an organization and adds what the actor may do with it. */
export function presentOrg(r: OrgRow, actor: Actor): OrgView {
  const write = actor.permissions.has('org:write');
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    type: r.type as OrgType,
    typeLabel: ORG_TYPES[r.type as OrgType] ?? r.type,
    level: r.level as OrgLevel,
    levelLabel: ORG_LEVELS[r.level as OrgLevel] ?? r.level,
    regionCode: r.region_code,
    regionName: r.region_name,
    status: r.status,
    takesAppeals: r.takes_appeals,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    sort: r.sort,
    depth: r.depth,
    hasChildren: r.has_children,
    version: r.version,
    abilities: { update: write, move: write && r.parent_in_scope, deactivate: write },
  };
}

/** The audit snapshot of an organization. */
export function auditOrg(r: OrgRow) {
  return {
    name: r.name,
    parentId: r.parent_id,
    path: r.path,
    type: r.type,
    level: r.level,
    regionCode: r.region_code,
    status: r.status,
    takesAppeals: r.takes_appeals,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    sort: r.sort,
    version: r.version,
  };
}
