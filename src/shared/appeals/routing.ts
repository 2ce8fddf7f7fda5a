/**
 * Routing rules as data, evaluated in order (by `seq`): the first rule whose groups and
 * categories match names the organization type and the lowest level to route to; the
 * organization itself is the lowest one of that type covering the matter's region.
 */
import { LEVEL_ORDER, ORG_LEVELS, ORG_TYPES, type OrgLevel, type OrgType } from '../orgs.js';
import { regionLevel } from '../regions/regionCode.js';
import { APPEAL_GROUPS, type AppealGroup } from './constants.js';

export interface RoutingRule {
  id: number;
  seq: number;
  name: string;
  /** null: any group */
  groups: AppealGroup[] | null;
  /** null: any category; a code matches the category and all below it */
  categoryCodes: string[] | null;
  orgType: OrgType;
  /** the lowest organization level that takes these appeals (e.g. county: 12351 sends to county unions) */
  lowestLevel: OrgLevel;
  active: boolean;
}

/** The first active rule matching a group and a category (given with its ancestors, itself first). */
export function matchRule(
  rules: readonly RoutingRule[],
  group: AppealGroup,
  categoryChain: readonly string[],
): RoutingRule | undefined {
  return [...rules]
    .sort((a, b) => a.seq - b.seq || a.id - b.id)
    .find(
      (r) =>
        r.active &&
        (r.groups === null || r.groups.includes(group)) &&
        (r.categoryCodes === null || r.categoryCodes.some((c) => categoryChain.includes(c))),
    );
}

/** The 12-digit codes of a region and every region above it (village → province). */
export function coveringRegions(code12: string): string[] {
  const lengths = [2, 4, 6, 9, 12].slice(0, regionLevel(code12));
  return lengths.map((n) => code12.slice(0, n).padEnd(12, '0'));
}

/** Organization levels at or above `lowest` (city … lowest). */
export function levelsDownTo(lowest: OrgLevel): OrgLevel[] {
  return LEVEL_ORDER.slice(0, LEVEL_ORDER.indexOf(lowest) + 1);
}

export interface CandidateOrg {
  id: number;
  name: string;
  level: OrgLevel;
  regionCode: string;
}

/** The lowest candidate: the deepest region first, then the lowest organization level, then id. */
export function pickLowest(cands: readonly CandidateOrg[]): CandidateOrg | undefined {
  return [...cands].sort(
    (a, b) =>
      regionLevel(b.regionCode) - regionLevel(a.regionCode) ||
      LEVEL_ORDER.indexOf(b.level) - LEVEL_ORDER.indexOf(a.level) ||
      a.id - b.id,
  )[0];
}

export interface RoutingDecision {
  ruleId: number | null;
  ruleName: string | null;
  orgType: OrgType | null;
  orgId: number | null;
  orgName: string | null;
  /** dispatched automatically, or left to the dispatch center */
  auto: boolean;
  reason: string;
}

/** The stored, human-readable reason of a routing decision. */
export function routingReason(
  rule: RoutingRule | undefined,
  group: AppealGroup,
  categoryName: string,
  regionName: string,
  org: CandidateOrg | undefined,
  centerName: string,
): string {
  const who = `${APPEAL_GROUPS[group]}反映「${categoryName}」`;
  if (!rule) return `${who}，没有适用的分派规则，由${centerName}人工派单`;
  const type = ORG_TYPES[rule.orgType];
  if (!org)
    return `${who}，按规则「${rule.name}」应由${type}办理，但「${regionName}」没有受理诉求的${type}组织，由${centerName}人工派单`;
  return `${who}，按规则「${rule.name}」由${type}办理；事项发生地「${regionName}」，分派给覆盖该地、受理诉求的最低一级（至${ORG_LEVELS[rule.lowestLevel]}级）${type}组织「${org.name}」`;
}
