import { type Db, type Queryable, sql } from './db/index.js';

interface Entry<T> {
  at: number;
  value: Promise<T>;
  /** set once the value has loaded */
  ready: boolean;
  reloading: boolean;
  /** what `version` answered before the value was read */
  version?: string;
}

/** How to read an entry: `load` reads it; `version`, if given, tells cheaply whether it changed. */
export interface Source<T> {
  load(): Promise<T>;
  version?(): Promise<string>;
  /**
   * The source reads through the caller's transaction, which ends with the caller (on the
   * embedded engine, another query would wait for it). A stale entry is then checked and
   * read again while the caller waits, never in the background after it has gone.
   */
  inCallersTx?: boolean;
}

/**
 * Reference data read from the database and kept per database for `ttlMs` (configuration,
 * regions, who handles what), so that hot paths do not read it per request. When an entry
 * is older, the old value is still answered while one reload runs in the background — no
 * request waits for a reload — unless it is older than `maxStaleMs` (reloads keep failing)
 * or was dropped by `forget` (a change in this process, seen at once).
 *
 * A source with a `version` (e.g. a checksum of the table, computed by the database) is
 * only read again when its version has changed: a large table (every organization taking
 * appeals) read every few seconds for nothing held the event loop for tens of milliseconds
 * each time, which was the p99 of intake.
 */
export class RefCache {
  private readonly byDb = new WeakMap<Db, Map<string, Entry<unknown>>>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxStaleMs = 60_000,
    private readonly maxKeys = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(db: Db, key: string, source: (() => Promise<T>) | Source<T>): Promise<T> {
    const src = typeof source === 'function' ? { load: source } : source;
    let entries = this.byDb.get(db);
    if (!entries) {
      entries = new Map();
      this.byDb.set(db, entries);
    }
    const hit = entries.get(key) as Entry<T> | undefined;
    const age = hit ? this.now() - hit.at : Number.POSITIVE_INFINITY;
    if (hit && (age < this.ttlMs || !hit.ready)) return hit.value;
    if (hit && age < this.maxStaleMs) {
      if (hit.reloading) return hit.value;
      hit.reloading = true;
      const done = this.refresh(entries, key, hit, src).catch((err) => {
        hit.reloading = false; // keep answering the old value; the next request retries
        if (src.inCallersTx) throw err; // a failed statement has failed the caller's transaction
      });
      if (!src.inCallersTx) return hit.value;
      return done.then(() => ((entries.get(key) as Entry<T> | undefined) ?? hit).value);
    }
    if (entries.size >= this.maxKeys) entries.clear();
    const entry: Entry<T> = {
      at: this.now(),
      value: this.read(src).then((r) => {
        entry.version = r.version;
        return r.value;
      }),
      ready: false,
      reloading: false,
    };
    entries.set(key, entry);
    entry.value.then(
      () => {
        entry.ready = true;
      },
      () => {
        if (entries.get(key) === entry) entries.delete(key);
      },
    );
    return entry.value;
  }

  /** The version (first, so a change made while the value is read shows next time) and the value. */
  private async read<T>(src: Source<T>): Promise<{ value: T; version?: string }> {
    const version = src.version ? await src.version() : undefined;
    return { value: await src.load(), version };
  }

  /** A stale entry: kept (its clock reset) if its version has not changed, else read again. */
  private async refresh<T>(entries: Map<string, Entry<unknown>>, key: string, hit: Entry<T>, src: Source<T>) {
    const at = this.now();
    if (src.version && hit.version !== undefined && (await src.version()) === hit.version) {
      if (entries.get(key) === hit) {
        hit.at = at;
        hit.reloading = false;
      }
      return;
    }
    const r = await this.read(src);
    // not if the key was dropped meanwhile: this reload may have read the old data
    if (entries.get(key) === hit)
      entries.set(key, {
        at,
        value: Promise.resolve(r.value),
        ready: true,
        reloading: false,
        version: r.version,
      });
  }

  /** Drops one key, or everything kept for the database. */
  forget(db: Db, key?: string): void {
    if (key === undefined) this.byDb.delete(db);
    else this.byDb.get(db)?.delete(key);
  }
}

/** What a version covers: a table, the columns a lookup reads, and optionally which rows. */
export type VersionOf = readonly [table: string, columns: readonly string[], where?: string];

/**
 * A version of reference data for a `Source`: per table its row count and a checksum of the
 * columns a lookup reads, computed by the database in one statement (a few milliseconds
 * there, nothing here). Read through the same connection or transaction as the data (on
 * the embedded engine, another query waits for an open transaction to end). Table, column
 * names and conditions are code, never input.
 */
export const tablesVersion = (q: Queryable, tables: readonly VersionOf[]) => async (): Promise<string> => {
  // built only when a stale entry is checked, not on every lookup that creates the Source
  const parts = tables.map(
    ([table, columns, where]) =>
      `(SELECT count(*) || ':' || coalesce(sum(hashtext(concat_ws('|', ${columns.join(', ')})::text)), 0)
        FROM ${table}${where ? ` WHERE ${where}` : ''})`,
  );
  const r = await q.query<{ v: string }>(sql`SELECT concat_ws(';', ${sql.raw(parts.join(', '))}) AS v`);
  return r[0]!.v;
};

/** The version of one table (see `tablesVersion`). */
export const tableVersion = (q: Queryable, table: string, columns: readonly string[]) =>
  tablesVersion(q, [[table, columns]]);
