import PgBoss from 'pg-boss';
import type { Ctx } from './actor.js';
import { type Db, type Queryable, sql } from './db/index.js';

/**
 * Side effects leave a business transaction through the outbox: `enqueue` writes a row in
 * the caller's transaction; after commit the relay moves pending rows to pg-boss (a
 * PostgreSQL-backed queue that runs on both engines), where handlers run them.
 * Handlers must be idempotent: a row may be relayed twice if a process dies mid-way.
 */
export async function enqueue(
  tx: Queryable,
  ctx: Pick<Ctx, 'now'>,
  topic: string,
  payload: object,
): Promise<void> {
  await tx.query(
    sql`INSERT INTO outbox (topic, payload, created_at) VALUES (${topic}, ${JSON.stringify(payload)}::jsonb, ${ctx.now})`,
  );
}

export type JobRow = { payload: Record<string, unknown>; outboxId: number };
/** A queue job: the outbox rows it carries (one, or a batch), or a row itself (older jobs). */
type JobData = { rows: JobRow[] } | JobRow;

export type JobHandler = (payload: Record<string, unknown>, meta: { outboxId: number }) => Promise<void>;
/** A handler of all the jobs of a topic fetched at once (e.g. one INSERT for many notices). */
export type BatchHandler = (jobs: JobRow[]) => Promise<void>;

/** Jobs of a topic fetched and handled at once. */
const BATCH = 50;

export class Jobs {
  private boss: PgBoss | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly handlers = new Map<string, { batched: boolean; run: BatchHandler }>();
  /** the pg-boss worker of each topic */
  private readonly workers = new Map<string, string>();
  private relaying: Promise<number> | undefined;
  private queued: Promise<number> | undefined;
  /** pg-boss's own statements still running, and whether the queue has stopped */
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly log: { error(obj: unknown, msg?: string): void },
  ) {}

  /** Registers the handler of a topic, called job by job (before start). */
  on(topic: string, handler: JobHandler): void {
    this.handlers.set(topic, {
      batched: false,
      run: async (jobs) => {
        for (const j of jobs) await handler(j.payload, { outboxId: j.outboxId });
      },
    });
  }

  /**
   * Registers the handler of a topic, called with every row fetched at once (before start).
   * The relay puts all the rows of such a topic it moves together into one queue job, so a
   * busy topic costs the queue one job per relay batch instead of one per row; a failed
   * batch is retried whole, so the handler must tell which of its rows are already done.
   */
  onBatch(topic: string, handler: BatchHandler): void {
    this.handlers.set(topic, { batched: true, run: handler });
  }

  async start(opts: { relayIntervalMs?: number } = {}): Promise<void> {
    const boss = new PgBoss({
      db: { executeSql: (text, values) => this.bossSql(text, values) },
      schema: 'pgboss',
      supervise: true,
      schedule: false,
    });
    boss.on('error', (err) => this.log.error({ err }, 'job queue error'));
    await boss.start();
    for (const [topic, handler] of this.handlers) {
      await boss.createQueue(topic);
      const worker = await boss.work<JobData>(
        topic,
        { pollingIntervalSeconds: 0.5, batchSize: BATCH },
        async (jobs) => {
          // a job carries its rows; one written before rows were grouped is a row itself
          await handler.run(jobs.flatMap((j) => ('rows' in j.data ? j.data.rows : [j.data])));
          // a full batch: more may be waiting, so fetch again at once, not after the interval
          if (jobs.length === BATCH) boss.notifyWorker(worker);
        },
      );
      this.workers.set(topic, worker);
    }
    this.boss = boss;
    const every = opts.relayIntervalMs ?? 250;
    this.timer = setInterval(() => {
      this.relay().catch((err) => this.log.error({ err }, 'outbox relay failed'));
    }, every);
    this.timer.unref();
  }

  /**
   * The database as pg-boss sees it. pg-boss marks a job done or failed without waiting for
   * the answer, so a statement of a handler that outlives `stop` would reject unhandled once
   * the pool is closed: after `stop` its statements are not run (the job is picked up again
   * when it expires, and handlers are idempotent), and `stop` waits for those under way.
   */
  private async bossSql(text: string, values: unknown[]) {
    if (this.stopped) return { rows: [] };
    const run = this.db.executeSql(text, values);
    this.inFlight.add(run);
    try {
      return await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  /**
   * Moves pending outbox rows to the queue; returns how many. Safe to call concurrently: one
   * run at a time. A run under way may have read the outbox before the caller's rows were
   * committed, so the caller then waits for the next run, queued once for all who call
   * meanwhile.
   */
  relay(): Promise<number> {
    if (!this.relaying) {
      this.relaying = this.relayOnce().finally(() => {
        this.relaying = undefined;
      });
      return this.relaying;
    }
    const next = () => {
      this.queued = undefined;
      return this.relay();
    };
    this.queued ??= this.relaying.then(next, next);
    return this.queued;
  }

  private async relayOnce(): Promise<number> {
    const boss = this.boss;
    if (!boss) return 0;
    let moved = 0;
    const topics = new Set<string>();
    for (;;) {
      const n = await this.db.tx(async (tx) => {
        const rows = await tx.query<{ id: number; topic: string; payload: Record<string, unknown> }>(
          sql`SELECT id, topic, payload FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED`,
        );
        // one INSERT for the whole batch, in the transaction that marks the rows relayed: a
        // job per row, or per topic for the topics handled in batches
        const jobs: { name: string; data: JobData; singletonKey: string }[] = [];
        const grouped = new Map<string, JobRow[]>();
        for (const r of rows) {
          const h = this.handlers.get(r.topic);
          const row = { outboxId: r.id, payload: r.payload };
          if (!h) continue;
          if (!h.batched) jobs.push({ name: r.topic, data: { rows: [row] }, singletonKey: `outbox-${r.id}` });
          else if (grouped.has(r.topic)) grouped.get(r.topic)!.push(row);
          else grouped.set(r.topic, [row]);
        }
        for (const [name, group] of grouped)
          jobs.push({ name, data: { rows: group }, singletonKey: `outbox-${group[0]!.outboxId}` });
        if (jobs.length > 0) await boss.insert(jobs, { db: tx });
        for (const j of jobs) topics.add(j.name);
        if (rows.length > 0) {
          await tx.query(
            sql`UPDATE outbox SET dispatched_at = ${new Date()} WHERE id = ANY(${rows.map((r) => r.id)}::bigint[])`,
          );
        }
        return rows.length;
      });
      moved += n;
      if (n < 100) break;
    }
    // the workers fetch the new jobs now instead of at their next poll
    for (const t of topics) boss.notifyWorker(this.workers.get(t)!);
    return moved;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.queued;
    await this.relaying;
    await this.boss?.stop({ graceful: true, wait: true, timeout: 5000 });
    this.boss = undefined;
    this.stopped = true;
    await Promise.allSettled([...this.inFlight]);
  }
}
