/**
 * What each staff action does beyond the status change: the columns it sets, the words the
 * submitter reads, the notices it sends. The generic part (access, version, state, history,
 * audit) is in actions.ts.
 */
import {
  isSatisfied,
  SATISFACTION,
  type Satisfaction,
  SUPERVISION_KEYS,
} from '../../../shared/appeals/constants.js';
import { indexGrams, monthToken, statusToken } from '../../../shared/appeals/search.js';
import { computeDeadlines, dueAfter, pausedWorkdays, shiftByWorkdays } from '../../../shared/appeals/sla.js';
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { ActionBody, StaffAction } from '../../../shared/contracts/appeals.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { type Db, type Queryable, sql } from '../../platform/db/index.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import type { AppealConfig } from './config.js';
import { searchable } from './intake.js';
import { messageSubmitter, notifyHandlers, notifySupervisors } from './notify.js';
import { type AppealRow, addEvent, lockAppeal, orgsByIds } from './repo.js';

export interface Step {
  db: Db;
  tx: Queryable;
  ctx: Ctx;
  a: AppealRow;
  cfg: AppealConfig;
  /** columns to set */
  set: Record<string, unknown>;
  /** event fields */
  targetOrgId?: number | null;
  publicText?: string | null;
  data?: Record<string, unknown>;
  /** close right after (a satisfied return visit) */
  thenClose?: boolean;
}

type Handler<A extends StaffAction> = (s: Step, body: ActionBody<A>) => Promise<void>;

const link = (a: AppealRow) => `/appeals/${a.id}`;
const ymd = (d: Date) => shanghaiYmd(d);

async function targetOrg(s: Step, orgId: number) {
  await assertAccess(s.tx, s.ctx.actor, 'appeal:dispatch', 'org', [orgId]);
  const org = (await orgsByIds(s.tx, [orgId]))[0];
  if (!org) throw notFound('组织');
  if (org.status !== 'active' || !org.takes_appeals)
    throw invalid('该组织已停用或不受理诉求', { field: 'orgId' });
  return org;
}

