/** Pre-filled cells: a cell bound to an indicator gets the indicator's value for the reporting organization's subtree. */
import type { FormDefinition } from '../../../shared/contracts/stats.js';
import type { Period } from '../../../shared/stats/period.js';
import type { Queryable } from '../../platform/db/index.js';
import { computeIndicators, INDICATORS, type OrgRef } from './indicators.js';

/** Members split by gender: a cell disaggregated by options M and F. */
const BY_GENDER = 'members.by_gender';
const GENDER_KEYS: Record<string, string> = { M: 'members.men', F: 'members.women' };

export const prefillKeys = () => [...INDICATORS.map((i) => i.key), BY_GENDER];

/** The indicator each pre-filled cell key reads. */
function bindings(def: FormDefinition): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of def.cells) {
    if (!c.prefill) continue;
    const d = c.disaggregation ? def.disaggregations.find((x) => x.key === c.disaggregation) : undefined;
    if (!d) {
      if (c.prefill !== BY_GENDER) out.set(c.code, c.prefill);
      continue;
    }
    for (const o of d.options) {
      const key = c.prefill === BY_GENDER ? GENDER_KEYS[o.code] : undefined;
      if (key) out.set(`${c.code}.${o.code}`, key);
    }
  }
  return out;
}

export async function computePrefill(
  q: Queryable,
  def: FormDefinition,
  org: OrgRef,
  period: Period,
): Promise<Record<string, number | null>> {
  const b = bindings(def);
  if (b.size === 0) return {};
  const values = (await computeIndicators(q, [...new Set(b.values())], [org], period)).get(org.id) ?? {};
  return Object.fromEntries([...b].map(([cell, key]) => [cell, values[key]?.value ?? null]));
}

/** The indicator behind a pre-filled cell key (for "the records behind it"). */
export const indicatorOfCell = (def: FormDefinition, cellKey: string) => bindings(def).get(cellKey) ?? null;
