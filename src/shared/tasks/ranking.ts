/**
 * Rankings of responsible units for a period (月通报, 季评比): per lead organization, the
 * tasks due in the period, how many were completed on time, late, and how many were overdue
 * during the period. Ranked by on-time rate (high first), then overdue count (low first).
 */
export interface RankInput {
  orgId: number;
  orgName: string;
  /** 'YYYY-MM-DD', or null for tasks without a fixed date (not ranked) */
  dueDate: string | null;
  /** the civil date of completion, or null while open */
  completedDate: string | null;
  escalation: number;
}

export interface RankRow {
  rank: number;
  orgId: number;
  orgName: string;
  due: number;
  onTime: number;
  late: number;
  overdue: number;
  escalated: number;
  /** on-time completion rate 0..1, null when nothing fell due */
  rate: number | null;
}

export function computeRanking(
  rows: readonly RankInput[],
  period: { from: string; to: string; asOf?: string },
): RankRow[] {
  // judged as of the end of the period, or an earlier day while the period runs
  const asOf = period.asOf && period.asOf < period.to ? period.asOf : period.to;
  const by = new Map<number, Omit<RankRow, 'rank' | 'rate'>>();
  for (const r of rows) {
    if (!r.dueDate || r.dueDate > period.to) continue;
    const inPeriod = r.dueDate >= period.from;
    const onTime = r.completedDate !== null && r.completedDate <= r.dueDate;
    // overdue during the period: open past due at some point within it
    const overdue =
      !onTime && r.dueDate < asOf && (r.completedDate === null || r.completedDate >= period.from);
    if (!inPeriod && !overdue) continue;
    const e = by.get(r.orgId) ?? {
      orgId: r.orgId,
      orgName: r.orgName,
      due: 0,
      onTime: 0,
      late: 0,
      overdue: 0,
      escalated: 0,
    };
    // only what has fallen due by the day it is judged (or was finished by then) counts: a
    // unit whose tasks are not due yet has no rate (shown as —, ranked after), not 0 %
    const settled = r.dueDate <= asOf || (r.completedDate !== null && r.completedDate <= asOf);
    if (inPeriod && settled) {
      e.due++;
      if (onTime) e.onTime++;
      else if (r.completedDate !== null && r.completedDate <= period.to) e.late++;
    }
    if (overdue) e.overdue++;
    if (r.escalation >= 2) e.escalated++;
    by.set(r.orgId, e);
  }
  const list = [...by.values()].map((e) => ({ ...e, rate: e.due > 0 ? e.onTime / e.due : null }));
  list.sort(
    (a, b) =>
      (b.rate ?? -1) - (a.rate ?? -1) ||
      a.overdue - b.overdue ||
      b.due - a.due ||
      a.orgName.localeCompare(b.orgName, 'zh-CN'),
  );
  let rank = 0;
  return list.map((e, i) => {
    const prev = list[i - 1];
    if (!prev || prev.rate !== e.rate || prev.overdue !== e.overdue) rank = i + 1;
    return { rank, ...e };
  });
}

/**
 * The last complete period before `today` ('YYYY-MM-DD'): the previous calendar month (月通报),
 * or the previous quarter (季评比). The default of the rankings.
 */
export function lastCompletePeriod(
  today: string,
  kind: 'month' | 'quarter' = 'month',
): { from: string; to: string } {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const pad = (n: number) => String(n).padStart(2, '0');
  const last = (yy: number, mm: number) => new Date(Date.UTC(yy, mm, 0)).getUTCDate();
  if (kind === 'month') {
    const [yy, mm] = m === 1 ? [y - 1, 12] : [y, m - 1];
    return { from: `${yy}-${pad(mm)}-01`, to: `${yy}-${pad(mm)}-${pad(last(yy, mm))}` };
  }
  const q = Math.floor((m - 1) / 3); // this quarter 0..3
  const [yy, qq] = q === 0 ? [y - 1, 3] : [y, q - 1];
  const first = qq * 3 + 1;
  return { from: `${yy}-${pad(first)}-01`, to: `${yy}-${pad(first + 2)}-${pad(last(yy, first + 2))}` };
}
