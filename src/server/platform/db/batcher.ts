/**
 * Group commit: items submitted while a write is under way are written together by the
 * next one. A quiet system writes each item at once (it waits for nothing but the end of
 * the event-loop turn it arrived in); a busy one writes many per statement, so the fixed
 * cost of a statement — the round trip, the executor, the commit — is shared.
 *
 * - `write(items)` answers one result per item, in order, or throws for the whole batch.
 * - When a batch of several fails, each of its items is written again alone, so the one
 *   that broke the statement fails by itself and the others go through.
 * - `key`: items with the same key never share a batch (the later one goes in the next
 *   batch, after the earlier one's statement has ended), e.g. submissions of one person
 *   that must see each other to be told apart.
 */
export interface BatcherOptions<T, R> {
  write(items: T[]): Promise<R[]>;
  /** most items per statement */
  max: number;
  /** most statements under way at once */
  parallel: number;
  key?(item: T): string;
}

interface Waiting<T, R> {
  item: T;
  resolve(r: R): void;
  reject(err: unknown): void;
}

export class Batcher<T, R> {
  private queue: Waiting<T, R>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(private readonly opts: BatcherOptions<T, R>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.opts.parallel || this.queue.length === 0) return;
    this.scheduled = true;
    // the end of this event-loop turn: the requests that arrived in it go together
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.running < this.opts.parallel && this.queue.length > 0) {
      const batch = this.take();
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.schedule();
      });
    }
  }

  /** The next batch: the oldest items, at most `max`, one per key. */
  private take(): Waiting<T, R>[] {
    const { key, max } = this.opts;
    if (!key) return this.queue.splice(0, max);
    const batch: Waiting<T, R>[] = [];
    const keys = new Set<string>();
    const rest: Waiting<T, R>[] = [];
    for (const w of this.queue) {
      const k = key(w.item);
      if (batch.length < max && !keys.has(k)) {
        keys.add(k);
        batch.push(w);
      } else rest.push(w);
    }
    this.queue = rest;
    return batch;
  }

  private async run(batch: Waiting<T, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.opts.write(batch.map((w) => w.item));
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // the failed statement wrote nothing: each again alone, so only the culprit fails
      await Promise.all(
        batch.map((w) =>
          this.opts.write([w.item]).then(
            (r) => w.resolve(r[0]!),
            (e: unknown) => w.reject(e),
          ),
        ),
      );
      return;
    }
    const wrong =
      results.length !== batch.length && new Error(`${results.length} results for ${batch.length}`);
    for (const [i, w] of batch.entries()) wrong ? w.reject(wrong) : w.resolve(results[i]!);
  }
}
