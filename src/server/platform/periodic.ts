import type { App } from '../app.js';
import type { Deps } from './deps.js';

/**
 * Runs `work` every minute (every 5 s when the test clock is on) while the app is up, never
 * two runs at once in one process, and waits for a running one on close. `work` must be
 * idempotent row by row (recheck under the row lock): every process of a scaled-out
 * deployment that runs jobs (`NIUDAI_JOBS`) runs it.
 */
export function runPeriodically(app: App, deps: Deps, name: string, work: () => Promise<unknown>): void {
  if (!deps.config.runJobs) return; // a web-only process: the worker processes run it
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const every = deps.config.testClock ? 5_000 : 60_000;
  app.addHook('onReady', async () => {
    timer = setInterval(() => {
      running ??= work()
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
