import type { AppealGroup } from '../../../shared/appeals/constants.js';
import {
  type CandidateOrg,
  coveringRegions,
  levelsDownTo,
  matchRule,
  pickLowest,
  type RoutingDecision,
  routingReason,
} from '../../../shared/appeals/routing.js';
import type { OrgLevel } from '../../../shared/orgs.js';
import type { Db, Queryable } from '../../platform/db/index.js';
import { type AppealConfig, cachedLookup } from './config.js';
import { routingCandidates } from './repo.js';

/** Applies the routing rules: the rule, the organization, and the reason in words. */
export async function routeAppeal(
  db: Db,
  q: Queryable,
  cfg: AppealConfig,
  input: { group: AppealGroup; categoryCode: string; regionCode: string; regionName: string },
): Promise<RoutingDecision> {
  const chain = cfg.chain(input.categoryCode);
  const rule = matchRule(cfg.rules, input.group, chain);
  let org: CandidateOrg | undefined;
  if (rule) {
    const type = rule.orgType;
    const lowest = rule.lowestLevel;
    const cands = await cachedLookup(db, `route:${type}:${lowest}:${input.regionCode}`, () =>
      routingCandidates(q, type, coveringRegions(input.regionCode), levelsDownTo(lowest)),
    );
    org = pickLowest(
      cands.map((c) => ({ id: c.id, name: c.name, level: c.level as OrgLevel, regionCode: c.region_code })),
    );
  }
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
