import { shanghaiInstant, ymdToDays } from '../../../shared/calendar/ymd.js';
import { maskName } from '../../../shared/mask.js';
import type { Actor } from '../../platform/actor.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import { registerTodoSource, type TodoItem } from '../../platform/inbox.js';
import { caseScope } from './cases/repo.js';
import { staleBefore } from './cases/service.js';
import { entitlementScope } from './programs/repo.js';

const LIMIT = 50;

/**
 * The assistance desk: applications to check and archives to review (assist.review), homes
 * to visit and stale archives to re-verify (assist.visit), households the exit rule proposes
 * for 解困 (assist.exit), proposed entitlements to review (assist.entitlement).
 */
async function list(q: Queryable, actor: Actor, now: Date): Promise<TodoItem[]> {
  const p = actor.permissions;
  const out: TodoItem[] = [];
  const scope = caseScope(actor);
  const rows = (where: ReturnType<typeof sql>) =>
    q.query<{
      id: number;
      applicant_name: string;
      status: string;
      publicity_until: string | null;
      org_name: string;
    }>(
      sql`SELECT c.id, c.applicant_name, c.status, c.publicity_until, o.name AS org_name
        FROM assist_cases c JOIN orgs o ON o.id = c.org_id WHERE ${scope} AND ${where} ORDER BY c.id LIMIT ${LIMIT}`,
    );
  const item = (kind: string, title: string, r: { id: number }, dueAt: Date | null = null): TodoItem => ({
    kind,
    id: `${kind}:${r.id}`,
    title,
    dueAt: dueAt?.toISOString() ?? null,
    level: dueAt && dueAt.getTime() < now.getTime() ? 'overdue' : 'normal',
    href: `/assistance/cases/${r.id}`,
  });
  if (p.has('assist:write')) {
    for (const r of await rows(sql`c.status = 'applied'`))
      out.push(item('assist.review', `基层初审：${maskName(r.applicant_name)}（${r.org_name}）`, r));
    for (const r of await rows(sql`c.status = 'visiting'`))
      out.push(item('assist.visit', `入户核查：${maskName(r.applicant_name)}（${r.org_name}）`, r));
    for (const r of await rows(sql`c.status = 'archived' AND c.verified_at < ${staleBefore(now)}`))
      out.push(item('assist.visit', `档案超过12个月未更新，请复核：${maskName(r.applicant_name)}`, r));
  }
  if (p.has('assist:review')) {
    for (const r of await rows(sql`c.status = 'reviewing'`))
      out.push(item('assist.review', `审核：${maskName(r.applicant_name)}（${r.org_name}）`, r));
    for (const r of await rows(sql`c.status = 'publicity'`)) {
      const days = r.publicity_until ? ymdToDays(r.publicity_until) : null;
      const end = days === null ? null : shanghaiInstant(days + 1, 0);
      out.push(item('assist.review', `公示期满后纳入在档：${maskName(r.applicant_name)}`, r, end));
    }
    for (const r of await rows(sql`c.status = 'archived' AND c.exit_proposed_at IS NOT NULL`))
      out.push(item('assist.exit', `符合退出条件，建议解困：${maskName(r.applicant_name)}`, r));
  }
  if (p.has('assist:program')) {
    const es = await q.query<{ id: number; cycle_id: number; name: string; duplicates: number }>(sql`
      SELECT e.id, e.cycle_id, y.name, e.duplicates FROM assist_entitlements e JOIN assist_cycles y ON y.id = e.cycle_id
      WHERE e.status IN ('proposed', 'reviewed') AND ${entitlementScope(actor)} ORDER BY e.id LIMIT ${LIMIT}`);
    for (const e of es)
      out.push({
        kind: 'assist.entitlement',
        id: `assist.entitlement:${e.id}`,
        title: `${e.name}：救助名单待审核${e.duplicates > 0 ? '（疑似重复救助）' : ''}`,
        dueAt: null,
        level: e.duplicates > 0 ? 'warning' : 'normal',
        href: `/assistance/cycles/${e.cycle_id}`,
      });
  }
  return out;
}

export function registerAssistanceTodo(): void {
  registerTodoSource({ kinds: ['assist.review', 'assist.visit', 'assist.exit', 'assist.entitlement'], list });
}
