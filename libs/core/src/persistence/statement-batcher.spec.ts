import { StatementBatcher } from './statement-batcher';

describe('StatementBatcher', () => {
  it('writes rows added in the same moment as one batch and settles every caller', async () => {
    const writes: number[][] = [];
    const batcher = new StatementBatcher<number>(async (rows) => {
      writes.push(rows);
    });
    await Promise.all([1, 2, 3, 4].map((n) => batcher.add(n)));
    expect(writes).toEqual([[1, 2, 3, 4]]);
    await batcher.add(5);
    expect(writes).toEqual([[1, 2, 3, 4], [5]]);
  });

  it('never writes more than maxBatch rows at once', async () => {
    const sizes: number[] = [];
    const batcher = new StatementBatcher<number>(async (rows) => {
      sizes.push(rows.length);
    }, { maxBatch: 3 });
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => batcher.add(n)));
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('keeps one write in flight and gathers what arrives meanwhile into the next batch', async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const firstWrite = new Promise<void>((r) => (release = r));
    const batcher = new StatementBatcher<number>(async (rows) => {
      writes.push(rows);
      if (writes.length === 1) await firstWrite;
    });
    const first = batcher.add(1);
    await new Promise((r) => setImmediate(r));
    const later = [2, 3, 4].map((n) => batcher.add(n));
    await new Promise((r) => setTimeout(r, 10));
    expect(writes).toEqual([[1]]); // the others wait for the write in flight
    release();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('retries a failed batch row by row, so only the bad row fails', async () => {
    const stored: number[] = [];
    const batcher = new StatementBatcher<number>(async (rows) => {
      if (rows.includes(13)) throw new Error('constraint violated');
      stored.push(...rows);
    });
    const outcomes = await Promise.allSettled([11, 12, 13, 14].map((n) => batcher.add(n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[2] as PromiseRejectedResult).reason.message).toBe('constraint violated');
    expect(stored.sort()).toEqual([11, 12, 14]);
  });
});

describe('StatementBatcher for lookups', () => {
  it('answers each caller with the result of its own item', async () => {
    const batches: string[][] = [];
    const batcher = new StatementBatcher<string, string | null>(async (keys) => {
      batches.push(keys);
      return keys.map((k) => (k === 'missing' ? null : k.toUpperCase()));
    });
    expect(await Promise.all(['a', 'missing', 'b'].map((k) => batcher.add(k)))).toEqual(['A', null, 'B']);
    expect(batches).toEqual([['a', 'missing', 'b']]);
  });
});
