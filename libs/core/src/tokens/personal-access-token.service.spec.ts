import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { HydrantConfig } from '../config/hydrant.config';
import { finalizeSqliteStatements } from '../persistence/sqlite-statements';
import { JwtAccessTokenCodec } from './jwt-access-token';
import { OpaqueTokenCodec } from './opaque-token.codec';
import { PersonalAccessTokenStore } from './personal-access-token.store';
import { PersonalAccessTokenService } from './personal-access-token.service';
import { openJanitor } from '../janitor/janitor';
import { TransactionRunner } from '../persistence/transaction.runner';
import { TokenResolver } from './token.resolver';
import { openStores } from '../stores';

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;
const DAY = 24 * 3600_000;

function personalAccessTokens(dialect: 'sqlite' | 'postgres') {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let pats: PersonalAccessTokenStore;
  let service: PersonalAccessTokenService;
  let resolver: TokenResolver;
  const codec = new OpaqueTokenCodec(['pat-spec-system-secret-0123456789']);

  beforeAll(async () => {
    ({ dataSource, drop } = await openMigratedDataSource(dialect));
    pats = openStores(dataSource).pats;
    service = new PersonalAccessTokenService(pats, codec, { ttlPersonalAccessToken: 30 * DAY } as HydrantConfig);
    // Only opaque tokens reach the database in these specs; a JWT never verifies.
    const noJwts = { verify: async () => null } as unknown as JwtAccessTokenCodec;
    resolver = new TokenResolver(codec, noJwts, openStores(dataSource).tokens, pats);
  });
  afterAll(async () => {
    await finalizeSqliteStatements(dataSource);
    await dataSource.destroy();
    await drop();
  });

  it('issues a hy_pat_ token once and keeps only its signature', async () => {
    const issued = await service.issue({ subject: 'alice', name: 'ci', scope: ['repo', 'read:org', 'repo'] });
    expect(issued).toMatchObject({ subject: 'alice', name: 'ci', scope: 'repo read:org' });
    const token = issued.token as string;
    expect(token).toMatch(/^hy_pat_/);
    const rows: Array<Record<string, unknown>> = await dataSource.query(`SELECT * FROM "hydrant_personal_access_token" WHERE "id" = '${issued.id}'`);
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token.slice(7, 40));
    expect(Date.parse(issued.expires_at as string) - Date.parse(issued.created_at as string)).toBe(30 * DAY);
  });

  it('resolves as a bearer token of its subject until it is deleted', async () => {
    const issued = await service.issue({ subject: 'bob', scope: 'read' });
    const record = await resolver.resolve(issued.token as string);
    expect(record).toMatchObject({ kind: 'personal_access_token', subject: 'bob', clientId: '', scopes: ['read'], active: true });
    await service.delete(issued.id as string);
    expect(await resolver.resolve(issued.token as string)).toBeNull();
    await expect(service.delete(issued.id as string)).rejects.toMatchObject({ error: 'not_found', statusCode: 404 });
  });

  it('never resolves a token whose HMAC does not verify', async () => {
    const token = (await service.issue({ subject: 'carol' })).token as string;
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await resolver.resolve(forged)).toBeNull();
    expect(await resolver.resolve(token.replace('hy_pat_', 'hy_at_'))).toBeNull();
  });

  it('lists a subject\'s tokens, newest first, never with the token', async () => {
    const first = await service.issue({ subject: 'dave', name: 'one' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await service.issue({ subject: 'dave', name: 'two' });
    const listed = await service.list('dave');
    expect(listed.map((p) => p.id)).toEqual([second.id, first.id]);
    expect(listed.every((p) => !('token' in p))).toBe(true);
    await expect(service.list(undefined)).rejects.toMatchObject({ error: 'invalid_request' });
  });

  it('takes expires_at as RFC 3339 or epoch seconds, in the future only', async () => {
    const inAnHour = new Date(Date.now() + 3600_000);
    expect((await service.issue({ subject: 'erin', expires_at: inAnHour.toISOString() })).expires_at).toBe(inAnHour.toISOString());
    const seconds = Math.floor(inAnHour.getTime() / 1000);
    expect((await service.issue({ subject: 'erin', expires_at: seconds })).expires_at).toBe(new Date(seconds * 1000).toISOString());
    for (const bad of [new Date(Date.now() - 1000).toISOString(), 'tomorrow', '99999-01-01T00:00:00Z', 1e15, {}, true]) {
      await expect(service.issue({ subject: 'erin', expires_at: bad })).rejects.toMatchObject({ error: 'invalid_request', statusCode: 400 });
    }
    await expect(service.issue({ subject: 'erin', scope: 'has"quote' })).rejects.toMatchObject({ error: 'invalid_request' });
    await expect(service.issue({ subject: 'erin', scope: 42 })).rejects.toMatchObject({ error: 'invalid_request' });
  });

  it('is deleted by the flush once it expired, and not before', async () => {
    const now = Date.now();
    const expired = codec.mint('personal_access_token', now - 2 * DAY);
    const live = codec.mint('personal_access_token', now);
    await pats.insert({ id: 'expired-pat', signature: expired.signature, subject: 'frank', name: '', scopes: [], createdAt: new Date(now - 2 * DAY), expiresAt: new Date(now - DAY) });
    await pats.insert({ id: 'live-pat', signature: live.signature, subject: 'frank', name: '', scopes: [], createdAt: new Date(now), expiresAt: new Date(now + DAY) });
    const result = await openJanitor(openStores(dataSource), new TransactionRunner(dataSource)).flush();
    expect(result.personalAccessTokens).toBeGreaterThanOrEqual(1);
    expect((await pats.findBySubject('frank')).map((p) => p.id)).toEqual(['live-pat']);
    expect(await resolver.resolve(expired.token)).toBeNull();
  });
}

describe('personal access tokens on SQLite', () => {
  personalAccessTokens('sqlite');
});

describePg('personal access tokens on PostgreSQL', () => {
  personalAccessTokens('postgres');
});
