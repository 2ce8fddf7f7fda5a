import { z } from 'zod';
import { APPEAL_CHANNELS, type AppealChannel } from '../../../shared/appeals/constants.js';
import { ORG_TYPES, type OrgType } from '../../../shared/orgs.js';
import type { Ctx } from '../../platform/actor.js';
import { type Sql, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden } from '../../platform/errors.js';
import { appealConfig } from './config.js';
import { readScope } from './repo.js';

export const statsQuery = z
  .object({
    groupBy: z
      .enum(['org', 'orgType', 'region', 'month', 'day', 'category', 'channel', 'all'])
      .default('org'),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    orgType: z.enum(Object.keys(ORG_TYPES) as [OrgType]).optional(),
  })
  .strict();
export type StatsQuery = z.infer<typeof statsQuery>;

export const statsRow = z.object({
  key: z.string(),
  label: z.string(),
  total: z.number(),
  /** 响应率: signed for in time, of those whose signing time has come */
  signedInTime: z.number(),
  signEligible: z.number(),
  responseRate: z.number().nullable(),
  /** 办结率: closed of all */
  closed: z.number(),
  closeRate: z.number().nullable(),
  /** 按时办结率: answered in time, of those answered or overdue */
  repliedInTime: z.number(),
  replyEligible: z.number(),
  onTimeRate: z.number().nullable(),
  /** 满意率: satisfied of rated */
  satisfied: z.number(),
  rated: z.number(),
  satisfactionRate: z.number().nullable(),
  overdue: z.number(),
  supervised: z.number(),
});
export type StatsRow = z.infer<typeof statsRow>;

const rate = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 10);
/** Shanghai local time of an instant, as a timestamp without zone (engine-neutral: no zone names but UTC). */
const local = sql.raw(`(a.created_at AT TIME ZONE 'UTC' + interval '8 hours')`);

const KEYS: Record<Exclude<StatsQuery['groupBy'], 'all'>, Sql> = {
  org: sql.raw('a.org_id::text'),
  orgType: sql.raw('o.type'),
  region: sql.raw('substr(a.region_code, 1, 6)'),
  month: sql`to_char(${local}, 'YYYY-MM')`,
  day: sql`to_char(${local}, 'YYYY-MM-DD')`,
  category: sql.raw('a.category_code'),
  channel: sql.raw('a.channel'),
};

