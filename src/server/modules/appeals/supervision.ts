import { urgeDue } from '../../../shared/appeals/sla.js';
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { App } from '../../app.js';
import { type Ctx, SYSTEM_ACTOR } from '../../platform/actor.js';
import { sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { runPeriodically } from '../../platform/periodic.js';
import { applyStep } from './actions.js';
import { appealConfig } from './config.js';
import { notifyHandlers, notifySupervisors } from './notify.js';
import { lockAppeal } from './repo.js';

/**
 * The automatic 催办: on the first working day after an unanswered appeal's deadline,
 * raise it to 催办, tell its handlers and the supervisors. Idempotent (each appeal is
 * rechecked under its row lock), so every process may run it.
 */
export async function sweepOverdue(deps: Deps, now = deps.clock.now(), limit = 500): Promise<number> {
  const cfg = await appealConfig(deps.db);
  const cands = await deps.db.query<{ id: number; due_at: Date }>(sql`SELECT id, due_at FROM appeals
    WHERE status IN ('dispatched', 'accepted', 'handling') AND supervision_level = 0 AND due_at < ${now}
    ORDER BY due_at LIMIT ${limit}`);
  const ctx: Ctx = {
    actor: { ...SYSTEM_ACTOR, displayName: '系统（自动催办）' },
    requestId: 'appeal-sweep',
    ip: null,
    now,
  };
  let urged = 0;
  for (const c of cands) {
    if (!urgeDue(cfg.calendar, c.due_at, now)) continue;
    const done = await deps.db.tx(async (tx) => {
      const a = await lockAppeal(tx, c.id);
      if (!a || a.supervision_level > 0 || !['dispatched', 'accepted', 'handling'].includes(a.status))
        return false;
      await applyStep(deps.db, tx, ctx, cfg, a, 'auto_urge', { kind: 'system' }, async (s) => {
        Object.assign(s.set, { supervision_level: 1, supervised_at: now });
        s.data = { level: 1, dueAt: a.due_at?.toISOString() };
        s.publicText = '已超过办理时限，系统已催办';
        const n = {
          title: '【催办】诉求已超期',
          body: `${a.org_name}：${a.title}（时限 ${a.due_at ? shanghaiYmd(a.due_at) : ''}）`,
          link: `/appeals/${a.id}`,
        };
        await notifyHandlers(deps.db, tx, ctx, [a.org_id], n);
        await notifySupervisors(deps.db, tx, ctx, n);
      });
      return true;
    });
    if (done) urged++;
  }
  return urged;
}

/** Runs the sweep while the app is up (see runPeriodically). */
export function scheduleSweep(app: App, deps: Deps): void {
  runPeriodically(app, deps, 'appeal sweep', () => sweepOverdue(deps));
}
