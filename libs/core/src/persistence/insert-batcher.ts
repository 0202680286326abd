/**
 * Group commit: rows added in the same moment are written together in one statement, and each caller's
 * promise settles when its row is durable. Under load this turns N inserts (N statements, N commits)
 * into one; with no load it costs one tick. When a batch fails, its rows are retried one by one, so that
 * each caller gets its own row's outcome and one bad row does not fail its neighbours.
 */
export class InsertBatcher<T> {
  private pending: Array<{ row: T; resolve: () => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly maxBatch = 200,
  ) {}

  add(row: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending.splice(0, this.pending.length);
    if (batch.length === 0) return;
    this.write(batch.map((p) => p.row)).then(
      () => batch.forEach((p) => p.resolve()),
      (error: unknown) => {
        if (batch.length === 1) return batch[0].reject(error);
        for (const p of batch) this.write([p.row]).then(p.resolve, p.reject);
      },
    );
  }
}
