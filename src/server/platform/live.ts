import { type Db, sql } from './db/index.js';

/**
 * Live notices: what tells a signed-in page that its bell or its inbox (工作台) changed, so it
 * reloads them without navigation (`GET /api/me/events`, server-sent events).
 *
 * The publish side is one small interface, `LivePublisher`. This process's `LiveHub` delivers
 * to the streams it holds. Changes made by any process are found by the `NoticeFeed`: every
 * insert of a notice and every change of its read mark takes the next `notifications.rev`
 * (migration 0013), and the feed looks for new revs of the users this process streams to.
 * A deployment that wants lower latency than one look per `NIUDAI_LIVE_POLL_MS` replaces the
 * feed with a trigger doing `pg_notify` and one LISTEN connection per process calling
 * `publish` — nothing else changes.
 */
export interface LiveEvent {
  /** `notices`: the user's notices changed (new, read, closed); `todo`: only the inbox changed */
  type: 'notices' | 'todo';
}

export interface LivePublisher {
  publish(userIds: readonly number[], event: LiveEvent): void;
}

type Listener = (e: LiveEvent) => void;

/** The streams of this process, by user. */
export class LiveHub implements LivePublisher {
  private readonly subs = new Map<number, Set<Listener>>();
  private readonly closers = new Set<() => void>();

  subscribe(userId: number, fn: Listener, close: () => void): () => void {
    let set = this.subs.get(userId);
    if (!set) {
      set = new Set();
      this.subs.set(userId, set);
    }
    set.add(fn);
    this.closers.add(close);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.subs.delete(userId);
      this.closers.delete(close);
    };
  }

  publish(userIds: readonly number[], event: LiveEvent): void {
    for (const id of new Set(userIds)) for (const fn of this.subs.get(id) ?? []) fn(event);
  }

  /** The users with at least one open stream here. */
  users(): number[] {
    return [...this.subs.keys()];
  }

  /** Ends every stream (the process is stopping). */
  closeAll(): void {
    for (const c of [...this.closers]) c();
  }
}

/** How long a notice's transaction may take to commit after taking its rev (a later look still finds it). */
const LOOKBACK_MS = 10_000;

/**
 * Follows `notifications.rev` for the users of a hub. A rev is taken when a row is written,
 * not when it commits, so the feed keeps looking back `LOOKBACK_MS` and remembers what it
 * has already announced.
 */
export class NoticeFeed {
  private floor: number | null = null;
  private readonly marks: { at: number; top: number }[] = [];
  private readonly seen = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly hub: LiveHub,
    private readonly everyMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => {
      this.running ??= this.look()
        .catch(this.onError)
        .finally(() => {
          this.running = undefined;
        });
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One look: announces the users whose notices changed since the last one. */
  async look(now = Date.now()): Promise<void> {
    const users = this.hub.users();
    if (users.length === 0) {
      this.floor = null; // nobody listens: start again from the top when someone does
      return;
    }
    if (this.floor === null) {
      const r = await this.db.query<{ top: number | null }>(
        sql`SELECT max(rev)::bigint AS top FROM notifications`,
      );
      this.floor = Number(r[0]?.top ?? 0);
      this.marks.length = 0;
      this.seen.clear();
      this.marks.push({ at: now, top: this.floor });
      return;
    }
    const rows = await this.db.query<{ rev: number | null; user_id: number | null }>(
      sql`(SELECT rev, user_id FROM notifications WHERE rev > ${this.floor} AND user_id = ANY(${users}::bigint[])
          ORDER BY rev LIMIT 5000)
        UNION ALL SELECT max(rev), NULL FROM notifications`,
    );
    const changed = new Set<number>();
    let top = this.floor;
    for (const r of rows) {
      if (r.user_id === null) {
        top = Math.max(top, Number(r.rev ?? 0));
        continue;
      }
      const rev = Number(r.rev);
      if (this.seen.has(rev)) continue;
      this.seen.add(rev);
      changed.add(Number(r.user_id));
    }
    this.marks.push({ at: now, top });
    // revs at or below what was the top LOOKBACK_MS ago have all committed by now
    while (this.marks.length > 1 && this.marks[1]!.at <= now - LOOKBACK_MS) this.marks.shift();
    const settled = this.marks[0]!.at <= now - LOOKBACK_MS ? this.marks[0]!.top : this.floor;
    if (settled > this.floor) {
      this.floor = settled;
      for (const rev of this.seen) if (rev <= settled) this.seen.delete(rev);
    }
    if (changed.size > 0) this.hub.publish([...changed], { type: 'notices' });
  }
}

const hubs = new WeakMap<Db, LiveHub>();

/** The hub of a system (one per database handle, so several test systems in one process stay apart). */
export function liveHubOf(db: Db): LiveHub {
  let h = hubs.get(db);
  if (!h) {
    h = new LiveHub();
    hubs.set(db, h);
  }
  return h;
}
