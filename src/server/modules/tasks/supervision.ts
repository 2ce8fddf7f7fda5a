/**
 * Supervision: 催办 → 督办 → 挂牌督办 raised by supervisors with a reason, and the sweep that
 * marks missed due dates 逾期, raises 催办 on the first working day after a missed date,
 * and sends reminders before due dates and report dates. The sweep is idempotent (every
 * task is rechecked under its row lock; reminders are keyed by task, kind and date).
 */
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import { isPastDue, nextReportDue, remindOn, urgeOn } from '../../../shared/tasks/cadence.js';
import {
  type Cadence,
  ESCALATION_KEYS,
  ESCALATION_LEVELS,
  type EscalationKey,
  type EscalationLevel,
  REMIND_DUE_WORKDAYS,
  REMIND_REPORT_WORKDAYS,
  type TaskStatus,
} from '../../../shared/tasks/constants.js';
import { targetStatus } from '../../../shared/tasks/machine.js';
import type { App } from '../../app.js';
import { type Ctx, SYSTEM_ACTOR } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { workCalendarOf } from '../../platform/calendar.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid, staleVersion } from '../../platform/errors.js';
import { runPeriodically } from '../../platform/periodic.js';
import { assertTaskAccess, taskScope } from './access.js';
import { addEvent, notifyOwner, notifyUnits } from './events.js';
import { assertMove } from './moves.js';
import { presentTask } from './present.js';
import * as repo from './repo.js';

const unitsOf = async (q: Queryable, id: number) =>
  (await repo.orgsOfTasks(q, [id])).filter((o) => o.role !== 'owner').map((o) => o.id);

async function setLevel(
  tx: Queryable,
  ctx: Ctx,
  t: repo.TaskRow,
  level: EscalationLevel,
  reason: string,
  action: 'escalate' | 'lift' | 'auto_urge',
) {
  const from = t.status as TaskStatus;
  assertMove(ctx, action, from, from);
  await repo.updateTask(
    tx,
    t.id,
    { escalation: level, escalated_at: level ? ctx.now : null, escalation_reason: level ? reason : null },
    ctx.now,
  );
  await addEvent(tx, ctx, {
    taskId: t.id,
    action,
    from,
    to: from,
    note: reason,
    data: { level, label: ESCALATION_LEVELS[level], previous: t.escalation },
  });
  await audit(tx, ctx, {
    action: `task.${action}`,
    entityType: 'task',
    entityId: t.id,
    orgId: t.owner_org_id,
    before: { escalation: t.escalation, version: t.version },
    after: { escalation: level, reason, version: t.version + 1 },
  });
  const n = {
    title: level ? `【${ESCALATION_LEVELS[level]}】${t.title}` : `【解除督办】${t.title}`,
    body: reason,
    link: `/tasks/${t.id}`,
  };
  // visible to the unit and its parent
  await notifyUnits(tx, ctx, await unitsOf(tx, t.id), n, { parents: level > 0 });
  await notifyOwner(tx, ctx, t.owner_org_id, n);
}

export interface SweepResult {
  overdue: number;
  urged: number;
  reminded: number;
  reportsMissed: number;
}

