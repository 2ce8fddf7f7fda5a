import { describe, expect, it } from 'vitest';
import { Batcher } from '../../../../src/server/platform/db/batcher.js';

/** A write that records its batches, answers item × 10, and fails a batch holding `bad`. */
function recorder(opts: { bad?: number; delayMs?: number } = {}) {
  const batches: number[][] = [];
  const write = async (items: number[]) => {
    batches.push([...items]);
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 5));
    if (opts.bad !== undefined && items.includes(opts.bad)) throw new Error(`bad ${opts.bad}`);
    return items.map((i) => i * 10);
  };
  return { batches, write };
}

describe('Batcher (group commit)', () => {
  it('writes a lone item at once, alone', async () => {
    const r = recorder();
    const b = new Batcher({ write: r.write, max: 8, parallel: 1 });
    expect(await b.submit(1)).toBe(10);
    expect(r.batches).toEqual([[1]]);
  });

  it('writes the items that arrive while a write runs together, at most `max` per write', async () => {
    const r = recorder({ delayMs: 20 });
    const b = new Batcher({ write: r.write, max: 3, parallel: 1 });
    const first = b.submit(0);
    await new Promise((res) => setTimeout(res, 5)); // the first write is under way
    const rest = [1, 2, 3, 4, 5].map((i) => b.submit(i));
    expect(await Promise.all([first, ...rest])).toEqual([0, 10, 20, 30, 40, 50]);
    expect(r.batches).toEqual([[0], [1, 2, 3], [4, 5]]);
  });

  it('runs at most `parallel` writes at once', async () => {
    let running = 0;
    let most = 0;
    const b = new Batcher<number, number>({
      write: async (items) => {
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
        return items;
      },
      max: 1,
      parallel: 2,
    });
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => b.submit(i)));
    expect(most).toBe(2);
  });

  it('never puts two items of one key in one write', async () => {
    const r = recorder();
    const b = new Batcher({ write: r.write, max: 8, parallel: 1, key: (i: number) => String(i % 2) });
    expect(await Promise.all([1, 3, 2, 5, 4].map((i) => b.submit(i)))).toEqual([10, 30, 20, 50, 40]);
    for (const batch of r.batches) expect(new Set(batch.map((i) => i % 2)).size).toBe(batch.length);
    expect(r.batches.flat().sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('when a write of several fails, writes each again alone: only the culprit fails', async () => {
    const r = recorder({ bad: 2 });
    const b = new Batcher({ write: r.write, max: 8, parallel: 1 });
    const results = await Promise.allSettled([1, 2, 3].map((i) => b.submit(i)));
    expect(results.map((x) => (x.status === 'fulfilled' ? x.value : (x.reason as Error).message))).toEqual([
      10,
      'bad 2',
      30,
    ]);
    expect(r.batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('rejects every item of a write that answers the wrong number of results', async () => {
    const b = new Batcher<number, number>({ write: async () => [1], max: 8, parallel: 1 });
    const results = await Promise.allSettled([1, 2].map((i) => b.submit(i)));
    expect(results.every((x) => x.status === 'rejected')).toBe(true);
  });
});
