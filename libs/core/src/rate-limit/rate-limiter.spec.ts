import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { RateLimiter } from './rate-limiter';
import { openStores } from '../stores';

/** The stored row of a counter, as the database holds it. */
const counter = (dataSource: DataSource, bucket: string): Promise<Array<{ hits: number | string; window_start: number | string; window_end: number | string }>> =>
  dataSource.query(`SELECT "hits", "window_start", "window_end" FROM "hydrant_rate_limit" WHERE "bucket" = '${bucket}'`);

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;

const HOUR = 3_600_000;
/** A fixed instant at the start of an hour, so that windows are predictable. */
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

/** Consumes `count` hits one after the other and returns the answers. */
async function hits(limiter: RateLimiter, bucket: string, count: number, limit: number, windowMs: number, now: number): Promise<boolean[]> {
  const answers: boolean[] = [];
  for (let i = 0; i < count; i++) answers.push(await limiter.consume(bucket, limit, windowMs, now));
  return answers;
}

function rateLimiterBehaviour(open: () => Promise<DataSource>) {
  let dataSource: DataSource;
  let limiter: RateLimiter;

  beforeAll(async () => {
    dataSource = await open();
    limiter = new RateLimiter(openStores(dataSource).rateLimits);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
  });

  it('allows `limit` hits in a window and refuses the ones after', async () => {
    expect(await hits(limiter, 'count', 5, 3, HOUR, T0 + 1000)).toEqual([true, true, true, false, false]);
  });

  it('counts hits anywhere in the same window together', async () => {
    expect(await limiter.consume('same-window', 2, HOUR, T0)).toBe(true);
    expect(await limiter.consume('same-window', 2, HOUR, T0 + HOUR / 2)).toBe(true);
    expect(await limiter.consume('same-window', 2, HOUR, T0 + HOUR - 1)).toBe(false);
  });

  it('starts counting afresh when the next window begins', async () => {
    expect(await hits(limiter, 'rollover', 3, 2, HOUR, T0 + 10)).toEqual([true, true, false]);
    expect(await hits(limiter, 'rollover', 3, 2, HOUR, T0 + HOUR)).toEqual([true, true, false]);
    expect(await hits(limiter, 'rollover', 1, 2, HOUR, T0 + 5 * HOUR + 123)).toEqual([true]);
  });

  it('keeps one counter a bucket', async () => {
    expect(await hits(limiter, 'ip:192.0.2.1', 3, 2, HOUR, T0)).toEqual([true, true, false]);
    expect(await hits(limiter, 'ip:192.0.2.2', 2, 2, HOUR, T0)).toEqual([true, true]);
    expect(await limiter.consume('ip:192.0.2.1', 2, HOUR, T0)).toBe(false);
  });

  it('stores the count, the start of the window and its end', async () => {
    await hits(limiter, 'stored', 4, 10, 60_000, T0 + 61_500);
    const [row] = await counter(dataSource, 'stored');
    expect(Number(row.hits)).toBe(4);
    expect(Number(row.window_start)).toBe(T0 + 60_000);
    expect(Number(row.window_end)).toBe(T0 + 120_000);
  });

  it('never refuses with a limit of 0, and stores nothing', async () => {
    expect(await hits(limiter, 'unlimited', 50, 0, HOUR, T0)).toEqual(Array(50).fill(true));
    expect(await counter(dataSource, 'unlimited')).toEqual([]);
  });

  it('allows exactly `limit` of many concurrent hits', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => limiter.consume('concurrent', 7, HOUR, T0)));
    expect(answers.filter(Boolean)).toHaveLength(7);
    const [row] = await counter(dataSource, 'concurrent');
    expect(Number(row.hits)).toBe(20);
  });

  it('peeks at the counts of the current window without counting', async () => {
    await limiter.count(['peek:a', 'peek:b'], HOUR, T0);
    await limiter.count(['peek:a'], HOUR, T0 + 1);
    expect(await limiter.peek(['peek:a', 'peek:b', 'peek:none'], HOUR, T0 + 2)).toEqual([2, 1, 0]);
    expect(await limiter.peek(['peek:a', 'peek:b', 'peek:none'], HOUR, T0 + 2)).toEqual([2, 1, 0]);
    // A count from a window that ended is no count.
    expect(await limiter.peek(['peek:a', 'peek:b'], HOUR, T0 + HOUR)).toEqual([0, 0]);
  });

  it('counts several buckets in one go and answers their counts in the order asked', async () => {
    expect(await limiter.count(['many:z', 'many:a'], HOUR, T0)).toEqual([1, 1]);
    expect(await limiter.count(['many:a'], HOUR, T0)).toEqual([2]);
    expect(await limiter.count(['many:z', 'many:a'], HOUR, T0)).toEqual([2, 3]);
    expect(await limiter.count(['many:z', 'many:a'], HOUR, T0 + HOUR)).toEqual([1, 1]);
  });

  it('counts many concurrent hits on two buckets exactly, whatever order each names them in', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => limiter.count(i % 2 ? ['pair:source', 'pair:client'] : ['pair:client', 'pair:source'], HOUR, T0)),
    );
    expect(answers.map(([first]) => first).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await limiter.peek(['pair:client', 'pair:source'], HOUR, T0)).toEqual([20, 20]);
  });

  it('takes hits back in the current window, never below 0 and never from an older window', async () => {
    await limiter.count(['uncount:a', 'uncount:b'], HOUR, T0);
    await limiter.count(['uncount:a'], HOUR, T0);
    await limiter.uncount(['uncount:a', 'uncount:b'], HOUR, T0 + 5);
    expect(await limiter.peek(['uncount:a', 'uncount:b'], HOUR, T0 + 6)).toEqual([1, 0]);
    await limiter.uncount(['uncount:b'], HOUR, T0 + 7);
    expect(await limiter.peek(['uncount:b'], HOUR, T0 + 8)).toEqual([0]);
    await limiter.uncount(['uncount:a'], HOUR, T0 + HOUR);
    expect(await limiter.peek(['uncount:a'], HOUR, T0 + 9)).toEqual([1]);
  });

  it('deletes the counters of windows that ended by the cut-off, a batch at a time', async () => {
    await limiter.count(['flush:ended-long-ago'], HOUR, T0 - 10 * HOUR);
    await limiter.count(['flush:ended'], 60_000, T0 - 60_000);
    await limiter.count(['flush:live'], HOUR, T0);
    await limiter.count(['flush:short-but-live'], 60_000, T0 + 30_000);
    const before = new Date(T0 + 30_000);
    expect(await openStores(dataSource).rateLimits.deleteExpiredBatch(before, 1)).toBe(1);
    expect(await openStores(dataSource).rateLimits.deleteExpiredBatch(before, 500)).toBeGreaterThanOrEqual(1);
    expect(await openStores(dataSource).rateLimits.deleteExpiredBatch(before, 500)).toBe(0);
    const left: Array<{ bucket: string }> = await dataSource.query(`SELECT "bucket" FROM "hydrant_rate_limit" WHERE "bucket" LIKE 'flush:%' ORDER BY "bucket"`);
    expect(left.map((r) => r.bucket)).toEqual(['flush:live', 'flush:short-but-live']);
  });

  it('uses the clock when no time is given', async () => {
    const century = 100 * 365 * 24 * HOUR; // so that no window ends while the test runs
    expect(await hits(limiter, 'clock', 3, 2, century, Date.now())).toEqual([true, true, false]);
    expect(await limiter.consume('clock', 2, century)).toBe(false);
    expect(await limiter.consume('clock', 2, century, Date.now() + century)).toBe(true);
  });
}

describe('RateLimiter on SQLite', () => {
  rateLimiterBehaviour(async () => (await openMigratedDataSource('sqlite')).dataSource);
});

describePg('RateLimiter on PostgreSQL', () => {
  let drop: (() => Promise<void>) | undefined;

  // Runs after the afterAll of rateLimiterBehaviour, which destroys the data source.
  afterAll(async () => {
    await drop?.();
  });

  rateLimiterBehaviour(async () => {
    const db = await openMigratedDataSource('postgres');
    drop = db.drop;
    return db.dataSource;
  });
});