/** The daily supervision sweep; `now` is the business clock. Callable directly (tests, the supervisor's button). */
export async function sweepTasks(deps: Deps, now = deps.clock.now(), limit = 1000): Promise<SweepResult> {
  const db = deps.db;
  const cal = await workCalendarOf(db);
  const today = shanghaiYmd(now);
  const ctx: Ctx = {
    actor: { ...SYSTEM_ACTOR, displayName: '系统（督办提醒）' },
    requestId: 'task-sweep',
    ip: null,
    now,
  };
  const res: SweepResult = { overdue: 0, urged: 0, reminded: 0, reportsMissed: 0 };
  const open = sql`status IN ('not_started', 'in_progress', 'overdue')`;

  // missed due dates → 逾期, and from the next working day on → 催办
  const late = await db.query<{ id: number }>(sql`SELECT id FROM tasks WHERE ${open} AND due_date < ${today}
    AND (status <> 'overdue' OR escalation = 0) ORDER BY due_date, id LIMIT ${limit}`);
  for (const { id } of late) {
    await db.tx(async (tx) => {
      const t = await repo.lockTask(tx, id);
      if (!t?.due_date || !isPastDue(t.due_date, today)) return;
      let status = t.status as TaskStatus;
      if (status === 'not_started' || status === 'in_progress') {
        const to = targetStatus('overdue', status, { pastDue: true, progress: t.progress });
        assertMove(ctx, 'overdue', status, to);
        await repo.updateTask(tx, id, { status: to }, now);
        await addEvent(tx, ctx, {
          taskId: id,
          action: 'overdue',
          from: status,
          to,
          note: `已超过完成时限（${t.due_date}）`,
        });
        await audit(tx, ctx, {
          action: 'task.overdue',
          entityType: 'task',
          entityId: id,
          orgId: t.owner_org_id,
          before: { status },
          after: { status: to },
        });
        status = to;
        t.version++;
        res.overdue++;
      }
      if (status === 'overdue' && t.escalation === 0 && today >= urgeOn(cal, t.due_date)) {
        await setLevel(
          tx,
          { ...ctx },
          { ...t, status },
          1,
          `逾期未完成（完成时限 ${t.due_date}），系统自动催办`,
          'auto_urge',
        );
        res.urged++;
      }
    });
  }

  // reminders before the due date
  const due = await db.query<{
    id: number;
    due_date: string;
    title: string;
  }>(sql`SELECT id, due_date, title FROM tasks
    WHERE status IN ('not_started', 'in_progress') AND due_date >= ${today} AND due_date <= ${cal.addWorkdays(today, REMIND_DUE_WORKDAYS + 7)}
    ORDER BY due_date, id LIMIT ${limit}`);
  for (const t of due) {
    if (today < remindOn(cal, t.due_date, REMIND_DUE_WORKDAYS)) continue;
    await db.tx(async (tx) => {
      const ins = await tx.query(sql`INSERT INTO task_reminders (task_id, kind, for_date, sent_at)
        VALUES (${t.id}, 'due', ${t.due_date}, ${now}) ON CONFLICT DO NOTHING RETURNING task_id`);
      if (!ins.length) return;
      await addEvent(tx, ctx, { taskId: t.id, action: 'remind_due', note: `完成时限 ${t.due_date} 临近` });
      await notifyUnits(tx, ctx, await unitsOf(tx, t.id), {
        title: '【到期提醒】',
        body: `${t.title}：完成时限 ${t.due_date}`,
        link: `/tasks/${t.id}`,
      });
      res.reminded++;
    });
  }

  // progress reports (调度): remind before the report date; a missed one moves to the next period
  const reports = await db.query<{
    id: number;
  }>(sql`SELECT id FROM tasks WHERE ${open} AND next_report_due IS NOT NULL
    AND next_report_due <= ${cal.addWorkdays(today, REMIND_REPORT_WORKDAYS + 3)} ORDER BY next_report_due, id LIMIT ${limit}`);
  for (const { id } of reports) {
    await db.tx(async (tx) => {
      const t = await repo.lockTask(tx, id);
      if (!t?.next_report_due) return;
      const dueOn = t.next_report_due;
      if (dueOn < today) {
        const last = t.last_report_at ? shanghaiYmd(t.last_report_at) : null;
        const next = nextReportDue(cal, t.cadence as Cadence, today, last, t.due_date);
        await repo.updateTask(tx, id, { next_report_due: next }, now);
        await addEvent(tx, ctx, {
          taskId: id,
          action: 'report_missed',
          note: `未在 ${dueOn} 前报送进展`,
          data: { next },
        });
        res.reportsMissed++;
        return;
      }
      if (today < remindOn(cal, dueOn, REMIND_REPORT_WORKDAYS)) return;
      const ins = await tx.query(sql`INSERT INTO task_reminders (task_id, kind, for_date, sent_at)
        VALUES (${id}, 'report', ${dueOn}, ${now}) ON CONFLICT DO NOTHING RETURNING task_id`);
      if (!ins.length) return;
      await addEvent(tx, ctx, { taskId: id, action: 'remind_report', note: `请于 ${dueOn} 前报送进展` });
      await notifyUnits(tx, ctx, await unitsOf(tx, id), {
        title: '【报送提醒】',
        body: `${t.title}：请于 ${dueOn} 前报送进展`,
        link: `/tasks/${id}`,
      });
      res.reminded++;
    });
  }
  return res;
}

export function createSupervisionService(deps: Deps) {
  const { db } = deps;
  return {
    /** Raises a task to 催办, 督办 or 挂牌督办 (only upwards), with a reason. */
    async escalate(ctx: Ctx, id: number, body: { version: number; level: EscalationKey; reason: string }) {
      await db.tx(async (tx) => {
        await assertTaskAccess(tx, ctx.actor, 'task:supervise', [id]);
        const t = (await repo.lockTask(tx, id))!;
        if (t.version !== body.version) throw staleVersion();
        const level = ESCALATION_KEYS[body.level] as EscalationLevel;
        if (level <= t.escalation)
          throw invalid(
            `任务已是「${ESCALATION_LEVELS[t.escalation as EscalationLevel]}」，督办级别只能提高`,
            { field: 'level' },
          );
        await setLevel(tx, ctx, t, level, body.reason, 'escalate');
      });
    },

    async lift(ctx: Ctx, id: number, body: { version: number; reason: string }) {
      await db.tx(async (tx) => {
        await assertTaskAccess(tx, ctx.actor, 'task:supervise', [id]);
        const t = (await repo.lockTask(tx, id))!;
        if (t.version !== body.version) throw staleVersion();
        if (t.escalation === 0) throw invalid('该任务未被督办', { field: 'level' });
        await setLevel(tx, ctx, t, 0, body.reason, 'lift');
      });
    },

    /** The supervision queue: overdue, escalated, or due within a week; most pressing first. */
    async queue(ctx: Ctx, f: { page: number; pageSize: number }) {
      if (!ctx.actor.permissions.has('task:read')) throw forbidden();
      const soon = (await workCalendarOf(deps.db)).addWorkdays(shanghaiYmd(ctx.now), 5);
      const where = sql`${taskScope(ctx.actor)} AND t.status IN ('not_started', 'in_progress', 'overdue')
        AND (t.status = 'overdue' OR t.escalation > 0 OR t.due_date <= ${soon})`;
      const rows = await db.query<repo.TaskRow>(sql`SELECT t.*, oo.name AS owner_org_name,
          (SELECT count(*)::int FROM tasks c WHERE c.parent_id = t.id) AS child_count
        FROM tasks t JOIN orgs oo ON oo.id = t.owner_org_id WHERE ${where}
        ORDER BY t.escalation DESC, (t.status = 'overdue') DESC, t.due_date NULLS LAST, t.id
        LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`);
      const n = await db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM tasks t WHERE ${where}`);
      const orgs = await repo.orgsOfTasks(
        db,
        rows.map((r) => r.id),
      );
      return { items: rows.map((r) => presentTask(r, orgs, ctx.actor)), total: n[0]?.n ?? 0 };
    },
  };
}

/** Runs the sweep while the app is up (see runPeriodically). */
export function scheduleTaskSweep(app: App, deps: Deps): void {
  runPeriodically(app, deps, 'task sweep', () => sweepTasks(deps));
}
