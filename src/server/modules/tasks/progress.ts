/** Progress reports (with attachments), roll-up to parent tasks, and the timeline / work log. */
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { ReportCreate } from '../../../shared/contracts/tasks.js';
import { nextReportDue } from '../../../shared/tasks/cadence.js';
import {
  type Cadence,
  MAX_UPLOAD_BYTES,
  TASK_STATUSES,
  type TaskStatus,
} from '../../../shared/tasks/constants.js';
import { TASK_ACTIONS, targetStatus } from '../../../shared/tasks/machine.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { workCalendarOf } from '../../platform/calendar.js';
import { type Queryable, type Sql, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, forbidden, invalid, notFound, staleVersion } from '../../platform/errors.js';
import { closeNotices } from '../system/notices.js';
import { assertTaskAccess, taskScope } from './access.js';
import { checkAttachment } from './documents/extract.js';
import { addEvent, notifyOwner } from './events.js';
import { assertMove } from './moves.js';
import { coversPath } from './present.js';
import * as repo from './repo.js';

const ACTION_LABELS: Record<string, string> = {
  ...TASK_ACTIONS,
  create: '部署任务',
  split: '分解任务',
  update: '修改任务',
  rollup: '子任务进展汇总',
  remind_due: '到期提醒',
  remind_report: '报送提醒',
  report_missed: '未按期报送',
  file: '上传附件',
};

export async function reportsOf(q: Queryable, taskId: number) {
  const rows = await q.query<{
    id: number;
    org_id: number;
    org_name: string;
    user_name: string;
    percent: number;
    content: string;
    created_at: Date;
  }>(sql`SELECT r.id, r.org_id, o.name AS org_name, r.user_name, r.percent, r.content, r.created_at
    FROM task_reports r JOIN orgs o ON o.id = r.org_id WHERE r.task_id = ${taskId} ORDER BY r.id DESC LIMIT 200`);
  const files = await q.query<{ id: number; report_id: number; name: string; size: number }>(
    sql`SELECT id, report_id, name, size FROM task_files WHERE task_id = ${taskId} AND report_id IS NOT NULL ORDER BY id`,
  );
  return rows.map((r) => ({
    id: r.id,
    org: { id: r.org_id, name: r.org_name },
    userName: r.user_name,
    percent: r.percent,
    content: r.content,
    files: files.filter((f) => f.report_id === r.id).map((f) => ({ id: f.id, name: f.name, size: f.size })),
    createdAt: r.created_at.toISOString(),
  }));
}

/** Parent tasks take the mean progress of their children; all children done closes the parent. */
export async function rollUp(tx: Queryable, ctx: Ctx, child: repo.TaskRow): Promise<void> {
  let parentId = child.parent_id;
  while (parentId) {
    const p = (await repo.lockTask(tx, parentId))!;
    const kids = await tx.query<{ progress: number; status: string }>(
      sql`SELECT progress, status FROM tasks WHERE parent_id = ${p.id}`,
    );
    const progress = Math.round(
      kids.reduce((s, k) => s + (k.status === 'done' ? 100 : k.progress), 0) / kids.length,
    );
    const allDone = kids.every((k) => k.status === 'done');
    const set: Record<string, unknown> = { progress };
    const from = p.status as TaskStatus;
    let to = from;
    if (allDone && ['not_started', 'in_progress', 'overdue'].includes(from)) {
      to = targetStatus('rollup_done', from, { pastDue: false, progress: 100 });
      assertMove({ ...ctx, actor: { ...ctx.actor, via: 'system' } }, 'rollup_done', from, to);
      const today = shanghaiYmd(ctx.now);
      Object.assign(set, { status: to, completed_at: ctx.now, completed_date: today });
    } else if (from === 'not_started' && progress > 0) {
      to = 'in_progress';
      set.status = to;
    }
    if (progress === p.progress && to === from) return;
    await repo.updateTask(tx, p.id, set, ctx.now);
    await addEvent(tx, ctx, {
      taskId: p.id,
      action: to === 'done' && from !== 'done' ? 'rollup_done' : 'rollup',
      from,
      to,
      note: `子任务「${child.title}」报送进展，汇总进度 ${progress}%`,
      data: { progress, childId: child.id },
    });
    parentId = p.parent_id;
  }
}

