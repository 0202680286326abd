/**
 * The BUILT command line (`node bin/hydrant.js …`, child processes) for keys, tokens and the database:
 * `create|get|delete|import jwk` (JWK JSON, JWK Set, PEM and DER files made with node:crypto), `introspect
 * token`, `revoke token`, `delete access-tokens`, `janitor` with each flag and its validation (the rows it
 * keeps and deletes checked in the database), and `migrate sql up|status` on a fresh SQLite file (and a
 * fresh PostgreSQL database under TEST_DSN=postgres). The server is a Hydrant listening in this process on
 * the suite's database (an SQLite file, so that the janitor's child process can open it).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createDataSource } from '../libs/core/src/persistence/data-source.factory';
import { CliResult, expectFailure, killCliChildren, ok, okJson, removeTempDirs, requireBuiltCli, runCli, tempDir } from './support/cli-run';
import { createPostgresDatabase } from './support/test-database';
import { baseUrl, startTestServer, TEST_DIALECT, TestServer } from './support/test-runtime';

// Generous: every CLI run starts a Node process, which takes seconds on a loaded two-CPU machine.
jest.setTimeout(120_000);

const HOUR = 3_600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
type Jwk = Record<string, string>;

let server: TestServer;
let [adminUrl, publicUrl, dsn] = ['', '', ''];

const admin = (args: string[], input?: string): Promise<CliResult> => runCli([...args, '-e', adminUrl], { input });
function file(name: string, content: string | Buffer): string {
  const target = path.join(tempDir(), name);
  writeFileSync(target, content);
  return target;
}

/** A query on the server's database, `?` placeholders on both dialects. */
async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
  let n = 0;
  return server.runtime.dataSource.query(TEST_DIALECT === 'postgres' ? text.replace(/\?/g, () => `$${++n}`) : text, params) as Promise<T[]>;
}

async function keySet(set: string): Promise<{ status: number; keys: Jwk[] }> {
  const res = await fetch(`${adminUrl}/admin/keys/${set}`);
  return { status: res.status, keys: res.ok ? ((await res.json()) as { keys: Jwk[] }).keys : [] };
}

async function newClient(id = `c-${randomUUID()}`): Promise<{ id: string; secret: string }> {
  const res = await fetch(`${adminUrl}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_id: id, grant_types: ['client_credentials'], scope: 'read write' }) });
  expect(res.status).toBe(201);
  return { id, secret: ((await res.json()) as { client_secret: string }).client_secret };
}

async function token(client: { id: string; secret: string }, scope = 'read'): Promise<string> {
  const authorization = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
  const res = await fetch(`${publicUrl}/oauth2/token`, { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=client_credentials&scope=${scope}` });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function introspect(value: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${adminUrl}/admin/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: value }) });
  return (await res.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  requireBuiltCli();
  server = await startTestServer(TEST_DIALECT === 'sqlite' ? { DSN: `sqlite://${path.join(tempDir(), 'server.sqlite')}` } : {}, { listen: true });
  adminUrl = await baseUrl(server.adminApp);
  publicUrl = await baseUrl(server.publicApp);
  dsn = server.runtime.config.dsn;
});
afterEach(() => killCliChildren());
afterAll(async () => {
  await killCliChildren();
  await server?.close();
  removeTempDirs();
});

