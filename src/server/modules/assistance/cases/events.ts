import type { Ctx } from '../../../platform/actor.js';
import { type Queryable, sql } from '../../../platform/db/index.js';

/** One line of a household's timeline: every step records who, when, what and why. */
export async function addEvent(
  q: Queryable,
  ctx: Ctx,
  e: {
    caseId: number;
    action: string;
    orgId?: number | null;
    from?: string | null;
    to?: string | null;
    note?: string | null;
    data?: Record<string, unknown> | null;
  },
): Promise<void> {
  await q.query(sql`INSERT INTO assist_events (case_id, at, actor_id, actor_name, org_id, action, from_status, to_status, note, data)
    VALUES (${e.caseId}, ${ctx.now}, ${ctx.actor.userId || null}, ${ctx.actor.displayName}, ${e.orgId ?? null},
      ${e.action}, ${e.from ?? null}, ${e.to ?? null}, ${e.note ?? null},
      ${e.data ? JSON.stringify(e.data) : null}::jsonb)`);
}

/** Labels of the timeline's actions that are not moves of the state machine. */
export const EVENT_LABELS: Record<string, string> = {
  create: '提交申请',
  create_temporary: '登记临时救助',
  file: '上传附件',
  visit_record: '入户核查记录',
  income: '登记月收入',
  exit_proposed: '符合退出条件，建议解困',
  entitlement: '纳入救助名单',
  entitlement_approved: '救助审批通过',
  payment: '发放记录',
  return_visit: '帮扶回访',
  update: '修改档案',
};
