import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { Dialect, Sql } from '../persistence/sql';
import { SqlDatabase } from '../persistence/sql-database';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { Janitor } from './janitor';
import { TokenRecord } from '../tokens/token.model';
import { TokenStore } from '../tokens/token.store';
import { openStores } from '../stores';

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;
const HOUR = 3600_000;

/** Records every statement the stores send from now on; `done` stops and answers them as the dialect renders them. */
function statementsSent() {
  const all = jest.spyOn(SqlDatabase.prototype, 'all');
  const run = jest.spyOn(SqlDatabase.prototype, 'run');
  return {
    done(dialect: Dialect) {
      const calls = [...all.mock.calls, ...run.mock.calls].map(([statement]) => (statement as Sql).render(dialect));
      all.mockRestore();
      run.mockRestore();
      return calls;
    },
  };
}

async function close(dataSource: DataSource): Promise<void> {
  await dataSource.destroy();
}

function flushing(dialect: 'sqlite' | 'postgres') {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let tokens: TokenStore;
  const now = Date.now();

  beforeAll(async () => {
    ({ dataSource, drop } = await openMigratedDataSource(dialect));
    tokens = openStores(dataSource).tokens;
    await dataSource.query(
      `INSERT INTO "hydrant_client" ("id", "document", "created_at", "updated_at") VALUES ('flush-client', '{}', ${Date.now()}, ${Date.now()})`,
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
    const result = await new Janitor(openStores(dataSource)).flush(new Date(now - HOUR / 2));
    expect(result.tokens).toBe(2);
    const left: Array<{ signature: string }> = await dataSource.query(`SELECT "signature" FROM "hydrant_token" ORDER BY "signature"`);
    expect(left.map((r) => r.signature)).toEqual(['expired-after-cutoff', 'live', 'revoked-after-cutoff']);
  });

  it('deletes the counters of rate-limit windows that ended before the cut-off, and keeps the rest', async () => {
    const limiter = new RateLimiter(openStores(dataSource).rateLimits);
    await limiter.count(['registration:ended'], HOUR, now - 3 * HOUR);
    await limiter.count(['client-authentication:source:ended'], 60_000, now - 2 * HOUR);
    await limiter.count(Array.from({ length: 700 }, (_, i) => `client-authentication:source:old-${i}`), 60_000, now - 2 * HOUR);
    await limiter.count(['client-authentication:source:live'], 60_000, now);
    await limiter.count(['registration:live'], 24 * HOUR, now);
    const result = await new Janitor(openStores(dataSource)).flush(new Date(now - HOUR));
    expect(result.rateLimits).toBe(702);
    const left: Array<{ bucket: string }> = await dataSource.query(`SELECT "bucket" FROM "hydrant_rate_limit" ORDER BY "bucket"`);
    expect(left.map((r) => r.bucket)).toEqual(['client-authentication:source:live', 'registration:live']);
  });

  it('deletes in batches until nothing is left to delete', async () => {
    await tokens.insert(Array.from({ length: 1203 }, (_, i) => token(`old-${String(i).padStart(4, '0')}`, 3 * HOUR, -2 * HOUR, i % 2 === 0)));
    const sent = statementsSent();
    const result = await new Janitor(openStores(dataSource)).flush(new Date(now - HOUR));
    expect(result.tokens).toBe(1203);
    // 500 + 500 + 203 tokens, each batch a select and a delete.
    expect(sent.done(dialect).filter(({ text }) => text.startsWith('DELETE FROM "hydrant_token"'))).toHaveLength(3);
    expect(await dataSource.query(`SELECT "signature" FROM "hydrant_token" WHERE "signature" LIKE 'old-%'`)).toEqual([]);
  });
}

describe('Janitor on SQLite', () => {
  flushing('sqlite');

  it('finds what to delete through indexes, never by reading every row', async () => {
    const { dataSource } = await openMigratedDataSource('sqlite');
    try {
      const sent = statementsSent();
      await new Janitor(openStores(dataSource)).flush();
      const selects = sent.done('sqlite').filter(({ text }) => text.startsWith('SELECT'));
      expect(selects.length).toBeGreaterThanOrEqual(8);
      expect(selects.map(({ text }) => text)).toContainEqual(expect.stringContaining('FROM "hydrant_rate_limit"'));
      for (const { text: sql, params } of selects) {
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