describe('jwk', () => {
  it('create jwk SET [KID] --alg --use adds a key to the set and prints it (--public without private members)', async () => {
    const created = okJson<{ keys: Jwk[] }>(await admin(['create', 'jwk', 'cli-set', 'k1', '--alg', 'ES256', '--use', 'enc', '--format', 'json']));
    expect(created.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', kid: 'k1', alg: 'ES256', use: 'enc', d: expect.any(String) })]);
    const generated = okJson<{ keys: Jwk[] }>(await admin(['create', 'jwks', 'cli-set', '--public', '--format', 'json']));
    expect(generated.keys).toEqual([expect.objectContaining({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.stringMatching(UUID) })]);
    expect(generated.keys[0].d).toBeUndefined();
    const stored = await keySet('cli-set');
    expect(stored.keys.map((k) => k.kid).sort()).toEqual(['k1', generated.keys[0].kid].sort());
    expect(stored.keys.find((k) => k.kid === 'k1')).toEqual(expect.objectContaining({ x: created.keys[0].x, y: created.keys[0].y }));

    const table = ok(await admin(['create', 'jwk', 'cli-set-2', 'ed', '--alg', 'EdDSA'])).trimEnd().split('\n').map((l) => l.split('\t').map((c) => c.trim()));
    expect(table).toEqual([['SET ID', 'KEY ID', 'ALGORITHM', 'USE'], ['cli-set-2', 'ed', 'EdDSA', 'sig']]);
    expectFailure(await admin(['create', 'jwk', 'cli-set-3', '--alg', 'HS1024']), /POST \/admin\/keys\/cli-set-3: the server answered 400 .*alg/);
    expectFailure(await admin(['create', 'jwk']), /missing required argument 'set'/);
    expect((await keySet('cli-set-3')).status).toBe(404);
  });

  it('get jwk SET… prints the keys of every set as one key set; --public leaves out private members', async () => {
    const both = okJson<{ keys: Jwk[] }>(await admin(['get', 'jwk', 'cli-set', 'cli-set-2', '--format', 'json']));
    expect(both.keys).toEqual([...(await keySet('cli-set')).keys, ...(await keySet('cli-set-2')).keys]);
    expect(both.keys.every((k) => typeof k.d === 'string')).toBe(true);
    const pub = okJson<{ keys: Jwk[] }>(await admin(['get', 'jwks', 'cli-set', 'cli-set-2', '--public', '--format', 'json-pretty']));
    expect(pub.keys.map((k) => k.kid)).toEqual(both.keys.map((k) => k.kid));
    for (const key of pub.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key[member]).toBeUndefined();
    expect(ok(await admin(['get', 'jwk', 'cli-set-2']))).toMatch(/^SET ID\s+KEY ID\s+ALGORITHM\s+USE\ncli-set-2\s+ed\s+EdDSA\s+sig\n$/);
    expectFailure(await admin(['get', 'jwk', 'cli-set', 'no-such-set']), /GET \/admin\/keys\/no-such-set: the server answered 404/);
    expectFailure(await admin(['get', 'jwk']), /missing required argument 'set'/);
  });

  it('delete jwk SET… deletes whole sets; an unknown set fails', async () => {
    await admin(['create', 'jwk', 'doomed-1', '--alg', 'ES256']);
    await admin(['create', 'jwk', 'doomed-2', '--alg', 'ES256']);
    expect(okJson(await admin(['delete', 'jwk', 'doomed-1', 'doomed-2', '--format', 'json']))).toEqual(['doomed-1', 'doomed-2']);
    expect((await keySet('doomed-1')).status).toBe(404);
    expect((await keySet('doomed-2')).status).toBe(404);
    expect(okJson(await admin(['delete', 'jwks', 'cli-set-2', '--format', 'json']))).toBe('cli-set-2');
    expectFailure(await admin(['delete', 'jwk', 'doomed-1']), /DELETE \/admin\/keys\/doomed-1: the server answered 404/);
    expectFailure(await admin(['delete', 'jwk']), /missing required argument 'set'/);
  });

  it('import jwk SET FILE… takes PEM, DER, JWK and JWK Set files (and stdin); a key without kid gets a UUID', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const files = [
      file('rsa.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' })),
      file('ec.der', ec.privateKey.export({ type: 'pkcs8', format: 'der' })),
      file('ed.json', JSON.stringify({ ...ed.privateKey.export({ format: 'jwk' }), kid: 'ed-kid' })),
      file('set.json', JSON.stringify({ keys: [{ ...ec384.publicKey.export({ format: 'jwk' }), kid: 'p384' }] })),
    ];
    const printed = okJson<{ keys: Jwk[] }>(await admin(['import', 'jwk', 'imported', ...files, '--format', 'json']));
    const stored = (await keySet('imported')).keys;
    expect(stored).toHaveLength(4);
    const byN = stored.find((k) => k.n === (rsa.publicKey.export({ format: 'jwk' }) as Jwk).n)!;
    expect(byN).toEqual(expect.objectContaining({ alg: 'RS256', use: 'sig', kid: expect.stringMatching(UUID), d: expect.any(String) }));
    const byX = stored.find((k) => k.x === (ec.publicKey.export({ format: 'jwk' }) as Jwk).x)!;
    expect(byX).toEqual(expect.objectContaining({ alg: 'ES256', kid: expect.stringMatching(UUID), d: expect.any(String) }));
    expect(stored.find((k) => k.kid === 'ed-kid')).toEqual(expect.objectContaining({ alg: 'EdDSA', x: (ed.publicKey.export({ format: 'jwk' }) as Jwk).x }));
    expect(stored.find((k) => k.kid === 'p384')).toEqual(expect.objectContaining({ alg: 'ES384', crv: 'P-384' }));
    expect(printed.keys.map((k) => k.kid).sort()).toEqual(stored.map((k) => k.kid).sort());

    // Public keys (SPKI DER, PEM), --alg and --use for keys naming none, stdin, the table.
    const spki = file('rsa-pub.der', rsa.publicKey.export({ type: 'spki', format: 'der' }));
    const out = ok(await admin(['import', 'jwk', 'public-set', spki, '--alg', 'PS256', '--use', 'enc']));
    expect(out).toMatch(/^SET ID\s+KEY ID\s+ALGORITHM\s+USE\npublic-set\s+[0-9a-f-]{36}\s+PS256\s+enc\n$/);
    ok(await admin(['import', 'jwk', 'public-set', '-', '-q'], ec.publicKey.export({ type: 'spki', format: 'pem' }) as string));
    const pub = (await keySet('public-set')).keys;
    expect(pub.map((k) => [k.kty, k.alg, k.use, k.d]).sort()).toEqual([['EC', 'ES256', 'sig', undefined], ['RSA', 'PS256', 'enc', undefined]]);
  });

  it('import jwk refuses a bad file with one line, before storing any key', async () => {
    const good = file('good.pem', generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    // Each bad file comes after a good one: every file is read before the first key is sent.
    const cases: Array<[string[], RegExp]> = [
      [[good, file('text.txt', 'hello')], /text\.txt: neither a JSON Web Key, a PEM key nor a DER key/],
      [[good, path.join(tempDir(), 'missing.pem')], /cannot read .*missing\.pem: ENOENT/],
      [[good, file('cut.json', '{"kty": "EC", ')], /cut\.json is not JSON/],
      [[good, file('nokty.json', '{"kid": "x"}')], /nokty\.json: not a JSON Web Key or Key Set/],
      [[good, file('oct.json', '{"kty": "oct", "k": "c2VjcmV0"}')], /oct\.json: cannot tell the key's algorithm; pass --alg/],
      [[good, file('bad.pem', '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n')], /bad\.pem: not a PEM key this command can read/],
      [[file('badec.json', '{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "kid": "bad"}')], /PUT \/admin\/keys\/never\/bad: the server answered 400/],
    ];
    for (const [files, reason] of cases) expectFailure(await admin(['import', 'jwk', 'never', ...files]), reason);
    expectFailure(await admin(['import', 'jwk', 'never']), /missing required argument 'file'/);
    expectFailure(await admin(['import', 'jwk', 'never', good, '--bogus']), /unknown option '--bogus'/);
    expect((await keySet('never')).status).toBe(404);
  });
});

