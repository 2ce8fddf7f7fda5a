import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import type { CompositionQuery, StatsQuery } from '../../../../shared/contracts/people.js';
import { ORG_LEVELS, ORG_TYPES } from '../../../../shared/orgs.js';
import { COMPOSITION_ROLES, MEMBERSHIP_ROLES, type MembershipRole } from '../../../../shared/people/dicts.js';
import { assertAccess } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { type Queryable, type Sql, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { forbidden } from '../../../platform/errors.js';
import { orgInScope } from '../scope.js';
import { memberStatsAsOf } from './summary.js';

type By = 'type' | 'level' | 'org';

/** Which organizations a statistic covers, and how its rows are keyed. */
async function frame(q: Queryable, ctx: Ctx, orgId: number | undefined, by: By) {
  const root = orgId ?? (by === 'org' ? ctx.actor.orgId : undefined);
  if (root !== undefined) await assertAccess(q, ctx.actor, 'person:read', 'org', [root]);
  else if (!ctx.actor.permissions.has('person:read')) throw forbidden();
  const path = root
    ? (await q.query<{ path: string }>(sql`SELECT path FROM orgs WHERE id = ${root}`))[0]!.path
    : undefined;
  const conds: Sql[] = [];
  if (path) conds.push(sql`o.path LIKE ${`${path}%`}`);
  if (!ctx.actor.scope.all) conds.push(orgInScope(ctx.actor, 'o'));
  const key =
    by === 'type'
      ? sql.raw('o.type')
      : by === 'level'
        ? sql.raw('o.level')
        : sql`split_part(substr(o.path, ${path!.length + 1}), '/', 1)`;
  return { root: root ?? null, where: sql.and(conds), key };
}

/** Labels of row keys: type and level names, or the names of the child organizations ('' = the organization itself). */
async function labels(
  q: Queryable,
  by: By,
  root: number | null,
  keys: string[],
): Promise<Map<string, string>> {
  if (by === 'type') return new Map(keys.map((k) => [k, ORG_TYPES[k as keyof typeof ORG_TYPES] ?? k]));
  if (by === 'level') return new Map(keys.map((k) => [k, ORG_LEVELS[k as keyof typeof ORG_LEVELS] ?? k]));
  const ids = keys.map((k) => Number(k || root));
  const rows = await q.query<{ id: number; name: string }>(
    sql`SELECT id, name FROM orgs WHERE id = ANY(${ids}::bigint[])`,
  );
  const names = new Map(rows.map((r) => [String(r.id), r.name]));
  return new Map(
    keys.map((k) => [k, k === '' ? `${names.get(String(root)) ?? ''}（本级）` : (names.get(k) ?? k)]),
  );
}

const share = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10000) / 10000);

export function createStatsService(deps: Deps) {
  const { db } = deps;
  return {
    /** Members by organization type, level or child organization: active, women, under 28 and 35, front-line, pending. */
    async memberships(ctx: Ctx, f: StatsQuery) {
      const fr = await frame(db, ctx, f.orgId, f.by);
      const asOf = await memberStatsAsOf(db, shanghaiYmd(ctx.now), deps.log);
      const rows = await db.query<{
        key: string;
        role: string;
        active: number;
        women: number;
        under28: number;
        under35: number;
        frontline: number;
        pending: number;
      }>(sql`SELECT ${fr.key} AS key, s.role,
          COALESCE(sum(s.n) FILTER (WHERE s.status = 'active'), 0)::int AS active,
          COALESCE(sum(s.women) FILTER (WHERE s.status = 'active'), 0)::int AS women,
          COALESCE(sum(s.under28) FILTER (WHERE s.status = 'active'), 0)::int AS under28,
          COALESCE(sum(s.under35) FILTER (WHERE s.status = 'active'), 0)::int AS under35,
          COALESCE(sum(s.frontline) FILTER (WHERE s.status = 'active'), 0)::int AS frontline,
          COALESCE(sum(s.n) FILTER (WHERE s.status = 'pending'), 0)::int AS pending
        FROM member_stats s JOIN orgs o ON o.id = s.org_id
        WHERE s.n <> 0 AND ${fr.where}
        GROUP BY 1, 2 ORDER BY 1, 2`);
      const live = rows.filter((r) => r.active > 0 || r.pending > 0);
      const names = await labels(db, f.by, fr.root, [...new Set(live.map((r) => r.key))]);
      return {
        orgId: fr.root,
        asOf,
        rows: live.map((r) => ({
          ...r,
          label: names.get(r.key) ?? r.key,
          role: r.role as MembershipRole,
          roleLabel: MEMBERSHIP_ROLES[r.role as MembershipRole] ?? r.role,
        })),
        totals: {
          active: live.reduce((s, r) => s + r.active, 0),
          pending: live.reduce((s, r) => s + r.pending, 0),
          persons: null,
        },
      };
    },

    /** Composition of committees and representatives: shares of front-line workers, women and people under 35. */
    async composition(ctx: Ctx, f: CompositionQuery) {
      const fr = await frame(db, ctx, f.orgId, f.by);
      const asOf = await memberStatsAsOf(db, shanghaiYmd(ctx.now), deps.log);
      const rows = await db.query<{
        key: string;
        role: string;
        total: number;
        frontline: number;
        women: number;
        under35: number;
      }>(
        sql`SELECT ${fr.key} AS key, s.role, sum(s.n)::int AS total, sum(s.frontline)::int AS frontline,
            sum(s.women)::int AS women, sum(s.under35)::int AS under35
          FROM member_stats s JOIN orgs o ON o.id = s.org_id
          WHERE s.status = 'active' AND s.role = ANY(${COMPOSITION_ROLES as string[]}::text[]) AND s.n <> 0 AND ${fr.where}
          GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      const live = rows.filter((r) => r.total > 0);
      const names = await labels(db, f.by, fr.root, [...new Set(live.map((r) => r.key))]);
      return {
        orgId: fr.root,
        asOf,
        rows: live.map((r) => ({
          ...r,
          label: names.get(r.key) ?? r.key,
          role: r.role as MembershipRole,
          roleLabel: MEMBERSHIP_ROLES[r.role as MembershipRole] ?? r.role,
          frontlineShare: share(r.frontline, r.total),
          womenShare: share(r.women, r.total),
          under35Share: share(r.under35, r.total),
        })),
      };
    },
  };
}
