/**
 * The indicators registry: figures computed from the platform's own data, each
 * `(organization subtree, period) → value + the inputs + the records behind it`. Statistics
 * cells pre-fill from it, assessment indicators score from it; a figure is defined once here.
 *
 * This is the one place that reads other modules' tables for figures (appeals, tasks,
 * memberships, units, reports): each source is one grouped query per organization, rolled up
 * to every requested organization's subtree along the materialized paths, so one call serves
 * one organization or the twelve thousand of a city alike.
 *
 * Periods: appeals by the day they were received, tasks by their due date, reports by their
 * period; memberships and coverage are the state at the time of computing (a run freezes it).
 */
import { type Period, periodTypeOf } from '../../../shared/stats/period.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';

export interface IndicatorDef {
  key: string;
  label: string;
  unit: string;
  /** how it is computed, shown next to every use */
  formula: string;
  source: SourceKey;
  /** numerator and denominator input names (a rate), or one input (a count) */
  of: [string] | [string, string];
  /** a rate is numerator / denominator × 100 (%) */
  rate?: boolean;
}

type SourceKey = 'appeals' | 'tasks' | 'members' | 'coverage' | 'reports';

export const INDICATORS: IndicatorDef[] = [
  {
    key: 'members.total',
    label: '会员（团员）人数',
    unit: '人',
    formula: '组织及下级在册会员数',
    source: 'members',
    of: ['members'],
  },
  {
    key: 'members.women',
    label: '女性会员人数',
    unit: '人',
    formula: '在册会员中的女性',
    source: 'members',
    of: ['women'],
  },
  {
    key: 'members.men',
    label: '男性会员人数',
    unit: '人',
    formula: '在册会员中的男性',
    source: 'members',
    of: ['men'],
  },
  {
    key: 'members.under28',
    label: '28岁以下会员人数',
    unit: '人',
    formula: '在册会员中28岁以下',
    source: 'members',
    of: ['under28'],
  },
  {
    key: 'members.frontline',
    label: '一线职工会员人数',
    unit: '人',
    formula: '在册会员中的一线职工',
    source: 'members',
    of: ['frontline'],
  },
  {
    key: 'appeals.received',
    label: '受理诉求数',
    unit: '件',
    formula: '期内受理的诉求件数',
    source: 'appeals',
    of: ['received'],
  },
  {
    key: 'appeals.answered_on_time',
    label: '按时答复数',
    unit: '件',
    formula: '期内受理且在时限内答复的件数',
    source: 'appeals',
    of: ['repliedOnTime'],
  },
  {
    key: 'appeals.response_rate',
    label: '响应率',
    unit: '%',
    formula: '按时签收件数 ÷ 受理件数 × 100',
    source: 'appeals',
    of: ['signedOnTime', 'received'],
    rate: true,
  },
  {
    key: 'appeals.on_time_rate',
    label: '按时办结率',
    unit: '%',
    formula: '按时答复件数 ÷ 已答复件数 × 100',
    source: 'appeals',
    of: ['repliedOnTime', 'replied'],
    rate: true,
  },
  {
    key: 'appeals.satisfaction_rate',
    label: '满意率',
    unit: '%',
    formula: '满意及基本满意件数 ÷ 已评价件数 × 100',
    source: 'appeals',
    of: ['satisfied', 'rated'],
    rate: true,
  },
  {
    key: 'tasks.due',
    label: '到期任务数',
    unit: '项',
    formula: '期内到期的牵头任务',
    source: 'tasks',
    of: ['due'],
  },
  {
    key: 'tasks.on_time',
    label: '按期完成任务数',
    unit: '项',
    formula: '期内到期且按期完成的牵头任务',
    source: 'tasks',
    of: ['onTime'],
  },
  {
    key: 'tasks.on_time_rate',
    label: '任务按期完成率',
    unit: '%',
    formula: '按期完成数 ÷ 到期任务数 × 100',
    source: 'tasks',
    of: ['onTime', 'due'],
    rate: true,
  },
  {
    key: 'tasks.overdue',
    label: '逾期任务数',
    unit: '项',
    formula: '期末仍未完成或逾期完成的到期任务',
    source: 'tasks',
    of: ['overdue'],
  },
  {
    key: 'tasks.listed_open',
    label: '挂牌督办未办结数',
    unit: '项',
    formula: '期末仍未完成的挂牌督办任务',
    source: 'tasks',
    of: ['listedOpen'],
  },
  {
    key: 'coverage.units',
    label: '基层单位数',
    unit: '个',
    formula: '登记的基层单位',
    source: 'coverage',
    of: ['units'],
  },
  {
    key: 'coverage.covered',
    label: '已建组织的基层单位数',
    unit: '个',
    formula: '有组织覆盖的基层单位',
    source: 'coverage',
    of: ['covered'],
  },
  {
    key: 'coverage.rate',
    label: '组织覆盖率',
    unit: '%',
    formula: '已建组织的基层单位 ÷ 基层单位 × 100',
    source: 'coverage',
    of: ['covered', 'units'],
    rate: true,
  },
  {
    key: 'reports.submitted',
    label: '已报统计报表数',
    unit: '份',
    formula: '期内各期别已提交的报表',
    source: 'reports',
    of: ['submitted'],
  },
  {
    key: 'reports.on_time_rate',
    label: '统计报表按时报送率',
    unit: '%',
    formula: '按时报送份数 ÷ 已提交份数 × 100',
    source: 'reports',
    of: ['onTime', 'submitted'],
    rate: true,
  },
  {
    key: 'reports.returned',
    label: '报表被退回次数',
    unit: '次',
    formula: '期内报表被上级退回的次数',
    source: 'reports',
    of: ['returned'],
  },
];
export const INDICATOR_BY_KEY = new Map(INDICATORS.map((i) => [i.key, i]));