describe('tokens', () => {
  it('introspect token TOKEN [--scope] prints what the admin API answers', async () => {
    const client = await newClient();
    const access = await token(client);
    const doc = okJson(await admin(['introspect', 'token', access, '--format', 'json']));
    expect(doc).toEqual(await introspect(access));
    expect(doc).toEqual(expect.objectContaining({ active: true, client_id: client.id, scope: 'read', token_use: 'access_token' }));
    const table = ok(await admin(['introspect', 'token', access]));
    expect(table).toMatch(new RegExp(`^ACTIVE\\s+true\\nSUBJECT\\s+\\S+\\nCLIENT ID\\s+${client.id}\\nSCOPE\\s+read\\nEXPIRY\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z\\nTOKEN USE\\s+access_token\\n$`));
    expect(ok(await admin(['introspect', 'token', access, '-q']))).toBe('true\n');
    expect(okJson(await admin(['introspect', 'token', access, '--scope', 'read', '--format', 'json']))).toEqual(expect.objectContaining({ active: true }));
    expect(okJson(await admin(['introspect', 'token', access, '--scope', 'read,write', '--format', 'json']))).toEqual({ active: false });
    expect(okJson(await admin(['introspect', 'token', 'not-a-token', '--format', 'json']))).toEqual({ active: false });
    expectFailure(await admin(['introspect', 'token']), /missing required argument 'token'/);
  });

  it('revoke token TOKEN --client-id --client-secret (or OAUTH2_CLIENT_ID/SECRET) revokes on the public API', async () => {
    const client = await newClient();
    const [first, second] = [await token(client), await token(client)];
    expect(okJson(await runCli(['revoke', 'token', first, '-e', publicUrl, '--client-id', client.id, '--client-secret', client.secret, '--format', 'json']))).toEqual({ token: first });
    expect((await introspect(first)).active).toBe(false);
    expect((await introspect(second)).active).toBe(true);

    const wrong = await runCli(['revoke', 'token', second, '-e', publicUrl, '--client-id', client.id, '--client-secret', 'wrong']);
    expectFailure(wrong, /POST \/oauth2\/revoke: the server answered 401 invalid_client/);
    expectFailure(await runCli(['revoke', 'token', second, '-e', publicUrl]), /--client-id and --client-secret, or the environment variables OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET/);
    expectFailure(await runCli(['revoke', 'token', '-e', publicUrl, '--client-id', client.id, '--client-secret', client.secret]), /missing required argument 'token'/);
    expect((await introspect(second)).active).toBe(true);

    const env = { OAUTH2_CLIENT_ID: client.id, OAUTH2_CLIENT_SECRET: client.secret };
    expect(ok(await runCli(['revoke', 'token', second, '-e', publicUrl], { env }))).toMatch(/^REVOKED TOKEN\s+\S+\n$/);
    expect((await introspect(second)).active).toBe(false);
  });

  it("delete access-tokens CLIENT_ID deletes that client's tokens only", async () => {
    const [a, b] = [await newClient(), await newClient()];
    const tokensOfA = [await token(a), await token(a, 'write')];
    const ofB = await token(b);
    expect(okJson(await admin(['delete', 'access-tokens', a.id, '--format', 'json']))).toBe(a.id);
    for (const t of tokensOfA) expect((await introspect(t)).active).toBe(false);
    expect((await introspect(ofB)).active).toBe(true);
    expect(await sql('SELECT "signature" FROM "hydrant_token" WHERE "client_id" = ?', [a.id])).toEqual([]);
    expect(ok(await admin(['delete', 'access-tokens', b.id]))).toMatch(new RegExp(`^CLIENT ID\\s+${b.id}\\n$`));
    expect((await introspect(ofB)).active).toBe(false);
    expectFailure(await admin(['delete', 'access-tokens']), /missing required argument 'client-id'/);
  });
});

