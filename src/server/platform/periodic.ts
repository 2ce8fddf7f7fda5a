import { hostname } from 'node:os';
import type { App } from '../app.js';
import { sql } from './db/index.js';
import type { Deps } from './deps.js';

const me = `${hostname()}:${process.pid}`;

/**
 * Claims the period's run of `name` for this process: true for the first process of the
 * deployment to ask in this slot (of `everyMs`, on the wall clock), false for every other.
 */
export async function claimSlot(deps: Pick<Deps, 'db'>, name: string, everyMs: number, nowMs = Date.now()) {
  const slot = Math.floor(nowMs / everyMs);
  const r = await deps.db.query(
    sql`INSERT INTO periodic_runs (name, slot, claimed_by) VALUES (${name}, ${slot}, ${me})
        ON CONFLICT DO NOTHING RETURNING 1`,
  );
  if (r.length === 0) return false;
  // keep a day of claims (who ran what when), drop the older ones
  await deps.db.query(
    sql`DELETE FROM periodic_runs WHERE name = ${name} AND slot < ${slot - Math.ceil(86_400_000 / everyMs)}`,
  );
  return true;
}

/**
 * Runs `work` every `NIUDAI_SWEEP_SECONDS` (a minute; 5 s when the test clock is on) while the app is up, never
 * two runs at once in one process, and waits for a running one on close. However many
 * processes run jobs (`NIUDAI_JOBS`), one of them runs each period's `work`: the first to
 * claim the period's slot in `periodic_runs`. `work` stays idempotent row by row (recheck
 * under the row lock), so a slot missed by a crash is made up by the next period.
 */
export function runPeriodically(app: App, deps: Deps, name: string, work: () => Promise<unknown>): void {
  if (!deps.config.runJobs) return; // a web-only process: the worker processes run it
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const every = deps.config.testClock ? 5_000 : deps.config.sweepSeconds * 1000;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      running ??= claimSlot(deps, name, every)
        .then((mine) => (mine ? work() : undefined))
        .catch((err) => deps.log.error({ err }, `${name} failed`))
        .finally(() => {
          running = undefined;
        });
    }, every);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await running;
  });
}
