import type { PreviewNode } from '../../../shared/contracts/onboarding.js';
import { sql } from '../../platform/db/index.js';
import type { Queryable } from '../../platform/db/types.js';

/** Rows shown in a preview at the most; the rest is counted as truncated. */
const PREVIEW_CAP = 2000;

/**
 * The preview of rows that each belong to an existing organization (units, users): one node
 * per organization, the file's rows beneath it.
 */
export function previewByOrg<I extends { action: PreviewNode['action']; row: { no: number; orgId: number } }>(
  items: I[],
  orgName: (id: number) => string,
  label: (item: I) => string,
): { nodes: PreviewNode[]; truncated: boolean } {
  const groups = new Map<number, PreviewNode>();
  for (const i of items.slice(0, PREVIEW_CAP)) {
    let g = groups.get(i.row.orgId);
    if (!g) {
      g = { key: `d${i.row.orgId}`, name: orgName(i.row.orgId), action: 'existing', row: null, children: [] };
      groups.set(i.row.orgId, g);
    }
    g.children.push({ key: `u${i.row.no}`, name: label(i), action: i.action, row: i.row.no, children: [] });
  }
  return { nodes: [...groups.values()], truncated: items.length > PREVIEW_CAP };
}

/** Gives each item to be created an id from the table's own sequence, in one statement; the ids. */
export async function assignIds(
  tx: Queryable,
  table: 'units' | 'users',
  creates: { id: number | null }[],
): Promise<number[]> {
  if (creates.length === 0) return [];
  const ids = (
    await tx.query<{ id: number }>(
      sql`SELECT nextval(pg_get_serial_sequence(${table}, 'id'))::bigint AS id FROM generate_series(1, ${creates.length})`,
    )
  ).map((r) => Number(r.id));
  creates.forEach((c, i) => {
    c.id = ids[i]!;
  });
  return ids;
}