export function createProgressService(deps: Deps) {
  const { db } = deps;
  return {
    async report(ctx: Ctx, id: number, body: ReportCreate) {
      return db.tx(async (tx) => {
        await assertTaskAccess(tx, ctx.actor, 'task:report', [id]);
        if (body.percent > 100)
          throw invalid(`进度不能超过 100%（填写的是 ${body.percent}%）`, { field: 'percent' });
        const t = (await repo.lockTask(tx, id))!;
        if (t.version !== body.version) throw staleVersion();
        const units = (await repo.orgsOfTasks(tx, [id])).filter((o) => o.role !== 'owner');
        // the reporting unit: the one named, else the first responsible unit the actor speaks for
        const mine = units.filter((u) => coversPath(ctx.actor, u.path));
        const org = body.orgId ? mine.find((u) => u.id === body.orgId) : mine[0];
        if (!org)
          throw body.orgId
            ? invalid('只能以本单位（牵头或配合单位）的名义报送', { field: 'orgId' })
            : forbidden('只有牵头或配合单位可以报送进展');
        const from = t.status as TaskStatus;
        const today = shanghaiYmd(ctx.now);
        const to = targetStatus('report', from, {
          percent: body.percent,
          pastDue: false,
          progress: t.progress,
        });
        assertMove(ctx, 'report', from, to);
        const r = await tx.query<{
          id: number;
        }>(sql`INSERT INTO task_reports (task_id, org_id, user_id, user_name, percent, content, created_at)
          VALUES (${id}, ${org.id}, ${ctx.actor.userId}, ${ctx.actor.displayName}, ${body.percent}, ${body.content}, ${ctx.now}) RETURNING id`);
        const reportId = r[0]!.id;
        if (body.fileIds.length) {
          const linked = await tx.query(sql`UPDATE task_files SET report_id = ${reportId}
            WHERE id = ANY(${body.fileIds}::bigint[]) AND task_id = ${id} AND report_id IS NULL RETURNING id`);
          if (linked.length !== new Set(body.fileIds).size)
            throw invalid('附件不存在或已被使用', { field: 'fileIds' });
        }
        const set: Record<string, unknown> = {
          status: to,
          progress: body.percent,
          last_report_at: ctx.now,
          next_report_due:
            to === 'done'
              ? null
              : nextReportDue(await workCalendarOf(db), t.cadence as Cadence, today, today, t.due_date),
        };
        if (to === 'done') Object.assign(set, { completed_at: ctx.now, completed_date: today });
        await repo.updateTask(tx, id, set, ctx.now);
        await addEvent(tx, ctx, {
          taskId: id,
          action: 'report',
          orgId: org.id,
          from,
          to,
          note: body.content,
          data: { percent: body.percent, reportId, files: body.fileIds.length },
        });
        await audit(tx, ctx, {
          action: 'task.report',
          entityType: 'task',
          entityId: id,
          orgId: org.id,
          before: { status: from, progress: t.progress, version: t.version },
          after: { status: to, progress: body.percent, reportId, version: t.version + 1 },
        });
        // the reminders and 催办 the reporting unit got are answered by its report; a finished task closes all
        const unitUsers =
          to === 'done'
            ? undefined
            : (await tx.query<{ id: number }>(sql`SELECT id FROM users WHERE org_id = ${org.id}`)).map(
                (u) => u.id,
              );
        await closeNotices(tx, ctx.now, `/tasks/${id}`, unitUsers && [...unitUsers, ctx.actor.userId]);
        await notifyOwner(tx, ctx, t.owner_org_id, {
          title: to === 'done' ? '【任务完成】' : '【进展报送】',
          body: `${org.name}：${t.title}（${body.percent}%）`,
          link: `/tasks/${id}`,
        });
        await rollUp(tx, ctx, t);
        return { id: reportId, status: to, statusLabel: TASK_STATUSES[to], progress: body.percent };
      });
    },

    /** An attachment for a coming report (linked through fileIds). */
    async upload(ctx: Ctx, id: number, name: string, bytes: Uint8Array) {
      if (bytes.length === 0) throw invalid('文件为空', { field: 'file' });
      if (bytes.length > MAX_UPLOAD_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', '文件不能超过 10 MB');
      const mime = checkAttachment(name, bytes);
      return db.tx(async (tx) => {
        await assertTaskAccess(tx, ctx.actor, 'task:report', [id]);
        const hash = await deps.files.put(bytes);
        const clean = [...name]
          .map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c))
          .join('')
          .slice(-120);
        const r = await tx.query<{
          id: number;
        }>(sql`INSERT INTO task_files (task_id, hash, name, mime, size, uploaded_by, created_at)
          VALUES (${id}, ${hash}, ${clean}, ${mime}, ${bytes.length}, ${ctx.actor.userId}, ${ctx.now}) RETURNING id`);
        await addEvent(tx, ctx, {
          taskId: id,
          action: 'file',
          note: clean,
          data: { fileId: r[0]!.id, size: bytes.length },
        });
        await audit(tx, ctx, {
          action: 'task.file',
          entityType: 'task',
          entityId: id,
          after: { fileId: r[0]!.id, name: clean, size: bytes.length, mime },
        });
        return { id: r[0]!.id, name: clean, size: bytes.length };
      });
    },

    async download(ctx: Ctx, id: number, fileId: number) {
      await assertTaskAccess(db, ctx.actor, 'task:read', [id]);
      const f = (
        await db.query<{ hash: string; name: string; mime: string }>(
          sql`SELECT hash, name, mime FROM task_files WHERE id = ${fileId} AND task_id = ${id}`,
        )
      )[0];
      if (!f) throw notFound('附件');
      return { ...f, bytes: await deps.files.get(f.hash) };
    },

    /** The timeline of one task, or the work log across the tasks the actor sees (全程留痕). */
    async events(
      ctx: Ctx,
      f: { taskId?: number; orgId?: number; from?: string; to?: string; page: number; pageSize: number },
    ) {
      if (f.taskId) await assertTaskAccess(db, ctx.actor, 'task:read', [f.taskId]);
      else if (!ctx.actor.permissions.has('task:read')) throw forbidden();
      const conds: Sql[] = [taskScope(ctx.actor)];
      if (f.taskId) conds.push(sql`e.task_id = ${f.taskId}`);
      if (f.orgId) conds.push(sql`e.org_id = ${f.orgId}`);
      if (f.from) conds.push(sql`e.at >= ${new Date(`${f.from}T00:00:00+08:00`)}`);
      if (f.to)
        conds.push(sql`e.at < ${new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000)}`);
      const where = sql.and(conds);
      const order = f.taskId ? sql`e.id` : sql`e.id DESC`;
      const rows = await db.query<{
        id: number;
        at: Date;
        actor_name: string;
        org_id: number | null;
        org_name: string | null;
        action: string;
        from_status: string | null;
        to_status: string | null;
        note: string | null;
        data: unknown;
        task_id: number;
        task_title: string;
      }>(sql`SELECT e.*, o.name AS org_name, t.title AS task_title FROM task_events e
        JOIN tasks t ON t.id = e.task_id LEFT JOIN orgs o ON o.id = e.org_id
        WHERE ${where} ORDER BY ${order} LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`);
      const n = await db.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM task_events e JOIN tasks t ON t.id = e.task_id WHERE ${where}`,
      );
      return {
        total: n[0]?.n ?? 0,
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorName: r.actor_name,
          org: r.org_id ? { id: r.org_id, name: r.org_name ?? '' } : null,
          action: r.action,
          actionLabel: ACTION_LABELS[r.action] ?? r.action,
          fromStatus: r.from_status,
          toStatus: r.to_status,
          note: r.note,
          data: r.data ?? null,
          taskId: r.task_id,
          taskTitle: r.task_title,
        })),
      };
    },
  };
}