describe('janitor', () => {
  let now: number;
  const trustKey = () => ({ ...(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as Jwk), kid: randomUUID(), alg: 'ES256', use: 'sig' });

  /** The seeded rows left, by kind, as their ages. */
  async function left(): Promise<Record<string, string[]>> {
    const tags = async (query: string) => (await sql<{ tag: string }>(query)).map((r) => r.tag.replace(/^.*jan-/, '').replace(/\.example$/, '')).sort();
    return {
      tokens: await tags(`SELECT "client_id" AS "tag" FROM "hydrant_token" WHERE "client_id" LIKE 'jan-%'`),
      jtis: await tags(`SELECT "signature" AS "tag" FROM "hydrant_client_assertion_jti" WHERE "signature" IN ('jan-old', 'jan-young', 'jan-live')`),
      sessions: await tags(`SELECT "id" AS "tag" FROM "hydrant_login_session" WHERE "id" LIKE 'jan-%'`),
      windows: await tags(`SELECT "bucket" AS "tag" FROM "hydrant_rate_limit" WHERE "bucket" LIKE 'jan-%'`),
      trusts: await tags(`SELECT "issuer" AS "tag" FROM "hydrant_trusted_jwt_issuer" WHERE "issuer" LIKE 'https://jan-%'`),
    };
  }
  const expiredJtis = async () => Number((await sql<{ n: unknown }>('SELECT COUNT(*) AS "n" FROM "hydrant_client_assertion_jti" WHERE "expires_at" < ?', [Date.now()]))[0].n);
  const janitor = async (args: string[], env?: Record<string, string>) => {
    const stdout = ok(await runCli(['janitor', ...args], { env }));
    expect(stdout.split('\n')).toHaveLength(2); // one line
    return JSON.parse(stdout) as { deleted: Record<string, number>; not_after: string };
  };

  beforeAll(async () => {
    now = Date.now();
    for (const [age, at] of Object.entries({ old: now - 2 * HOUR, young: now - 10 * 60_000, live: now + HOUR })) {
      const client = await newClient(`jan-${age}`);
      await token(client);
      if (age !== 'live') await sql('UPDATE "hydrant_token" SET "expires_at" = ? WHERE "client_id" = ?', [at, client.id]);
      await sql('INSERT INTO "hydrant_client_assertion_jti" ("signature", "expires_at") VALUES (?, ?)', [`jan-${age}`, at]);
      await sql('INSERT INTO "hydrant_login_session" ("id", "subject", "authenticated_at", "expires_at") VALUES (?, ?, ?, ?)', [`jan-${age}`, 'jan', now - 3 * HOUR, at]);
      await sql('INSERT INTO "hydrant_rate_limit" ("bucket", "window_start", "hits", "window_end") VALUES (?, ?, ?, ?)', [`jan-${age}`, at - HOUR, 1, at]);
      if (age === 'live') continue;
      const res = await fetch(`${adminUrl}/admin/trust/grants/jwt-bearer/issuers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ issuer: `https://jan-${age}.example`, allow_any_subject: true, scope: ['read'], jwk: trustKey(), expires_at: '2099-01-01T00:00:00Z' }),
      });
      expect(res.status).toBe(201);
      await sql('UPDATE "hydrant_trusted_jwt_issuer" SET "expires_at" = ? WHERE "issuer" = ?', [at, `https://jan-${age}.example`]);
    }
  });

  it('--tokens --keep-if-younger 1h deletes only tokens unusable for over an hour; requests and grants stay', async () => {
    const { deleted, not_after } = await janitor([dsn, '--tokens', '--keep-if-younger', '1h']);
    expect(deleted).toEqual({ tokens: 1, codes: 0, assertions: 1, personalAccessTokens: 0, flows: 0, loginSessions: 0, logoutRequests: 0, deviceRequests: 0, rateLimits: 0, trustedIssuers: 0 });
    expect(Date.parse(not_after)).toBeLessThan(Date.now() - HOUR + 60_000);
    expect(Date.parse(not_after)).toBeGreaterThan(Date.now() - HOUR - 5 * 60_000);
    expect(await left()).toEqual({ tokens: ['live', 'young'], jtis: ['live', 'young'], sessions: ['live', 'old', 'young'], windows: ['live', 'old', 'young'], trusts: ['old', 'young'] });
  });

  it('-e --requests (DSN from the environment) deletes ended sessions and windows; tokens and grants stay', async () => {
    const { deleted } = await janitor(['-e', '--requests'], { DSN: dsn });
    expect(deleted).toEqual(expect.objectContaining({ tokens: 0, assertions: 0, loginSessions: 2, trustedIssuers: 0 }));
    expect(deleted.rateLimits).toBeGreaterThanOrEqual(2);
    expect(await left()).toEqual({ tokens: ['live', 'young'], jtis: ['live', 'young'], sessions: ['live'], windows: ['live'], trusts: ['old', 'young'] });
  });

  it('-c FILE --grants deletes expired trust relationships, keeping the young ones with --keep-if-younger', async () => {
    const config = file('janitor.yaml', `dsn: ${JSON.stringify(dsn)}\n`);
    expect((await janitor(['-c', config, '--grants', '--keep-if-younger', '30m'])).deleted).toEqual(expect.objectContaining({ trustedIssuers: 1, tokens: 0, loginSessions: 0 }));
    expect((await left()).trusts).toEqual(['young']);
    expect((await janitor([dsn, '--grants'])).deleted.trustedIssuers).toBe(1);
    expect(await left()).toEqual({ tokens: ['live', 'young'], jtis: ['live', 'young'], sessions: ['live'], windows: ['live'], trusts: [] });
  });

  it('--batch-size and --limit bound what is deleted; the defaults are 100 and 10000', async () => {
    for (let i = 0; i < 7; i++) await sql('INSERT INTO "hydrant_client_assertion_jti" ("signature", "expires_at") VALUES (?, ?)', [`lim-${i}`, now - HOUR]);
    const before = await expiredJtis();
    expect((await janitor([dsn, '--tokens', '--batch-size', '2', '--limit', '5'])).deleted.assertions).toBe(5);
    expect(await expiredJtis()).toBe(before - 5);
    expectFailure(await runCli(['janitor', dsn, '--tokens', '--limit', '99']), /--batch-size must not be greater than the value for --limit/); // the default batch size is 100

    const bulk = TEST_DIALECT === 'postgres'
      ? `INSERT INTO "hydrant_client_assertion_jti" ("signature", "expires_at") SELECT 'bulk-' || i, ${now - HOUR} FROM generate_series(1, 10001) AS i`
      : `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001) INSERT INTO "hydrant_client_assertion_jti" ("signature", "expires_at") SELECT 'bulk-' || i, ${now - HOUR} FROM n`;
    await sql(bulk);
    const many = await expiredJtis();
    expect((await janitor([dsn, '--tokens'])).deleted.assertions).toBe(10_000);
    expect(await expiredJtis()).toBe(many - 10_000);
    expect((await janitor([dsn, '--tokens', '--limit', '100'])).deleted.assertions).toBe(many - 10_000);
    expect(await expiredJtis()).toBe(0);
  });

  it('refuses bad flags with one line, before touching the database', async () => {
    await sql('INSERT INTO "hydrant_client_assertion_jti" ("signature", "expires_at") VALUES (?, ?)', ['val-expired', now - HOUR]);
    const before = await left();
    const cases: Array<[string[], RegExp]> = [
      [['--tokens'], /a DSN is required as an argument unless -e\/--read-from-env or -c\/--config is given/],
      [[dsn], /janitor requires at least one of --tokens, --requests or --grants/],
      [[dsn, '--tokens', '--batch-size', '0'], /values for --limit and --batch-size should both be greater than 0/],
      [[dsn, '--tokens', '--limit', '-5'], /values for --limit and --batch-size should both be greater than 0/],
      [[dsn, '--tokens', '--batch-size', '200', '--limit', '100'], /--batch-size must not be greater than the value for --limit/],
      [[dsn, '--tokens', '--batch-size', '1.5'], /--batch-size.*must be a whole number/],
      [[dsn, '--tokens', '--keep-if-younger', 'banana'], /--keep-if-younger.*"banana" is not a duration/],
      [[dsn, '--tokens', '--bogus'], /unknown option '--bogus'/],
    ];
    for (const [args, reason] of cases) expectFailure(await runCli(['janitor', ...args]), reason);
    const missing = await runCli(['janitor', '-c', path.join(tempDir(), 'missing.yaml'), '--tokens']); // ConfigError, as above
    expect([missing.code, /missing\.yaml.*ENOENT/.test(missing.stderr)]).toEqual([1, true]);
    expect(await left()).toEqual(before);
    expect(await expiredJtis()).toBe(1);
  });

  it('on a database without the schema it fails with one line naming the cure, not a crash', async () => {
    const pg = TEST_DIALECT === 'postgres' ? await createPostgresDatabase() : undefined;
    try {
      expectFailure(await runCli(['janitor', pg?.dsn ?? `sqlite://${path.join(tempDir(), 'empty.sqlite')}`, '--tokens']), /pending migrations: run hydrant migrate up first/);
    } finally {
      await pg?.drop();
    }
  });
});

