import type { Db } from './db/index.js';

interface Entry<T> {
  at: number;
  value: Promise<T>;
  /** set once the value has loaded */
  ready: boolean;
  reloading: boolean;
}

/**
 * Reference data read from the database and kept per database for `ttlMs` (configuration,
 * regions, who handles what), so that hot paths do not read it per request. When an entry
 * is older, the old value is still answered while one reload runs in the background — no
 * request waits for a reload — unless it is older than `maxStaleMs` (reloads keep failing)
 * or was dropped by `forget` (a change in this process, seen at once).
 */
export class RefCache {
  private readonly byDb = new WeakMap<Db, Map<string, Entry<unknown>>>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxStaleMs = 60_000,
    private readonly maxKeys = 20_000,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(db: Db, key: string, load: () => Promise<T>): Promise<T> {
    let entries = this.byDb.get(db);
    if (!entries) {
      entries = new Map();
      this.byDb.set(db, entries);
    }
    const hit = entries.get(key) as Entry<T> | undefined;
    const age = hit ? this.now() - hit.at : Number.POSITIVE_INFINITY;
    if (hit && (age < this.ttlMs || !hit.ready)) return hit.value;
    if (hit && age < this.maxStaleMs) {
      if (!hit.reloading) {
        hit.reloading = true;
        load().then(
          (v) => {
            // not if the key was dropped meanwhile: this reload may have read the old data
            if (entries.get(key) === hit)
              entries.set(key, { at: this.now(), value: Promise.resolve(v), ready: true, reloading: false });
          },
          () => {
            hit.reloading = false; // keep answering the old value; the next request retries
          },
        );
      }
      return hit.value;
    }
    if (entries.size >= this.maxKeys) entries.clear();
    const entry: Entry<T> = { at: this.now(), value: load(), ready: false, reloading: false };
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

  /** Drops one key, or everything kept for the database. */
  forget(db: Db, key?: string): void {
    if (key === undefined) this.byDb.delete(db);
    else this.byDb.get(db)?.delete(key);
  }
}
