import type { AppealPriority, CategoryKind } from '../../../shared/appeals/constants.js';
import type { RoutingRule } from '../../../shared/appeals/routing.js';
import { pickSla, type SlaRule } from '../../../shared/appeals/sla.js';
import type { WorkCalendar } from '../../../shared/calendar/workdays.js';
import type { CategoryNode } from '../../../shared/contracts/appeals.js';
import type { OrgLevel, OrgType } from '../../../shared/orgs.js';
import { RefCache, type Source, tablesVersion, type VersionOf } from '../../platform/cache.js';
import { CALENDAR_TABLE, loadCalendar } from '../../platform/calendar.js';
import { type Db, type Queryable, sql } from '../../platform/db/index.js';
import { invalid } from '../../platform/errors.js';

export interface Category {
  code: string;
  parentCode: string | null;
  name: string;
  kind: CategoryKind;
  sort: number;
  active: boolean;
}

/** The appeal configuration (categories, routing rules, time limits, calendar), read together. */
export interface AppealConfig {
  categories: Map<string, Category>;
  rules: RoutingRule[];
  sla: SlaRule[];
  calendar: WorkCalendar;
  center: { id: number; name: string };
  /** the category and its ancestors, itself first */
  chain(code: string): string[];
  category(code: string): Category;
  slaOf(code: string, priority: AppealPriority): SlaRule;
  tree(): CategoryNode[];
}

/** The routing rules in the order they are evaluated. */
export async function readRoutingRules(q: Queryable): Promise<RoutingRule[]> {
  const rows = await q.query<{
    id: number;
    seq: number;
    name: string;
    groups: string[] | null;
    category_codes: string[] | null;
    org_type: string;
    lowest_level: string;
    active: boolean;
  }>(sql`SELECT id, seq, name, groups, category_codes, org_type, lowest_level, active
    FROM appeal_routing_rules ORDER BY seq, id`);
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    name: r.name,
    groups: r.groups as RoutingRule['groups'],
    categoryCodes: r.category_codes,
    orgType: r.org_type as OrgType,
    lowestLevel: r.lowest_level as OrgLevel,
    active: r.active,
  }));
}

/** The time limits, in the order they were saved. */
export async function readSlaRules(q: Queryable): Promise<SlaRule[]> {
  const rows = await q.query<{
    id: number;
    category_code: string | null;
    priority: AppealPriority | null;
    sign_days: number;
    return_days: number;
    reply_days: number;
    visit_days: number;
    max_extension_days: number;
  }>(sql`SELECT id, category_code, priority, sign_days, return_days, reply_days, visit_days, max_extension_days
    FROM appeal_sla_rules ORDER BY id`);
  return rows.map((r) => ({
    id: r.id,
    categoryCode: r.category_code,
    priority: r.priority,
    signDays: r.sign_days,
    returnDays: r.return_days,
    replyDays: r.reply_days,
    visitDays: r.visit_days,
    maxExtensionDays: r.max_extension_days,
  }));
}

async function load(q: Queryable): Promise<AppealConfig> {
  const [cats, rules, slaRules, calendar, center] = await Promise.all([
    q.query<{
      code: string;
      parent_code: string | null;
      name: string;
      kind: CategoryKind;
      sort: number;
      active: boolean;
    }>(sql`SELECT code, parent_code, name, kind, sort, active FROM appeal_categories ORDER BY sort, code`),
    readRoutingRules(q),
    readSlaRules(q),
    loadCalendar(q),
    q.query<{ id: number; name: string }>(
      sql`SELECT id, name FROM orgs WHERE type = 'party_mass_office' AND status = 'active' ORDER BY depth, id LIMIT 1`,
    ),
  ]);
  const categories = new Map<string, Category>(
    cats.map((c) => [
      c.code,
      { code: c.code, parentCode: c.parent_code, name: c.name, kind: c.kind, sort: c.sort, active: c.active },
    ]),
  );
  const chain = (code: string) => {
    const out: string[] = [];
    for (
      let c = categories.get(code);
      c && out.length < 10;
      c = c.parentCode ? categories.get(c.parentCode) : undefined
    )
      out.push(c.code);
    return out;
  };
  return {
    categories,
    rules,
    sla: slaRules,
    calendar,
    center: center[0] ?? { id: 0, name: '群团工作部门' },
    chain,
    category(code) {
      const c = categories.get(code);
      if (!c?.active) throw invalid('诉求分类不存在', { field: 'categoryCode' });
      return c;
    },
    slaOf: (code, priority) => pickSla(slaRules, chain(code), priority),
    tree() {
      const build = (parent: string | null): CategoryNode[] =>
        cats
          .filter((c) => c.parent_code === parent && c.active)
          .map((c) => ({ code: c.code, name: c.name, kind: c.kind, children: build(c.code) }));
      return build(null);
    },
  };
}

const cache = new RefCache();

/** What `load` reads, for the configuration's version. */
const CONFIG_TABLES: VersionOf[] = [
  ['appeal_categories', ['code', 'parent_code', 'name', 'kind', 'sort', 'active']],
  [
    'appeal_routing_rules',
    ['id', 'seq', 'name', 'groups', 'category_codes', 'org_type', 'lowest_level', 'active'],
  ],
  [
    'appeal_sla_rules',
    [
      'id',
      'category_code',
      'priority',
      'sign_days',
      'return_days',
      'reply_days',
      'visit_days',
      'max_extension_days',
    ],
  ],
  CALENDAR_TABLE,
  ['orgs', ['id', 'name', 'status', 'depth'], "type = 'party_mass_office'"],
];

/**
 * The configuration, cached per database: dropped on every change made by this process, and
 * read again when its version shows a change made by another (checked every few seconds).
 */
export const appealConfig = (db: Db): Promise<AppealConfig> =>
  cache.get(db, 'config', { load: () => load(db), version: tablesVersion(db, CONFIG_TABLES) });

export function invalidateAppealConfig(db: Db): void {
  cache.forget(db);
}

/**
 * A read of reference data (regions, organizations, who handles appeals) kept for a few
 * seconds per database, so the intake path does not repeat it for every appeal; with a
 * `version`, read again only when that has changed.
 */
export const cachedLookup = <T>(db: Db, key: string, source: (() => Promise<T>) | Source<T>): Promise<T> =>
  cache.get(db, `lookup:${key}`, source);