describe('migrate sql', () => {
  async function applied(target: string): Promise<string[]> {
    const dataSource = createDataSource({ dsn: target, dbBusyTimeout: 1000, dbPoolSize: 1 });
    await dataSource.initialize();
    try {
      return ((await dataSource.query('SELECT "name" FROM "hydrant_migrations"')) as Array<{ name: string }>).map((r) => r.name).sort();
    } finally {
      await dataSource.destroy();
    }
  }
  const status = (stdout: string) => stdout.trimEnd().split('\n').map((line) => line.split('\t'));

  async function migrateFresh(target: string): Promise<void> {
    const fresh = status(ok(await runCli(['migrate', 'sql', 'status', target])));
    expect(fresh.length).toBeGreaterThan(5);
    expect(fresh.every(([state]) => state === 'pending')).toBe(true);
    const names = fresh.map(([, name]) => name);
    expect(ok(await runCli(['migrate', 'sql', 'up', target]))).toContain('"applied migrations"');
    expect(await applied(target)).toEqual([...names].sort());
    expect(status(ok(await runCli(['migrate', 'sql', 'status', target])))).toEqual(names.map((name) => ['applied', name]));
    // Hydra's other spellings: -e, -c, `migrate sql DSN`; and Hydrant's `migrate status|up`.
    expect(ok(await runCli(['migrate', 'sql', 'up', '-e', '--yes'], { env: { DSN: target } }))).toContain('"the database is up to date"');
    expect(ok(await runCli(['migrate', 'sql', target]))).toContain('"the database is up to date"');
    expect(ok(await runCli(['migrate', 'up', '-c', file('migrate.yaml', `dsn: ${JSON.stringify(target)}\n`)]))).toContain('"the database is up to date"');
    expect(status(ok(await runCli(['migrate', 'status'], { env: { DSN: target } })))).toEqual(names.map((name) => ['applied', name]));
  }

  it('up and status on a fresh SQLite file', () => migrateFresh(`sqlite://${path.join(tempDir(), 'fresh.sqlite')}`), 240_000);

  (TEST_DIALECT === 'postgres' ? it : it.skip)('up and status on a fresh PostgreSQL database', async () => {
    const pg = await createPostgresDatabase();
    try {
      await migrateFresh(pg.dsn);
    } finally {
      await pg.drop();
    }
  }, 240_000);

  it('fails on bad input: no action and no DSN, an unknown DSN scheme, an unreachable database', async () => {
    expectFailure(await runCli(['migrate', 'sql']), /migrate sql: give up or status, or a DSN to apply migrations to/);
    expectFailure(await runCli(['migrate', 'sql', 'up', '--bogus']), /unknown option '--bogus'/);
    const bad = await runCli(['migrate', 'sql', 'status', 'mysql://nowhere/db']); // ConfigError: "invalid configuration:" first, then the key
    expect([bad.code, /DSN: must be/.test(bad.stderr), /\n\s+at /.test(bad.stderr)]).toEqual([1, true, false]);
    expectFailure(await runCli(['migrate', 'sql', 'status', 'postgres://postgres@127.0.0.1:1/none']), /ECONNREFUSED|connect/);
  });

  it('`migrate sql status|up -c FILE` read the database of FILE', async () => {
    const target = `sqlite://${path.join(tempDir(), 'configured.sqlite')}`;
    ok(await runCli(['migrate', 'sql', 'up', target]));
    const config = file('configured.yaml', `dsn: ${JSON.stringify(target)}\n`);
    const cwd = tempDir();
    const lines = status(ok(await runCli(['migrate', 'sql', 'status', '-c', config], { cwd })));
    expect(existsSync(path.join(cwd, 'data', 'hydrant.sqlite'))).toBe(false);
    expect(lines.every(([state]) => state === 'applied')).toBe(true);
  });

  it('`migrate sql up` with neither a DSN, -e nor -c fails as in Hydra, and migrates nothing', async () => {
    const cwd = tempDir();
    const result = await runCli(['migrate', 'sql', 'up'], { cwd });
    expect(existsSync(path.join(cwd, 'data', 'hydrant.sqlite'))).toBe(false);
    expectFailure(result, /DSN/);
  });
});
