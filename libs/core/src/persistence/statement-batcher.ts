interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Runs many small statements as few large ones: items added while a statement is under way go together
 * into the next one, and each caller's promise settles with its own item's result. For inserts that is a
 * group commit (one multi-row INSERT); for point reads, one `IN (…)` lookup. At most `maxInFlight`
 * statements run at once, so the busier the database (another process holding SQLite's write lock, a slow
 * PostgreSQL commit, the sqlite3 thread pool's hand-off) the larger the batches grow instead of the queue
 * of statements. With no load an item waits one tick. When a batch fails, its items are retried one by one,
 * so each caller gets its own item's outcome.
 */
export class StatementBatcher<T, R = void> {
  private pending: Array<Pending<T, R>> = [];
  private scheduled = false;
  private inFlight = 0;

  /** `run` answers one result per item, in the items' order (a write may answer nothing). */
  constructor(
    private readonly run: (items: T[]) => Promise<R[] | void>,
    private readonly options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    const maxBatch = this.options.maxBatch ?? 200;
    while (this.pending.length > 0 && this.inFlight < (this.options.maxInFlight ?? 1)) {
      const batch = this.pending.splice(0, maxBatch);
      this.inFlight++;
      this.runBatch(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async runBatch(batch: Array<Pending<T, R>>): Promise<void> {
    try {
      const results = (await this.run(batch.map((p) => p.item))) ?? [];
      batch.forEach((p, i) => p.resolve(results[i] as R));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((p) => this.run([p.item]).then((results) => p.resolve((results ?? [])[0] as R), p.reject)));
    }
  }
}