/** The three rates (响应率, 办结率/按时办结率, 满意率) and volumes, grouped. */
export function createStatsService(deps: Deps) {
  const { db } = deps;
  return {
    async stats(ctx: Ctx, f: StatsQuery): Promise<{ items: StatsRow[]; summary: StatsRow }> {
      if (!ctx.actor.permissions.has('appeal:read')) throw forbidden();
      const now = ctx.now;
      const conds: Sql[] = [readScope(ctx.actor), sql`a.status <> 'merged'`];
      if (f.from) conds.push(sql`a.created_at >= ${new Date(`${f.from}T00:00:00+08:00`)}`);
      if (f.to)
        conds.push(
          sql`a.created_at < ${new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000)}`,
        );
      if (f.orgType) conds.push(sql`o.type = ${f.orgType}`);
      const key = f.groupBy === 'all' ? sql.raw(`'all'`) : KEYS[f.groupBy];
      const running = sql`a.status IN ('dispatched', 'accepted', 'handling')`;
      const rows = await db.query<Record<string, number | string>>(sql`SELECT ${key} AS key,
          count(*)::int AS total,
          count(*) FILTER (WHERE a.signed_in_time)::int AS signed_in_time,
          count(*) FILTER (WHERE a.signed_in_time IS NOT NULL
            OR (a.status = 'dispatched' AND a.sign_due_at < ${now}))::int AS sign_eligible,
          count(*) FILTER (WHERE a.status = 'closed')::int AS closed,
          count(*) FILTER (WHERE a.replied_in_time)::int AS replied_in_time,
          count(*) FILTER (WHERE a.replied_in_time IS NOT NULL OR (${running} AND a.due_at < ${now}))::int AS reply_eligible,
          count(*) FILTER (WHERE a.satisfaction IN ('very_satisfied', 'satisfied', 'basically_satisfied'))::int AS satisfied,
          count(*) FILTER (WHERE a.satisfaction IS NOT NULL)::int AS rated,
          count(*) FILTER (WHERE ${running} AND a.due_at < ${now})::int AS overdue,
          count(*) FILTER (WHERE a.supervision_level > 0)::int AS supervised
        FROM appeals a JOIN orgs o ON o.id = a.org_id
        WHERE ${sql.and(conds)} GROUP BY 1 ORDER BY 1`);
      const labels = await labelsFor(
        f.groupBy,
        rows.map((r) => String(r.key)),
      );
      const toRow = (r: Record<string, number | string>, label: string): StatsRow => {
        const n = (k: string) => Number(r[k] ?? 0);
        return {
          key: String(r.key),
          label,
          total: n('total'),
          signedInTime: n('signed_in_time'),
          signEligible: n('sign_eligible'),
          responseRate: rate(n('signed_in_time'), n('sign_eligible')),
          closed: n('closed'),
          closeRate: rate(n('closed'), n('total')),
          repliedInTime: n('replied_in_time'),
          replyEligible: n('reply_eligible'),
          onTimeRate: rate(n('replied_in_time'), n('reply_eligible')),
          satisfied: n('satisfied'),
          rated: n('rated'),
          satisfactionRate: rate(n('satisfied'), n('rated')),
          overdue: n('overdue'),
          supervised: n('supervised'),
        };
      };
      let items = rows.map((r) => toRow(r, labels.get(String(r.key)) ?? String(r.key)));
      if (f.groupBy === 'category') items = await rollUpCategories(items);
      const sum: Record<string, number | string> = { key: 'all' };
      for (const r of rows)
        for (const [k, v] of Object.entries(r)) if (k !== 'key') sum[k] = Number(sum[k] ?? 0) + Number(v);
      if (f.groupBy === 'org' || f.groupBy === 'region') items.sort((a, b) => b.total - a.total);
      return { items, summary: toRow(sum, '合计') };
    },
  };

  async function labelsFor(groupBy: StatsQuery['groupBy'], keys: string[]): Promise<Map<string, string>> {
    const m = new Map<string, string>();
    if (groupBy === 'org' && keys.length > 0) {
      const r = await db.query<{ id: number; name: string }>(
        sql`SELECT id, name FROM orgs WHERE id = ANY(${keys.map(Number)}::bigint[])`,
      );
      for (const o of r) m.set(String(o.id), o.name);
    } else if (groupBy === 'region' && keys.length > 0) {
      const r = await db.query<{ code: string; name: string }>(
        sql`SELECT code, name FROM regions WHERE code = ANY(${keys.map((k) => k.padEnd(12, '0'))}::text[])`,
      );
      for (const x of r) m.set(x.code.slice(0, 6), x.name);
    } else if (groupBy === 'orgType') for (const k of keys) m.set(k, ORG_TYPES[k as OrgType] ?? k);
    else if (groupBy === 'channel') for (const k of keys) m.set(k, APPEAL_CHANNELS[k as AppealChannel] ?? k);
    else if (groupBy === 'all') m.set('all', '合计');
    return m;
  }

  /** Adds sub-categories into their top-level category. */
  async function rollUpCategories(items: StatsRow[]): Promise<StatsRow[]> {
    const cfg = await appealConfig(db);
    const out = new Map<string, StatsRow>();
    for (const it of items) {
      const top = cfg.chain(it.key).at(-1) ?? it.key;
      const cur = out.get(top);
      const label = cfg.categories.get(top)?.name ?? top;
      if (!cur) out.set(top, { ...it, key: top, label });
      else
        for (const k of Object.keys(it) as (keyof StatsRow)[])
          if (typeof it[k] === 'number' && !k.endsWith('Rate')) (cur[k] as number) += it[k] as number;
    }
    return [...out.values()].map((r) => ({
      ...r,
      responseRate: rate(r.signedInTime, r.signEligible),
      closeRate: rate(r.closed, r.total),
      onTimeRate: rate(r.repliedInTime, r.replyEligible),
      satisfactionRate: rate(r.satisfied, r.rated),
    }));
  }
}

export const STATS_COLUMNS: [keyof StatsRow, string][] = [
  ['label', '名称'],
  ['total', '诉求总量'],
  ['responseRate', '响应率(%)'],
  ['closeRate', '办结率(%)'],
  ['onTimeRate', '按时办结率(%)'],
  ['satisfactionRate', '满意率(%)'],
  ['overdue', '超期'],
  ['supervised', '督办'],
  ['closed', '已办结'],
  ['rated', '已评价'],
];
