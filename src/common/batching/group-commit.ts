/** Writes a batch of items in one transaction (one statement); answers one result per item, in order. */
export type BatchWriter<Item, Result> = (items: Item[]) => Promise<Result[]>;

export type GroupCommitOptions = {
  /** Items in one batch at most. */
  maxBatch: number;
  /** Batches being written at once at most (each holds a database connection). */
  maxInFlight: number;
  /**
   * Whether a failed batch of several items is written again one item at a time, so that one bad
   * item (a constraint it breaks) fails alone. Not for failures every item would meet alike
   * (the database unreachable): those fail the whole batch at once.
   */
  retryAlone: (error: unknown) => boolean;
};

type Waiting<Item, Result> = { item: Item; resolve: (result: Result) => void; reject: (error: unknown) => void };

/**
 * Group commit for writes that each need their own durable commit before they are answered: an
 * item is written at once when a writer is free, and the items that arrive while all writers are
 * busy are written together by the next one, in one commit. Each caller is answered after the
 * commit holding its item returns, so nothing is acknowledged that a crash could lose; no timer
 * holds anything back, so one write alone is not slower than without batching.
 */
export class GroupCommit<Item, Result> {
  private queue: Waiting<Item, Result>[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: BatchWriter<Item, Result>,
    private readonly options: GroupCommitOptions,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch = this.queue.length <= this.options.maxBatch ? this.queue : this.queue.slice(0, this.options.maxBatch);
      this.queue = batch === this.queue ? [] : this.queue.slice(this.options.maxBatch);
      this.inFlight++;
      void this.writeBatch(batch).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  private async writeBatch(batch: Waiting<Item, Result>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} writes answered ${results.length} results`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1 || !this.options.retryAlone(error)) {
        for (const w of batch) w.reject(error);
        return;
      }
      await Promise.all(batch.map((w) => this.write([w.item]).then(([result]) => w.resolve(result!), w.reject)));
    }
  }
}
