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
import { tableVersion } from '../../platform/cache.js';
import { type Db, sql } from '../../platform/db/index.js';
import { type AppealConfig, cachedLookup } from './config.js';
import type { OrgBrief } from './repo.js';

export interface RouteInput {
  group: AppealGroup;
  categoryCode: string;
  regionCode: string;
}

/** The first routing rule matching the appeal (configuration only, no database). */
export const ruleFor = (cfg: AppealConfig, input: RouteInput): RoutingRule | undefined =>
  matchRule(cfg.rules, input.group, cfg.chain(input.categoryCode));

type Candidate = Pick<OrgBrief, 'id' | 'name' | 'level' | 'region_code'>;

/**
 * The organizations that may take the appeal under a rule: of its type, active, taking
 * appeals, at or above its lowest level, in a region covering the appeal's. Read from the
 * active appeal-taking organizations, cached a few seconds (a change of an organization
 * reaches routing within that time), so intake reads nothing for it per appeal.
 */
export async function candidatesFor(
  db: Db,
  rule: RoutingRule | undefined,
  regionCode: string,
): Promise<Candidate[]> {
  if (!rule) return [];
  const takers = await cachedLookup(db, 'orgs:taking-appeals', {
    version: tableVersion(db, 'orgs', [
      'id',
      'name',
      'type',
      'level',
      'region_code',
      'status',
      'takes_appeals',
    ]),
    load: () => takersByTypeRegion(db),
  });
  const levels = new Set<string>(levelsDownTo(rule.lowestLevel));
  return coveringRegions(regionCode).flatMap((code) =>
    (takers.get(`${rule.orgType}|${code}`) ?? []).filter((o) => levels.has(o.level)),
  );
}

/** The active organizations that take appeals, by type and region. */
async function takersByTypeRegion(db: Db): Promise<Map<string, Candidate[]>> {
  const byTypeRegion = new Map<string, Candidate[]>();
  const rows = await db.query<Candidate & { type: string }>(sql`SELECT id, name, type, level, region_code
      FROM orgs WHERE status = 'active' AND takes_appeals ORDER BY id`);
  for (const { type, ...o } of rows) {
    const key = `${type}|${o.region_code}`;
    const list = byTypeRegion.get(key);
    if (list) list.push(o);
    else byTypeRegion.set(key, [o]);
  }
  return byTypeRegion;
}

/** The name of a region, or null when the code is unknown (regions cached a few seconds). */
export async function regionNameOf(db: Db, code: string): Promise<string | null> {
  const names = await cachedLookup(db, 'regions:names', {
    version: tableVersion(db, 'regions', ['code', 'name']),
    load: async () => {
      const rows = await db.query<{ code: string; name: string }>(sql`SELECT code, name FROM regions`);
      return new Map(rows.map((r) => [r.code, r.name]));
    },
  });
  return names.get(code) ?? null;
}

/** The routing decision: the rule, the lowest candidate organization, and the reason in words. */
export function decideRoute(
  cfg: AppealConfig,
  rule: RoutingRule | undefined,
  cands: readonly Candidate[],
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
