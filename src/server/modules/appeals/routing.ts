import type { AppealGroup } from '../../../shared/appeals/constants.js';
import {
  type CandidateOrg,
  coveringRegions,
  levelsDownTo,
  matchRule,
  pickLowest,
  type RoutingDecision,
  type RoutingRule,
  routingReason,
} from '../../../shared/appeals/routing.js';
import type { OrgLevel } from '../../../shared/orgs.js';
import { type Sql, sql } from '../../platform/db/index.js';
import type { AppealConfig } from './config.js';
import type { OrgBrief } from './repo.js';

export interface RouteInput {
  group: AppealGroup;
  categoryCode: string;
  regionCode: string;
}

/** The first routing rule matching the appeal (configuration only, no database). */
export const ruleFor = (cfg: AppealConfig, input: RouteInput): RoutingRule | undefined =>
  matchRule(cfg.rules, input.group, cfg.chain(input.categoryCode));

/**
 * A JSON array of the organizations that may take the appeal under a rule (of its type,
 * active, taking appeals, at or above its lowest level, in a region covering the appeal's),
 * as an expression: intake reads it in the statement that also takes its locks.
 */
export function candidatesSql(rule: RoutingRule | undefined, regionCode: string): Sql {
  if (!rule) return sql`'[]'::json`;
  return sql`(SELECT COALESCE(json_agg(json_build_object('id', o.id, 'name', o.name, 'level', o.level,
      'region_code', o.region_code)), '[]'::json)
    FROM orgs o WHERE o.type = ${rule.orgType} AND o.status = 'active' AND o.takes_appeals
      AND o.region_code = ANY(${coveringRegions(regionCode)}::text[])
      AND o.level = ANY(${levelsDownTo(rule.lowestLevel)}::text[]))`;
}

/** The routing decision: the rule, the lowest candidate organization, and the reason in words. */
export function decideRoute(
  cfg: AppealConfig,
  rule: RoutingRule | undefined,
  cands: readonly Pick<OrgBrief, 'id' | 'name' | 'level' | 'region_code'>[],
  input: RouteInput & { regionName: string },
): RoutingDecision {
  const org: CandidateOrg | undefined = rule
    ? pickLowest(
        cands.map((c) => ({ id: c.id, name: c.name, level: c.level as OrgLevel, regionCode: c.region_code })),
      )
    : undefined;
  const categoryName = cfg.categories.get(input.categoryCode)?.name ?? input.categoryCode;
  return {
    ruleId: rule?.id ?? null,
    ruleName: rule?.name ?? null,
    orgType: rule?.orgType ?? null,
    orgId: org?.id ?? null,
    orgName: org?.name ?? null,
    auto: !!org,
    reason: routingReason(rule, input.group, categoryName, input.regionName, org, cfg.center.name),
  };
}
