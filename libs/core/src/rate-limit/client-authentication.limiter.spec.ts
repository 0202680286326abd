import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { ClientAuthenticationLimiter } from './client-authentication.limiter';
import { RateLimitedError } from './rate-limited.error';
import { RateLimiter } from './rate-limiter';
import { openStores } from '../stores';

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;

const WINDOW = 60_000;
/** 20 s into a minute, so that a window is predictable. */
const T0 = Date.UTC(2030, 0, 1, 12, 0, 20);

function limiterBehaviour(open: () => Promise<{ dataSource: DataSource; drop: () => Promise<void> }>) {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let counters: RateLimiter;
  let now: number;
  let peeks: jest.SpyInstance;
  let run = 0;
  /** A client id and a source of each test's own, so that tests do not share counters. */
  let client: string;
  let source: string;

  /** A limiter as one worker process holds it; several share the database. */
  const worker = (perSource: number) => new ClientAuthenticationLimiter(counters, perSource, WINDOW, () => now);

  beforeAll(async () => {
    ({ dataSource, drop } = await open());
    counters = new RateLimiter(openStores(dataSource).rateLimits);
  });
  beforeEach(() => {
    now = T0;
    run++;
    client = `client-${run}`;
    source = `192.0.2.${run}`;
    peeks = jest.spyOn(counters, 'peek');
  });
  afterEach(() => peeks.mockRestore());
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await drop?.();
  });

  const refusal = async (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

  it('answers a refusal for the failure that goes over the limit, and refuses after it until the window ends', async () => {
    const limiter = worker(2);
    expect(await limiter.recordFailure({ clientId: client, source })).toBeUndefined();
    expect(await limiter.recordFailure({ clientId: client, source })).toBeUndefined();
    await limiter.ensureAllowed({ clientId: client, source: '198.51.100.1' });
    now = T0 + 5_000;
    const over = await limiter.recordFailure({ clientId: client, source });
    expect(over).toBeInstanceOf(RateLimitedError);
    expect(over).toMatchObject({ statusCode: 429, retryAfterSeconds: 35 });
    expect(await refusal(limiter.ensureAllowed({ source }))).toMatchObject({ statusCode: 429, retryAfterSeconds: 35 });
    now = T0 + WINDOW;
    await limiter.ensureAllowed({ clientId: client, source });
  });

  it('counts the failures of every process against one limit, exactly', async () => {
    const [first, second] = [worker(3), worker(3)];
    expect(await first.recordFailure({ clientId: client, source })).toBeUndefined();
    expect(await second.recordFailure({ clientId: client, source })).toBeUndefined();
    expect(await first.recordFailure({ clientId: client, source })).toBeUndefined();
    expect(await second.recordFailure({ clientId: client, source })).toBeInstanceOf(RateLimitedError);
    expect(await first.recordFailure({ clientId: client, source })).toBeInstanceOf(RateLimitedError);
  });

  it('reserves failures atomically: of many concurrent reservations from two processes exactly the limit pass', async () => {
    const processes = [worker(4), worker(4)];
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => refusal(processes[i % 2].reserve({ clientId: client, source }))));
    expect(results.filter((r) => r === undefined)).toHaveLength(4);
    expect(results.filter((r) => r instanceof RateLimitedError)).toHaveLength(8);
  });

  it('takes a reservation back on release, in the database and in this process', async () => {
    const limiter = worker(1);
    const release = await limiter.reserve({ clientId: client, source });
    await expect(refusal(limiter.ensureAllowed({ clientId: client, source }))).resolves.toBeInstanceOf(RateLimitedError);
    await release();
    await limiter.ensureAllowed({ clientId: client, source });
    await worker(1).ensureAllowed({ clientId: client, source });
  });

  it('releases a reservation in the window it was made in', async () => {
    const limiter = worker(1);
    now = T0 + 39_000;
    const release = await limiter.reserve({ clientId: client, source });
    now = T0 + WINDOW;
    await limiter.recordFailure({ clientId: client, source });
    await release();
    await expect(refusal(worker(1).ensureAllowed({ clientId: client, source }))).resolves.toBeInstanceOf(RateLimitedError);
  });

  it('counts nothing for a refused attempt, so that one source cannot use up the budget of the client it names', async () => {
    const limiter = worker(2);
    const results = await Promise.all([
      ...Array.from({ length: 30 }, () => limiter.recordFailure({ clientId: client, source })),
      ...Array.from({ length: 30 }, () => refusal(limiter.reserve({ clientId: client, source }))),
    ]);
    // Nothing else: taking the counts back must not deadlock against the counting (PostgreSQL).
    expect(results.filter((r) => r !== undefined && !(r instanceof RateLimitedError))).toEqual([]);
    expect(results.filter((r) => r instanceof RateLimitedError)).toHaveLength(58);
    expect(await counters.peek([`client-authentication:source:${source}`], WINDOW, now)).toEqual([2]);
    // The client has used 2 of its 20 failures: ten more sources may fail 18 more times.
    for (let i = 0; i < 18; i++) expect(await limiter.recordFailure({ clientId: client, source: `198.51.100.${i}` })).toBeUndefined();
    expect(await limiter.recordFailure({ clientId: client, source: '198.51.100.99' })).toBeInstanceOf(RateLimitedError);
  });

  it('reads the database at most once a second per bucket, and learns of other processes\' failures within that second', async () => {
    const [here, there] = [worker(1), worker(1)];
    for (let i = 0; i < 50; i++) await here.ensureAllowed({ clientId: client, source });
    expect(peeks).toHaveBeenCalledTimes(1);
    await there.recordFailure({ clientId: client, source });
    now = T0 + 999;
    await here.ensureAllowed({ clientId: client, source });
    now = T0 + 1000;
    await expect(refusal(here.ensureAllowed({ clientId: client, source }))).resolves.toBeInstanceOf(RateLimitedError);
    expect(peeks).toHaveBeenCalledTimes(2);
  });

  it('knows its own failures at once', async () => {
    const limiter = worker(1);
    await limiter.ensureAllowed({ clientId: client, source });
    await limiter.recordFailure({ clientId: client, source });
    await expect(refusal(limiter.ensureAllowed({ source }))).resolves.toBeInstanceOf(RateLimitedError);
    expect(peeks).toHaveBeenCalledTimes(1);
  });

  it('lets a client fail ten times the per-source limit from all sources, then refuses it from any source', async () => {
    const limiter = worker(1);
    for (let i = 0; i < 10; i++) expect(await limiter.recordFailure({ clientId: client, source: `203.0.113.${i}` })).toBeUndefined();
    expect(await limiter.recordFailure({ clientId: client, source: '203.0.113.99' })).toBeInstanceOf(RateLimitedError);
    await expect(refusal(worker(1).ensureAllowed({ clientId: client, source: '198.51.100.200' }))).resolves.toBeInstanceOf(RateLimitedError);
  });

  it('counts client ids of any length and characters (ids are the caller\'s to choose)', async () => {
    const limiter = worker(1);
    for (const id of ['nul\u0000id', 'x'.repeat(10_000), 'ünïcödé 🚀', "quote'\"id"]) {
      for (let i = 0; i < 10; i++) await limiter.recordFailure({ clientId: id });
      await expect(refusal(worker(1).ensureAllowed({ clientId: id }))).resolves.toBeInstanceOf(RateLimitedError);
    }
  });

  it('counts an IPv6 source by its /64, and an IPv4-mapped address as the IPv4 address', async () => {
    const limiter = worker(1);
    await limiter.recordFailure({ source: '2001:db8:1:2::1' });
    await expect(refusal(worker(1).ensureAllowed({ source: '2001:db8:1:2:ffff:ffff:ffff:ffff' }))).resolves.toBeInstanceOf(RateLimitedError);
    await worker(1).ensureAllowed({ source: '2001:db8:1:3::1' });
    await limiter.recordFailure({ source: '::ffff:198.51.100.77' });
    await expect(refusal(worker(1).ensureAllowed({ source: '198.51.100.77' }))).resolves.toBeInstanceOf(RateLimitedError);
  });

  it('with a limit of 0, never refuses and never touches the database', async () => {
    const limiter = worker(0);
    const counts = jest.spyOn(counters, 'count');
    try {
      for (let i = 0; i < 5; i++) expect(await limiter.recordFailure({ clientId: client, source })).toBeUndefined();
      await limiter.reserve({ clientId: client, source });
      await limiter.ensureAllowed({ clientId: client, source });
      expect(counts).not.toHaveBeenCalled();
      expect(peeks).not.toHaveBeenCalled();
    } finally {
      counts.mockRestore();
    }
  });
}

describe('ClientAuthenticationLimiter on SQLite', () => {
  limiterBehaviour(() => openMigratedDataSource('sqlite'));
});

describePg('ClientAuthenticationLimiter on PostgreSQL', () => {
  limiterBehaviour(() => openMigratedDataSource('postgres'));
});
