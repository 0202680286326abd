import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../../test/support/test-database';
import { TokenRecord } from '../../tokens/token.model';
import { TokenStore } from '../../tokens/token.store';
import { openStores } from '../../stores';

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;
const HOUR = 3600_000;

/** Revoking and retiring a chain: what every dialect must do, alone and when many revocations of one chain run at once. */
function revokingChains(dialect: 'sqlite' | 'postgres') {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let tokens: TokenStore;

  beforeAll(async () => {
    ({ dataSource, drop } = await openMigratedDataSource(dialect));
    tokens = openStores(dataSource).tokens;
    await dataSource.query(
      `INSERT INTO "hydrant_client" ("id", "document", "created_at", "updated_at") VALUES ('chain-client', '{}', ${Date.now()}, ${Date.now()})`,
    );
  });
  afterAll(async () => {
    await dataSource.destroy();
    await drop();
  });

  const chain = (requestId: string, length: number): TokenRecord[] =>
    Array.from({ length }, (_, i) => ({
      signature: `${requestId}-${String(i).padStart(2, '0')}`,
      kind: i % 2 === 0 ? 'refresh_token' : 'access_token',
      requestId,
      clientId: 'chain-client',
      subject: 'alice',
      scopes: ['offline_access'],
      audience: [],
      issuedAt: new Date(),
      expiresAt: new Date(Date.now() + HOUR),
      active: true,
      ext: {},
    }));

  const states = async (requestId: string) =>
    (await dataSource.query(`SELECT "active", "used_at" FROM "hydrant_token" WHERE "request_id" = '${requestId}'`)) as Array<{ active: unknown; used_at: unknown }>;

  it('marks every token of the named chains inactive and ends their grace period; other chains keep theirs', async () => {
    await tokens.insert([...chain('one', 4), ...chain('two', 2), ...chain('kept', 2)]);
    expect(await tokens.rotate('one-00', new Date())).toBe(true);
    await tokens.deactivateRequests(['one', 'two']);
    expect((await states('one')).map((r) => [Boolean(r.active), r.used_at])).toEqual(Array(4).fill([false, null]));
    expect((await states('two')).map((r) => [Boolean(r.active), r.used_at])).toEqual(Array(2).fill([false, null]));
    expect((await states('kept')).map((r) => Boolean(r.active))).toEqual([true, true]);
  });

  const lifetimes = async (requestId: string) =>
    ((await dataSource.query(`SELECT "active", "expires_at", "used_at" FROM "hydrant_token" WHERE "request_id" = '${requestId}' ORDER BY "signature"`)) as Array<{
      active: unknown;
      expires_at: unknown;
      used_at: unknown;
    }>).map((r) => ({ active: Boolean(r.active), expiresAt: Number(r.expires_at), used: r.used_at !== null }));

  it('retires a chain at once as a refresh does, keeping the time its refresh token was used; other chains keep theirs', async () => {
    await tokens.insert([...chain('retired', 4), ...chain('untouched', 2)]);
    expect(await tokens.rotate('retired-00', new Date())).toBe(true);
    await tokens.retireRequest('retired', null);
    expect((await lifetimes('retired')).map((r) => [r.active, r.used])).toEqual([[false, true], [false, false], [false, false], [false, false]]);
    expect((await lifetimes('untouched')).map((r) => r.active)).toEqual([true, true]);
  });

  it('retires a chain at the end of a grace period: lifetimes are cut to it, never lengthened, and the tokens stay active', async () => {
    const tokensOf = chain('graced', 3);
    tokensOf[2].expiresAt = new Date(Date.now() + 1000);
    const other = chain('other', 1);
    await tokens.insert([...tokensOf, ...other]);
    const until = new Date(Date.now() + 60_000);
    await tokens.retireRequest('graced', until);
    expect(await lifetimes('graced')).toEqual([
      { active: true, expiresAt: until.getTime(), used: false },
      { active: true, expiresAt: until.getTime(), used: false },
      { active: true, expiresAt: tokensOf[2].expiresAt.getTime(), used: false },
    ]);
    expect((await lifetimes('other'))[0].expiresAt).toBe(other[0].expiresAt.getTime());
  });

  it('twenty revocations of one chain at once all succeed, round after round (the losers of a refresh race)', async () => {
    for (let round = 0; round < 15; round++) {
      const id = `race-${round}`;
      await tokens.insert(chain(id, 12));
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => tokens.deactivateRequest(id)));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as Error).message);
      expect({ round, failed }).toEqual({ round, failed: [] });
      expect((await states(id)).every((r) => !r.active)).toBe(true);
    }
  });
}

describe('TokenStore revocation on SQLite', () => {
  revokingChains('sqlite');
});

describePg('TokenStore revocation on PostgreSQL', () => {
  revokingChains('postgres');
});
