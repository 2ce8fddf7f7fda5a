import type { CategoryKind } from '../../../../shared/appeals/constants';
import type { RoutingRule as SharedRoutingRule } from '../../../../shared/appeals/routing';
import type { SlaRule } from '../../../../shared/appeals/sla';
import { api } from '../../../api';

export type { SlaRule };

/** A category as stored (disabled ones too), for the configuration screen. */
export interface CategoryRow {
  code: string;
  parentCode: string | null;
  name: string;
  kind: CategoryKind;
  sort: number;
  active: boolean;
  /** sent back with an edit; a stale one is refused (409) */
  version: number;
}
export interface CategoryTreeRow extends CategoryRow {
  children?: CategoryTreeRow[];
}

/** A routing rule as the screen edits it (a new one has no id yet). */
export type RoutingRule = Omit<SharedRoutingRule, 'id'> & { id?: number };

export interface WorkdayOverride {
  day: string;
  kind: 'holiday' | 'workday';
  note: string | null;
}

/**
 * A list that is saved whole (routing rules, time limits, calendar overrides) with the version
 * it was read at; a save on a stale version is refused (409) and changes nothing.
 */
export interface Versioned<T> {
  items: T[];
  version: number;
}

export const CODE_PATTERN = /^[A-Z][A-Z0-9_]{1,19}$/;
export const OVERRIDE_KINDS = { holiday: '放假', workday: '调休上班' } as const;

const stripRule = ({ id: _id, ...r }: RoutingRule) => r;
const stripSla = ({ id: _id, ...r }: SlaRule) => r;

/** A list of rules saved whole with one version: its GET and its PUT (`{ rules, version }`). */
function ruleList<T>(path: string, strip: (rule: T) => unknown) {
  return {
    read: async (): Promise<Versioned<T>> => {
      const r = await api.get<{ rules: T[]; version: number }>(path);
      return { items: r.rules, version: r.version };
    },
    save: async (rules: T[], version: number): Promise<Versioned<T>> => {
      const r = await api.put<{ rules: T[]; version: number }>(path, { version, rules: rules.map(strip) });
      return { items: r.rules, version: r.version };
    },
  };
}
const routingRules = ruleList<RoutingRule>('/api/appeal-config/routing-rules', stripRule);
const slaRules = ruleList<SlaRule>('/api/appeal-config/sla-rules', stripSla);

/** The configuration endpoints of the appeals module (`routes-config.ts`). */
export const configApi = {
  categories: () => api.get<{ items: CategoryRow[] }>('/api/appeal-config/categories'),
  /** an edit sends the category's version, a new category `null` */
  putCategory: (code: string, body: Omit<CategoryRow, 'code' | 'version'> & { version: number | null }) =>
    api.put<CategoryRow>(`/api/appeal-config/categories/${encodeURIComponent(code)}`, body),
  rules: routingRules.read,
  putRules: routingRules.save,
  sla: slaRules.read,
  putSla: slaRules.save,
  calendar: () => api.get<Versioned<WorkdayOverride>>('/api/appeal-config/calendar'),
  putCalendar: (items: WorkdayOverride[], version: number) =>
    api.put<Versioned<WorkdayOverride>>('/api/appeal-config/calendar', {
      version,
      overrides: items.map((o) => ({ day: o.day, kind: o.kind, ...(o.note ? { note: o.note } : {}) })),
    }),
};

/** The flat list as a tree (children under their parent, in the stored order). */
export function toTree(rows: readonly CategoryRow[]): CategoryTreeRow[] {
  const build = (parent: string | null): CategoryTreeRow[] =>
    rows
      .filter((r) => r.parentCode === parent)
      .map((r) => {
        const children = build(r.code);
        return children.length ? { ...r, children } : { ...r };
      });
  return build(null);
}

/** Tree data for a TreeSelect of categories (disabled ones shown, not selectable unless `withInactive`). */
export interface CategoryOption {
  value: string;
  title: string;
  disabled?: boolean;
  children?: CategoryOption[];
}
export function categoryOptions(
  tree: readonly CategoryTreeRow[],
  opts: { withInactive?: boolean; exclude?: string } = {},
): CategoryOption[] {
  return tree
    .filter((n) => n.code !== opts.exclude)
    .map((n) => ({
      value: n.code,
      title: n.active ? n.name : `${n.name}（已停用）`,
      disabled: !n.active && !opts.withInactive,
      children: n.children ? categoryOptions(n.children, opts) : undefined,
    }));
}

/** Category names by code, for labels in the rule tables. */
export const namesOf = (rows: readonly CategoryRow[]) => new Map(rows.map((r) => [r.code, r.name]));
