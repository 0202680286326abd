import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { RateLimitEntity } from '../persistence/entities';
import { TransactionRunner } from '../persistence/transaction.runner';
import { RateLimiter } from './rate-limiter';

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
    limiter = new RateLimiter(dataSource, new TransactionRunner(dataSource));
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

  it('stores the count and the start of the window', async () => {
    await hits(limiter, 'stored', 4, 10, 60_000, T0 + 61_500);
    const row = await dataSource.getRepository(RateLimitEntity).findOneByOrFail({ bucket: 'stored' });
    expect(row.hits).toBe(4);
    expect(Number(row.windowStart)).toBe(T0 + 60_000);
  });

  it('never refuses with a limit of 0, and stores nothing', async () => {
    expect(await hits(limiter, 'unlimited', 50, 0, HOUR, T0)).toEqual(Array(50).fill(true));
    expect(await dataSource.getRepository(RateLimitEntity).countBy({ bucket: 'unlimited' })).toBe(0);
  });

  it('allows exactly `limit` of many concurrent hits', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => limiter.consume('concurrent', 7, HOUR, T0)));
    expect(answers.filter(Boolean)).toHaveLength(7);
    const row = await dataSource.getRepository(RateLimitEntity).findOneByOrFail({ bucket: 'concurrent' });
    expect(row.hits).toBe(20);
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
