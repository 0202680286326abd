import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { finalizeSqliteStatements } from '../persistence/sqlite-statements';
import { TransactionRunner } from '../persistence/transaction.runner';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { Janitor } from './janitor';
import { TokenRecord } from '../tokens/token.model';
import { TokenRepository } from '../tokens/token.repository';

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;
const HOUR = 3600_000;

async function close(dataSource: DataSource): Promise<void> {
  await finalizeSqliteStatements(dataSource);
  await dataSource.destroy();
}

function flushing(dialect: 'sqlite' | 'postgres') {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let tokens: TokenRepository;
  const now = Date.now();

  beforeAll(async () => {
    ({ dataSource, drop } = await openMigratedDataSource(dialect));
    tokens = new TokenRepository(dataSource);
    await dataSource.query(
      `INSERT INTO "hydrant_client" ("id", "document", "created_at", "updated_at") VALUES ('flush-client', '{}', ${dialect === 'postgres' ? 'now(), now()' : "datetime('now'), datetime('now')"})`,
    );
  });
  afterAll(async () => {
    await close(dataSource);
    await drop();
  });

  const token = (signature: string, issuedAgo: number, expiresIn: number, active = true): TokenRecord => ({
    signature,
    kind: 'access_token',
    requestId: signature,
    clientId: 'flush-client',
    subject: 'alice',
    scopes: [],
    audience: [],
    issuedAt: new Date(now - issuedAgo),
    expiresAt: new Date(now + expiresIn),
    active,
    ext: {},
  });

  it('deletes tokens that expired or were revoked before the cut-off, and keeps the rest', async () => {
    await tokens.insert([
      token('live', HOUR, HOUR),
      token('expired', 2 * HOUR, -HOUR),
      token('expired-after-cutoff', 2 * HOUR, -HOUR / 4),
      token('revoked', 2 * HOUR, HOUR, false),
      token('revoked-after-cutoff', HOUR / 4, HOUR, false),
    ]);
    const result = await Janitor.forDataSource(dataSource).flush(new Date(now - HOUR / 2));
    expect(result.tokens).toBe(2);
    const left: Array<{ signature: string }> = await dataSource.query(`SELECT "signature" FROM "hydrant_token" ORDER BY "signature"`);
    expect(left.map((r) => r.signature)).toEqual(['expired-after-cutoff', 'live', 'revoked-after-cutoff']);
  });

  it('deletes the counters of rate-limit windows that ended before the cut-off, and keeps the rest', async () => {
    const limiter = new RateLimiter(dataSource, new TransactionRunner(dataSource));
    await limiter.count(['registration:ended'], HOUR, now - 3 * HOUR);
    await limiter.count(['client-authentication:source:ended'], 60_000, now - 2 * HOUR);
    await limiter.count(Array.from({ length: 700 }, (_, i) => `client-authentication:source:old-${i}`), 60_000, now - 2 * HOUR);
    await limiter.count(['client-authentication:source:live'], 60_000, now);
    await limiter.count(['registration:live'], 24 * HOUR, now);
    const result = await Janitor.forDataSource(dataSource).flush(new Date(now - HOUR));
    expect(result.rateLimits).toBe(702);
    const left: Array<{ bucket: string }> = await dataSource.query(`SELECT "bucket" FROM "hydrant_rate_limit" ORDER BY "bucket"`);
    expect(left.map((r) => r.bucket)).toEqual(['client-authentication:source:live', 'registration:live']);
  });

  it('deletes in batches until nothing is left to delete', async () => {
    await tokens.insert(Array.from({ length: 1203 }, (_, i) => token(`old-${String(i).padStart(4, '0')}`, 3 * HOUR, -2 * HOUR, i % 2 === 0)));
    const select = jest.spyOn(dataSource, 'query');
    const result = await Janitor.forDataSource(dataSource).flush(new Date(now - HOUR));
    expect(result.tokens).toBe(1203);
    // 500 + 500 + 203 tokens, each batch a select and a delete.
    expect(select.mock.calls.filter(([sql]) => sql.startsWith('DELETE FROM "hydrant_token"'))).toHaveLength(3);
    select.mockRestore();
    expect(await dataSource.query(`SELECT "signature" FROM "hydrant_token" WHERE "signature" LIKE 'old-%'`)).toEqual([]);
  });
}

describe('Janitor on SQLite', () => {
  flushing('sqlite');

  it('finds what to delete through indexes, never by reading every row', async () => {
    const { dataSource } = await openMigratedDataSource('sqlite');
    try {
      const query = jest.spyOn(dataSource, 'query');
      await Janitor.forDataSource(dataSource).flush();
      const selects = query.mock.calls.filter(([sql]) => sql.startsWith('SELECT'));
      query.mockRestore();
      expect(selects.length).toBeGreaterThanOrEqual(8);
      expect(selects.map(([sql]) => sql)).toContainEqual(expect.stringContaining('FROM "hydrant_rate_limit"'));
      for (const [sql, params] of selects) {
        const plan: Array<{ detail: string }> = await dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, params);
        const steps = plan.map((p) => p.detail);
        expect({ sql, steps }).toEqual({ sql, steps: expect.not.arrayContaining([expect.stringMatching(/^SCAN /)]) });
      }
    } finally {
      await close(dataSource);
    }
  });
});

describePg('Janitor on PostgreSQL', () => {
  flushing('postgres');
});