export interface OrgRef {
  id: number;
  path: string;
}

export interface IndicatorValue {
  value: number | null;
  inputs: Record<string, number>;
}

/** The subtree roots among some organizations (none under another), as LIKE patterns. */
function rootPatterns(orgs: readonly OrgRef[]): string[] {
  const paths = [...new Set(orgs.map((o) => o.path))].sort();
  const roots: string[] = [];
  for (const p of paths) if (!roots.some((r) => p.startsWith(r))) roots.push(p);
  return roots.map((r) => `${r}%`);
}

const dayAfter = (ymd: string) => {
  const d = new Date(`${ymd}T00:00:00+08:00`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d;
};

/** One grouped query per source: per organization path, the source's input counts. */
function sourceQuery(source: SourceKey, patterns: string[], p: Period): Sql {
  const from = new Date(`${p.start}T00:00:00+08:00`);
  const to = dayAfter(p.end);
  const under = (col: string) => sql`${sql.raw(col)} LIKE ANY(${patterns}::text[])`;
  switch (source) {
    case 'appeals':
      return sql`SELECT o.path, count(*)::int AS received,
          count(*) FILTER (WHERE a.signed_in_time)::int AS "signedOnTime",
          count(*) FILTER (WHERE a.replied_in_time IS NOT NULL)::int AS replied,
          count(*) FILTER (WHERE a.replied_in_time)::int AS "repliedOnTime",
          count(*) FILTER (WHERE a.satisfaction IS NOT NULL)::int AS rated,
          count(*) FILTER (WHERE a.satisfaction IN ('very_satisfied', 'satisfied', 'basically_satisfied'))::int AS satisfied
        FROM appeals a JOIN orgs o ON o.id = a.org_id
        WHERE a.created_at >= ${from} AND a.created_at < ${to} AND a.status <> 'merged' AND ${under('o.path')}
        GROUP BY o.path`;
    case 'tasks':
      return sql`SELECT o.path, count(*)::int AS due,
          count(*) FILTER (WHERE t.completed_date IS NOT NULL AND t.completed_date <= t.due_date)::int AS "onTime",
          count(*) FILTER (WHERE t.completed_date IS NULL OR t.completed_date > t.due_date)::int AS overdue,
          0 AS "listedOpen"
        FROM tasks t JOIN task_orgs x ON x.task_id = t.id AND x.role = 'lead' JOIN orgs o ON o.id = x.org_id
        WHERE t.due_date BETWEEN ${p.start} AND ${p.end} AND t.status <> 'paused' AND ${under('o.path')}
        GROUP BY o.path
        UNION ALL
        SELECT o.path, 0, 0, 0, count(*)::int
        FROM tasks t JOIN task_orgs x ON x.task_id = t.id AND x.role = 'lead' JOIN orgs o ON o.id = x.org_id
        WHERE t.escalation >= 3 AND t.status <> 'paused' AND (t.completed_date IS NULL OR t.completed_date > ${p.end})
          AND t.created_at < ${to} AND ${under('o.path')}
        GROUP BY o.path`;
    case 'members':
      return sql`SELECT o.path, sum(s.n)::int AS members, sum(s.women)::int AS women, sum(s.n - s.women)::int AS men,
          sum(s.under28)::int AS under28, sum(s.frontline)::int AS frontline
        FROM member_stats s JOIN orgs o ON o.id = s.org_id
        WHERE s.role = 'member' AND s.status = 'active' AND ${under('o.path')}
        GROUP BY o.path`;
    case 'coverage':
      return sql`SELECT o.path, count(*)::int AS units,
          count(*) FILTER (WHERE EXISTS (SELECT 1 FROM unit_coverage c WHERE c.unit_id = u.id))::int AS covered
        FROM units u JOIN orgs o ON o.id = u.org_id
        WHERE u.status = 'active' AND ${under('o.path')}
        GROUP BY o.path`;
    case 'reports':
      return sql`SELECT r.org_path AS path, count(*) FILTER (WHERE r.submitted_at IS NOT NULL)::int AS submitted,
          count(*) FILTER (WHERE r.on_time)::int AS "onTime", sum(r.return_count)::int AS returned
        FROM stat_reports r
        WHERE r.period = ANY(${periodsWithin(p)}::text[]) AND ${under('r.org_path')}
        GROUP BY r.org_path`;
  }
}

/** Every period key (of any type) that lies within a period: a year holds its halves, quarters and months. */
export function periodsWithin(p: Period): string[] {
  const y = p.year;
  const out: string[] = [];
  const m1 = Number(p.start.slice(5, 7));
  const m2 = Number(p.end.slice(5, 7));
  for (let m = m1; m <= m2; m++) out.push(`${y}-${String(m).padStart(2, '0')}`);
  for (let q = 1; q <= 4; q++) if ((q - 1) * 3 + 1 >= m1 && q * 3 <= m2) out.push(`${y}-Q${q}`);
  for (let h = 1; h <= 2; h++) if ((h - 1) * 6 + 1 >= m1 && h * 6 <= m2) out.push(`${y}-H${h}`);
  if (m1 === 1 && m2 === 12) out.push(String(y));
  return out.filter((k) => periodTypeOf(k) !== null);
}

/**
 * Computes indicators for many organizations at once, each over its own subtree. The result
 * maps organization id → indicator key → value and inputs.
 */
export async function computeIndicators(
  q: Queryable,
  keys: readonly string[],
  orgs: readonly OrgRef[],
  period: Period,
): Promise<Map<number, Record<string, IndicatorValue>>> {
  const defs = keys.map((k) => {
    const d = INDICATOR_BY_KEY.get(k);
    if (!d) throw new Error(`unknown indicator ${k}`);
    return d;
  });
  const out = new Map<number, Record<string, IndicatorValue>>(orgs.map((o) => [o.id, {}]));
  if (orgs.length === 0 || defs.length === 0) return out;
  const patterns = rootPatterns(orgs);
  const wanted = new Map(orgs.map((o) => [o.id, o]));
  for (const source of new Set(defs.map((d) => d.source))) {
    const rows = await q.query<Record<string, number> & { path: string }>(
      sourceQuery(source, patterns, period),
    );
    // roll each organization's counts up to every requested ancestor (itself included)
    const totals = new Map<number, Record<string, number>>();
    for (const r of rows) {
      for (const part of r.path.split('/')) {
        if (!part) continue;
        const id = Number(part);
        if (!wanted.has(id)) continue;
        let t = totals.get(id);
        if (!t) {
          t = {};
          totals.set(id, t);
        }
        for (const [k, v] of Object.entries(r)) if (k !== 'path') t[k] = (t[k] ?? 0) + Number(v ?? 0);
      }
    }
    for (const d of defs.filter((x) => x.source === source)) {
      for (const o of orgs) {
        const t = totals.get(o.id) ?? {};
        const inputs = Object.fromEntries(d.of.map((k) => [k, t[k] ?? 0]));
        const value = d.rate
          ? (inputs[d.of[1]!] ?? 0) === 0
            ? null
            : Math.round((inputs[d.of[0]]! / inputs[d.of[1]!]!) * 100 * 100) / 100
          : (inputs[d.of[0]] ?? 0);
        out.get(o.id)![d.key] = { value, inputs };
      }
    }
  }
  return out;
}

export interface IndicatorRecord {
  type: 'appeal' | 'task' | 'report' | 'unit' | 'org';
  id: number;
  title: string;
  note: string;
  href: string;
}

const SATISFIED = ['very_satisfied', 'satisfied', 'basically_satisfied'];

/** The records behind an indicator for one organization's subtree (at most `limit`). */
export async function indicatorRecords(
  q: Queryable,
  key: string,
  org: OrgRef,
  period: Period,
  limit = 200,
): Promise<IndicatorRecord[]> {
  const d = INDICATOR_BY_KEY.get(key);
  if (!d) return [];
  const like = `${org.path}%`;
  const from = new Date(`${period.start}T00:00:00+08:00`);
  const to = dayAfter(period.end);
  switch (d.source) {
    case 'appeals': {
      const rows = await q.query<{
        id: number;
        tracking_code: string;
        title: string;
        status: string;
        satisfaction: string | null;
        replied_in_time: boolean | null;
        signed_in_time: boolean | null;
      }>(
        sql`SELECT a.id, a.tracking_code, a.title, a.status, a.satisfaction, a.replied_in_time, a.signed_in_time
          FROM appeals a JOIN orgs o ON o.id = a.org_id
          WHERE a.created_at >= ${from} AND a.created_at < ${to} AND a.status <> 'merged' AND o.path LIKE ${like}
          ORDER BY a.created_at DESC, a.id DESC LIMIT ${limit}`,
      );
      return rows.map((r) => ({
        type: 'appeal',
        id: r.id,
        title: `${r.tracking_code} ${r.title}`,
        note: [
          r.signed_in_time === null ? '' : r.signed_in_time ? '按时签收' : '超时签收',
          r.replied_in_time === null ? '未答复' : r.replied_in_time ? '按时答复' : '超时答复',
          r.satisfaction ? (SATISFIED.includes(r.satisfaction) ? '满意' : '不满意') : '未评价',
        ]
          .filter(Boolean)
          .join('，'),
        href: `/appeals/${r.id}`,
      }));
    }
    case 'tasks': {
      const rows = await q.query<{
        id: number;
        title: string;
        due_date: string | null;
        completed_date: string | null;
        escalation: number;
      }>(
        sql`SELECT DISTINCT t.id, t.title, t.due_date, t.completed_date, t.escalation
          FROM tasks t JOIN task_orgs x ON x.task_id = t.id AND x.role = 'lead' JOIN orgs o ON o.id = x.org_id
          WHERE o.path LIKE ${like} AND t.status <> 'paused'
            AND ((t.due_date BETWEEN ${period.start} AND ${period.end})
              OR (t.escalation >= 3 AND (t.completed_date IS NULL OR t.completed_date > ${period.end}) AND t.created_at < ${to}))
          ORDER BY t.due_date NULLS LAST, t.id LIMIT ${limit}`,
      );
      return rows.map((r) => ({
        type: 'task',
        id: r.id,
        title: r.title,
        note: `时限 ${r.due_date ?? '—'}，${r.completed_date ? `${r.completed_date} 完成` : '未完成'}${r.escalation >= 3 ? '，挂牌督办' : ''}`,
        href: `/tasks/${r.id}`,
      }));
    }
    case 'coverage': {
      const rows = await q.query<{ id: number; name: string; covered: boolean }>(
        sql`SELECT u.id, u.name, EXISTS (SELECT 1 FROM unit_coverage c WHERE c.unit_id = u.id) AS covered
          FROM units u JOIN orgs o ON o.id = u.org_id WHERE u.status = 'active' AND o.path LIKE ${like}
          ORDER BY covered, u.id LIMIT ${limit}`,
      );
      return rows.map((r) => ({
        type: 'unit',
        id: r.id,
        title: r.name,
        note: r.covered ? '已建组织' : '未建组织',
        href: `/units?id=${r.id}`,
      }));
    }
    case 'reports': {
      const rows = await q.query<{
        id: number;
        form_id: number;
        org_id: number;
        name: string;
        period: string;
        org_name: string;
        status: string;
        on_time: boolean | null;
        return_count: number;
      }>(
        sql`SELECT r.id, r.form_id, r.org_id, f.name, r.period, o.name AS org_name, r.status, r.on_time, r.return_count
          FROM stat_reports r JOIN stat_forms f ON f.id = r.form_id JOIN orgs o ON o.id = r.org_id
          WHERE r.period = ANY(${periodsWithin(period)}::text[]) AND r.org_path LIKE ${like}
          ORDER BY r.period, r.id LIMIT ${limit}`,
      );
      return rows.map((r) => ({
        type: 'report',
        id: r.id,
        title: `${r.org_name} ${r.name}（${r.period}）`,
        note: `${r.on_time === null ? '未提交' : r.on_time ? '按时报送' : '逾期报送'}${r.return_count ? `，退回 ${r.return_count} 次` : ''}`,
        href: `/stats/forms/${r.form_id}/report?period=${r.period}&orgId=${r.org_id}`,
      }));
    }
    case 'members': {
      const rows = await q.query<{ id: number; name: string; n: number; women: number }>(
        sql`SELECT o.id, o.name, sum(s.n)::int AS n, sum(s.women)::int AS women
          FROM member_stats s JOIN orgs o ON o.id = s.org_id
          WHERE s.role = 'member' AND s.status = 'active' AND o.path LIKE ${like}
          GROUP BY o.id, o.name ORDER BY n DESC LIMIT ${limit}`,
      );
      return rows.map((r) => ({
        type: 'org',
        id: r.id,
        title: r.name,
        note: `会员 ${r.n} 人，其中女性 ${r.women} 人`,
        href: `/people?orgId=${r.id}`,
      }));
    }
  }
}