const HANDLERS: { [A in StaffAction]: Handler<A> } = {
  async dispatch(s, b) {
    const org = await targetOrg(s, b.orgId);
    const sla = s.cfg.slaOf(s.a.category_code, s.a.priority);
    const d = computeDeadlines(s.cfg.calendar, s.ctx.now, sla);
    Object.assign(s.set, {
      org_id: org.id,
      dispatched_at: s.ctx.now,
      accepted_at: null,
      signed_in_time: null,
      sign_due_at: d.signDueAt,
      return_due_at: d.returnDueAt,
      due_at: d.dueAt,
      warn_at: d.warnAt,
    });
    s.targetOrgId = org.id;
    s.publicText = `已转交「${org.name}」办理`;
    await notifyHandlers(s.db, s.tx, s.ctx, [org.id], {
      title: '新诉求待签收',
      body: s.a.title,
      link: link(s.a),
    });
  },
  async accept(s) {
    Object.assign(s.set, {
      accepted_at: s.ctx.now,
      signed_in_time: !s.a.sign_due_at || s.ctx.now <= s.a.sign_due_at,
    });
    s.publicText = `「${s.a.org_name}」已签收`;
  },
  async return(s) {
    if (s.a.return_due_at && s.ctx.now > s.a.return_due_at)
      throw invalid(`已超过退单时限（${ymd(s.a.return_due_at)}），请办理或申请转办`, {
        reason: 'return_late',
      });
    Object.assign(s.set, {
      org_id: s.cfg.center.id,
      dispatched_at: null,
      accepted_at: null,
      signed_in_time: null,
      sign_due_at: null,
      return_due_at: null,
      due_at: null,
      warn_at: null,
    });
    s.publicText = '诉求正在重新分派';
    await notifyHandlers(
      s.db,
      s.tx,
      s.ctx,
      [s.cfg.center.id],
      { title: '诉求被退回，请重新派单', body: `${s.a.org_name}：${s.a.title}`, link: link(s.a) },
      'appeal:dispatch',
    );
  },
  async start(s) {
    s.publicText = `「${s.a.org_name}」正在办理`;
  },
  async note() {},
  async assist(s, b) {
    const orgs = await orgsByIds(s.tx, b.orgIds);
    if (orgs.length !== new Set(b.orgIds).size) throw notFound('协办单位');
    for (const o of orgs) {
      if (o.status !== 'active') throw invalid(`「${o.name}」已停用`, { field: 'orgIds' });
      if (o.id === s.a.org_id) throw invalid('协办单位不能是主办单位', { field: 'orgIds' });
      await s.tx.query(sql`INSERT INTO appeal_assists (appeal_id, org_id, request, requested_at)
        VALUES (${s.a.id}, ${o.id}, ${b.note}, ${s.ctx.now}) ON CONFLICT (appeal_id, org_id) DO NOTHING`);
    }
    s.data = { orgIds: orgs.map((o) => o.id) };
    await notifyHandlers(s.db, s.tx, s.ctx, b.orgIds, {
      title: '协办请求',
      body: `${s.a.org_name}：${b.note}`,
      link: link(s.a),
    });
  },
  async transfer(s, b) {
    if (b.orgId === s.a.org_id) throw invalid('不能转办给当前办理单位', { field: 'orgId' });
    const org = await targetOrg(s, b.orgId);
    const sla = s.cfg.slaOf(s.a.category_code, s.a.priority);
    const d = computeDeadlines(s.cfg.calendar, s.ctx.now, sla);
    // the sign and return clocks restart; the reply deadline stays (the submitter's wait goes on)
    Object.assign(s.set, {
      org_id: org.id,
      dispatched_at: s.ctx.now,
      accepted_at: null,
      signed_in_time: null,
      sign_due_at: d.signDueAt,
      return_due_at: d.returnDueAt,
      due_at: s.a.due_at ?? d.dueAt,
      warn_at: s.a.warn_at ?? d.warnAt,
    });
    s.targetOrgId = org.id;
    s.publicText = `已转交「${org.name}」办理`;
    await notifyHandlers(s.db, s.tx, s.ctx, [org.id], {
      title: '转办诉求待签收',
      body: s.a.title,
      link: link(s.a),
    });
  },
  async extend_request(s, b) {
    if (s.a.extension_requested_days !== null) throw conflict('已有待审批的延期申请');
    if (s.a.extension_days > 0) throw invalid('每件诉求只能延期一次', { reason: 'extended' });
    const max = s.cfg.slaOf(s.a.category_code, s.a.priority).maxExtensionDays;
    if (b.days > max) throw invalid(`延期不能超过 ${max} 个工作日`, { field: 'days' });
    Object.assign(s.set, { extension_requested_days: b.days, extension_reason: b.reason });
    s.data = { days: b.days };
    await notifySupervisors(s.db, s.tx, s.ctx, {
      title: '延期申请待审批',
      body: `${s.a.org_name}申请延期 ${b.days} 个工作日：${s.a.title}`,
      link: link(s.a),
    });
  },
  async extend_approve(s, b) {
    const asked = s.a.extension_requested_days;
    if (asked === null) throw invalid('没有待审批的延期申请');
    const days = b.days ?? asked;
    if (days > asked) throw invalid('批准的天数不能多于申请的天数', { field: 'days' });
    const due = s.a.due_at ? shiftByWorkdays(s.cfg.calendar, s.a.due_at, days) : null;
    Object.assign(s.set, {
      extension_requested_days: null,
      extension_days: days,
      due_at: due,
      warn_at: s.a.warn_at ? shiftByWorkdays(s.cfg.calendar, s.a.warn_at, days) : null,
    });
    s.data = { days };
    s.publicText = due ? `办理期限延长 ${days} 个工作日，至 ${ymd(due)}` : `办理期限延长 ${days} 个工作日`;
    await notifyHandlers(s.db, s.tx, s.ctx, [s.a.org_id], {
      title: '延期申请已批准',
      body: s.a.title,
      link: link(s.a),
    });
  },
  async extend_reject(s) {
    if (s.a.extension_requested_days === null) throw invalid('没有待审批的延期申请');
    Object.assign(s.set, { extension_requested_days: null, extension_reason: null });
    await notifyHandlers(s.db, s.tx, s.ctx, [s.a.org_id], {
      title: '延期申请被驳回',
      body: s.a.title,
      link: link(s.a),
    });
  },
  async suspend(s) {
    s.set.suspended_at = s.ctx.now;
    s.publicText = '办理暂停（等待调解、仲裁等程序），暂停期间不计入办理时限';
  },
  async resume(s) {
    const n = s.a.suspended_at ? pausedWorkdays(s.cfg.calendar, s.a.suspended_at, s.ctx.now) : 0;
    Object.assign(s.set, {
      suspended_at: null,
      due_at: s.a.due_at ? shiftByWorkdays(s.cfg.calendar, s.a.due_at, n) : null,
      warn_at: s.a.warn_at ? shiftByWorkdays(s.cfg.calendar, s.a.warn_at, n) : null,
    });
    s.data = { pausedWorkdays: n };
    s.publicText = '恢复办理';
  },
  async reply(s, b) {
    const sla = s.cfg.slaOf(s.a.category_code, s.a.priority);
    const text = searchable(`${s.a.content}\n${b.reply}`);
    Object.assign(s.set, {
      reply: b.reply,
      reply_org_id: s.a.org_id,
      replied_at: s.ctx.now,
      replied_in_time: !s.a.due_at || s.ctx.now <= s.a.due_at,
      visit_due_at: dueAfter(s.cfg.calendar, s.ctx.now, sla.visitDays),
      search_text: text,
      search_grams: [...indexGrams(text), statusToken('replied'), monthToken(s.a.created_at)],
    });
    s.publicText = `「${s.a.org_name}」已答复`;
    await messageSubmitter(s.tx, s.ctx, s.a.id, 'replied');
  },
  async visit(s, b) {
    visited(s, b.satisfaction, 'seat', b.note ?? null);
  },
  async close(s) {
    s.set.closed_at = s.ctx.now;
    s.publicText = '已办结';
  },
  async reopen(s) {
    if (!s.a.satisfaction || isSatisfied(s.a.satisfaction as Satisfaction))
      throw invalid('只有回访评价为不满意的诉求可以重办', { reason: 'satisfied' });
    const d = computeDeadlines(s.cfg.calendar, s.ctx.now, s.cfg.slaOf(s.a.category_code, s.a.priority));
    Object.assign(s.set, {
      reopen_count: s.a.reopen_count + 1,
      reply: null,
      replied_at: null,
      replied_in_time: null,
      visit_due_at: null,
      visited_at: null,
      satisfaction: null,
      satisfaction_source: null,
      due_at: d.dueAt,
      warn_at: d.warnAt,
    });
    s.data = { previousSatisfaction: s.a.satisfaction };
    s.publicText = '根据回访评价，诉求已重新办理';
    await notifyHandlers(s.db, s.tx, s.ctx, [s.a.org_id], {
      title: '诉求重办',
      body: s.a.title,
      link: link(s.a),
    });
  },
  async supervise(s, b) {
    const level = SUPERVISION_KEYS[b.level];
    if (level <= s.a.supervision_level) throw invalid('督办级别只能提高', { field: 'level' });
    Object.assign(s.set, { supervision_level: level, supervised_at: s.ctx.now });
    s.data = { level };
    s.publicText = level >= 2 ? '上级部门已督办' : '上级部门已催办';
    const title = level === 3 ? '【挂牌督办】' : level === 2 ? '【督办】' : '【催办】';
    await notifyHandlers(s.db, s.tx, s.ctx, [s.a.org_id], {
      title: `${title}${s.a.title}`,
      body: b.note,
      link: link(s.a),
    });
  },
  async merge(s, b) {
    if (b.intoId === s.a.id) throw invalid('不能与自身合并', { field: 'intoId' });
    await assertAccess(s.tx, s.ctx.actor, 'appeal:dispatch', 'appeal', [b.intoId]);
    const into = (await lockAppeal(s.tx, b.intoId))!;
    if (['closed', 'merged'].includes(into.status))
      throw invalid('目标诉求已办结或已合并', { field: 'intoId' });
    Object.assign(s.set, { merged_into: into.id, closed_at: s.ctx.now });
    s.data = { intoId: into.id, intoCode: into.tracking_code };
    s.publicText = '与相同内容的诉求合并办理，办理结果将一并答复';
    await addEvent(s.tx, {
      appealId: into.id,
      at: s.ctx.now,
      actorId: s.ctx.actor.userId || null,
      actorName: s.ctx.actor.displayName,
      action: 'merge',
      fromStatus: null,
      toStatus: null,
      orgId: into.org_id,
      note: `合并了重复诉求 ${s.a.tracking_code}`,
      data: { mergedId: s.a.id },
    });
  },
};

/** A return visit (by the seat or by the submitter): satisfied ones close at once. */
export function visited(s: Step, sat: Satisfaction, source: 'seat' | 'submitter', note: string | null) {
  Object.assign(s.set, {
    satisfaction: sat,
    satisfaction_source: source,
    visited_at: s.ctx.now,
    visit_note: note,
  });
  s.data = { satisfaction: sat, source };
  s.publicText = source === 'seat' ? `已回访，评价：${SATISFACTION[sat]}` : `您的评价：${SATISFACTION[sat]}`;
  s.thenClose = isSatisfied(sat);
}

export function handlerOf<A extends StaffAction>(action: A): Handler<A> {
  return HANDLERS[action] as Handler<A>;
}
