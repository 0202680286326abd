/**
 * Group commit: rows added while a write is under way are written together in the next statement, and
 * each caller's promise settles when its row is stored. At most `maxInFlight` writes run at once, so the
 * busier the database (another process holding SQLite's write lock, a slow PostgreSQL commit), the larger
 * the batches grow instead of the queue of statements. With no load a row waits one tick. When a batch
 * fails, its rows are retried one by one, so each caller gets its own row's outcome.
 */
export class InsertBatcher<T> {
  private pending: Array<{ row: T; resolve: () => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {}

  add(row: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
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
      this.writeBatch(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async writeBatch(batch: Array<{ row: T; resolve: () => void; reject: (e: unknown) => void }>): Promise<void> {
    try {
      await this.write(batch.map((p) => p.row));
      batch.forEach((p) => p.resolve());
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      await Promise.all(batch.map((p) => this.write([p.row]).then(p.resolve, p.reject)));
    }
  }
}
