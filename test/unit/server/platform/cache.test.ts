import { describe, expect, it } from 'vitest';
import { RefCache } from '../../../../src/server/platform/cache.js';
import type { Db } from '../../../../src/server/platform/db/index.js';

const db = {} as Db;
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A cache on a clock the test moves, and a loader that counts its reads. */
function setup() {
  let t = 0;
  const cache = new RefCache(10, 100, 3, () => t);
  let reads = 0;
  let fail = false;
  const load = async () => {
    reads++;
    if (fail) throw new Error('database away');
    return reads;
  };
  return {
    cache,
    get: () => cache.get(db, 'k', load),
    advance: (ms: number) => {
      t += ms;
    },
    reads: () => reads,
    failReads: (f: boolean) => {
      fail = f;
    },
  };
}

describe('reference data cache', () => {
  it('reads once while fresh, and shares one read between concurrent callers', async () => {
    const c = setup();
    expect(await Promise.all([c.get(), c.get()])).toEqual([1, 1]);
    c.advance(9);
    expect(await c.get()).toBe(1);
    expect(c.reads()).toBe(1);
  });

  it('answers the old value when stale while one reload runs, then the new one', async () => {
    const c = setup();
    await c.get();
    c.advance(11);
    expect(await Promise.all([c.get(), c.get()])).toEqual([1, 1]);
    await tick();
    expect(c.reads()).toBe(2);
    expect(await c.get()).toBe(2);
  });

  it('keeps the old value when a reload fails, and waits for a read once too old', async () => {
    const c = setup();
    await c.get();
    c.advance(11);
    c.failReads(true);
    expect(await c.get()).toBe(1);
    await tick();
    expect(await c.get()).toBe(1); // retried, failed again, still the old value
    c.advance(100);
    await expect(c.get()).rejects.toThrow('database away');
    c.failReads(false);
    expect(await c.get()).toBeGreaterThan(1);
  });

  it('reads again at once after forget, and a reload started before does not bring old data back', async () => {
    const c = setup();
    await c.get();
    c.advance(11);
    const stale = c.get(); // starts reload #2 in the background
    c.cache.forget(db);
    expect(await stale).toBe(1);
    expect(await c.get()).toBe(3); // read after the change
    await tick();
    expect(await c.get()).toBe(3); // reload #2 did not overwrite it
  });

  it('with a version, keeps the value while the version holds and reads again once it changes', async () => {
    let t = 0;
    const cache = new RefCache(10, 100, 3, () => t);
    let version = 'v1';
    let reads = 0;
    let checks = 0;
    const source = {
      version: async () => {
        checks++;
        return version;
      },
      load: async () => ++reads,
    };
    expect(await cache.get(db, 'k', source)).toBe(1);
    for (let i = 0; i < 3; i++) {
      t += 11;
      expect(await cache.get(db, 'k', source)).toBe(1);
      await tick();
    }
    expect(reads).toBe(1); // three checks, no read
    expect(checks).toBe(4);
    t += 5;
    expect(await cache.get(db, 'k', source)).toBe(1); // fresh again since the last check: no check
    expect(checks).toBe(4);
    version = 'v2';
    t += 11;
    expect(await cache.get(db, 'k', source)).toBe(1); // the old value while it reads again
    await tick();
    await tick();
    expect(await cache.get(db, 'k', source)).toBe(2);
    expect(reads).toBe(2);
  });

  it("checks a source bound to the caller's transaction while the caller waits, never after", async () => {
    let t = 0;
    const cache = new RefCache(10, 100, 3, () => t);
    let version = 'v1';
    let reads = 0;
    let open = false; // the caller's transaction
    let late = 0; // statements sent on it after it ended
    const inTx = async <T>(f: () => T) => {
      await tick();
      if (!open) late++;
      return f();
    };
    const source = {
      version: () => inTx(() => version),
      load: () => inTx(() => ++reads),
      inCallersTx: true,
    };
    const request = async () => {
      open = true;
      try {
        return await cache.get(db, 'k', source);
      } finally {
        open = false;
      }
    };
    expect(await request()).toBe(1);
    t += 11;
    expect(await request()).toBe(1); // checked, unchanged
    version = 'v2';
    t += 11;
    expect(await request()).toBe(2); // the new value, read before the request ended
    for (let i = 0; i < 5; i++) await tick();
    expect(late).toBe(0);
    expect(reads).toBe(2);

    version = 'v3';
    t += 11;
    source.version = () => Promise.reject(new Error('current transaction is aborted'));
    await expect(request()).rejects.toThrow('aborted');
    source.version = () => inTx(() => version);
    expect(await request()).toBe(3); // the next request checks again
  });

  it('stays bounded in keys', async () => {
    const cache = new RefCache(10, 100, 3);
    for (let i = 0; i < 10; i++) await cache.get(db, `k${i}`, async () => i);
    let reads = 0;
    await cache.get(db, 'k0', async () => ++reads);
    expect(reads).toBe(1);
  });
});
