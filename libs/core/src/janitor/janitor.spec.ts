import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { Dialect, Sql } from '../persistence/sql';
import { SqlDatabase } from '../persistence/sql-database';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { TransactionRunner } from '../persistence/transaction.runner';
import { openJanitor } from './janitor';
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

function janitorOf(dataSource: DataSource) {
  return openJanitor(openStores(dataSource), new TransactionRunner(dataSource));
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
    const result = await janitorOf(dataSource).flush(new Date(now - HOUR / 2));
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
    const result = await janitorOf(dataSource).flush(new Date(now - HOUR));
    expect(result.rateLimits).toBe(702);
    const left: Array<{ bucket: string }> = await dataSource.query(`SELECT "bucket" FROM "hydrant_rate_limit" ORDER BY "bucket"`);
    expect(left.map((r) => r.bucket)).toEqual(['client-authentication:source:live', 'registration:live']);
  });

  it('deletes only the groups asked for, at most `limit` rows of a kind, `batchSize` rows a statement (hydrant janitor)', async () => {
    await tokens.insert(Array.from({ length: 25 }, (_, i) => token(`kinds-${String(i).padStart(2, '0')}`, 3 * HOUR, -2 * HOUR)));
    const limiter = new RateLimiter(openStores(dataSource).rateLimits);
    await limiter.count(['registration:kinds-ended'], HOUR, now - 3 * HOUR);
    const stores = openStores(dataSource);
    const issuer = 'https://kinds.example';
    for (const kid of ['shared', 'alone']) {
      await stores.jwks.insert({ setId: issuer, kid, alg: 'ES256', use: 'sig', publicJwk: { kty: 'EC', kid }, privateJwkJwe: null, createdAt: new Date(now) });
    }
    const trust = (id: string, subject: string, keyId: string, expiresIn: number) =>
      stores.trustedIssuers.insert({ id, issuer, subject, allowAnySubject: false, scopes: [], keyId, createdAt: new Date(now - 3 * HOUR), expiresAt: new Date(now + expiresIn) });
    await trust('trust-expired-shared', 'alice', 'shared', -2 * HOUR);
    await trust('trust-expired-alone', 'alice', 'alone', -2 * HOUR);
    await trust('trust-live', 'bob', 'shared', HOUR);

    const sent = statementsSent();
    const tokensOnly = await janitorOf(dataSource).run({ notAfter: new Date(now - HOUR), kinds: ['tokens'], limit: 20, batchSize: 8 });
    expect(tokensOnly).toMatchObject({ tokens: 20, rateLimits: 0, trustedIssuers: 0 });
    // 8 + 8 + 4 rows: the last batch is cut to what the limit leaves.
    expect(sent.done(dialect).filter(({ text }) => text.startsWith('DELETE FROM "hydrant_token"'))).toHaveLength(3);
    expect(await dataSource.query(`SELECT "signature" FROM "hydrant_token" WHERE "signature" LIKE 'kinds-%'`)).toHaveLength(5);
    expect(await dataSource.query(`SELECT "bucket" FROM "hydrant_rate_limit" WHERE "bucket" = 'registration:kinds-ended'`)).toHaveLength(1);

    const grants = await janitorOf(dataSource).run({ kinds: ['grants'] });
    expect(grants).toMatchObject({ tokens: 0, rateLimits: 0, trustedIssuers: 2 });
    const trusts: Array<{ id: string }> = await dataSource.query(`SELECT "id" FROM "hydrant_trusted_jwt_issuer" ORDER BY "id"`);
    expect(trusts.map((t) => t.id)).toEqual(['trust-live']);
    // A key goes with the last trust that used it, as when a trust is deleted through the API.
    expect((await stores.jwks.findSet(issuer)).map((k) => k.kid)).toEqual(['shared']);

    const requests = await janitorOf(dataSource).run({ notAfter: new Date(now - HOUR), kinds: ['requests'] });
    expect(requests.rateLimits).toBeGreaterThanOrEqual(1);
    expect(requests.tokens).toBe(0);
    await janitorOf(dataSource).run({ notAfter: new Date(now - HOUR), kinds: ['tokens'] });
  });

  it('deletes in batches until nothing is left to delete', async () => {
    await tokens.insert(Array.from({ length: 1203 }, (_, i) => token(`old-${String(i).padStart(4, '0')}`, 3 * HOUR, -2 * HOUR, i % 2 === 0)));
    const sent = statementsSent();
    const result = await janitorOf(dataSource).flush(new Date(now - HOUR));
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
      await janitorOf(dataSource).flush();
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
