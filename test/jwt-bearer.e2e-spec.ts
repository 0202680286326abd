import { randomUUID } from 'node:crypto';
import { Configuration, JsonWebKey as HydraJwk, OAuth2Api, TrustedOAuth2JwtGrantIssuer, TrustOAuth2JwtGrantIssuer } from '@ory/hydra-client';
import { CryptoKey, exportJWK, generateKeyPair, JWK, JWTPayload, SignJWT } from 'jose';
import { createClient, introspect, tokenRequest } from './support/browser-flow';
import { sdkFailure } from './support/sdk-failure';
import { baseUrl, startTestServer, TestServer } from './support/test-runtime';

/**
 * The JWT bearer grant (RFC 7523 §2.1) as Hydra has it: trust relationships managed through Hydra's SDK
 * on the admin port (`/admin/trust/grants/jwt-bearer/issuers`, each storing its public key in key set
 * `<issuer>`), and `/oauth2/token` exchanging an assertion signed by a trusted key for an access token,
 * with every way an assertion, a trust or a client can be wrong answered as Hydra answers it.
 */

const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const FAR_FUTURE = '2099-01-01T10:00:00Z';
const RFC3339_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Hydrant {
  server: TestServer;
  oauth2: OAuth2Api;
  adminUrl: string;
  /** The issuer is this listening URL, so that the token endpoint URL is the `aud` an assertion names. */
  tokenEndpoint: string;
  publicUrl: string;
}

async function start(env: Record<string, string> = {}): Promise<Hydrant> {
  const server = await startTestServer(env, { listen: true, issuerIsPublicUrl: true });
  const adminUrl = await baseUrl(server.adminApp);
  const publicUrl = await baseUrl(server.publicApp);
  return { server, adminUrl, publicUrl, tokenEndpoint: `${publicUrl}/oauth2/token`, oauth2: new OAuth2Api(new Configuration({ basePath: adminUrl })) };
}

interface Signer {
  alg: 'RS256' | 'ES256';
  kid: string;
  privateKey: CryptoKey;
  /** The public JWK as a trust registers it: kid, alg and use set. */
  jwk: HydraJwk;
}

async function newSigner(alg: Signer['alg'] = 'RS256', kid: string = randomUUID()): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } as HydraJwk };
}

const newIssuer = () => `https://${randomUUID()}.idp.example`;

/** Trusts `jwk` through the SDK: a new issuer, subject alice, scope read and write, until 2099, unless `fields` says otherwise. */
async function trust(h: Hydrant, jwk: HydraJwk, fields: Partial<TrustOAuth2JwtGrantIssuer> = {}): Promise<TrustedOAuth2JwtGrantIssuer> {
  const body = { issuer: newIssuer(), subject: 'alice@example.com', scope: ['read', 'write'], jwk, expires_at: FAR_FUTURE, ...fields };
  const res = await h.oauth2.trustOAuth2JwtGrantIssuer({ trustOAuth2JwtGrantIssuer: body });
  expect(res.status).toBe(201);
  return res.data;
}

/** A JWT signed by `signer`: iat now, exp in 5 minutes, a fresh jti, then `claims` (`undefined` leaves one out). */
async function sign(signer: Signer, claims: JWTPayload, kid: string | null = signer.kid): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const all: JWTPayload = { iat: now, exp: now + 300, jti: randomUUID(), ...claims };
  for (const [name, value] of Object.entries(all)) if (value === undefined) delete all[name];
  return new SignJWT(all).setProtectedHeader({ alg: signer.alg, ...(kid === null ? {} : { kid }) }).sign(signer.privateKey);
}

/** An assertion the trust `t` covers: iss its issuer, sub its subject, aud the token endpoint. */
const assertionFor = (h: Hydrant, t: TrustedOAuth2JwtGrantIssuer, signer: Signer, claims: JWTPayload = {}, kid?: string | null) =>
  sign(signer, { iss: t.issuer, sub: t.subject, aud: h.tokenEndpoint, ...claims }, kid);

type Basic = { id: string; secret: string };

async function jwtBearerClient(h: Hydrant, grantTypes = [GRANT_TYPE]): Promise<Basic> {
  const created = await createClient(h.adminUrl, { grant_types: grantTypes, scope: 'read write' });
  return { id: created.client_id, secret: created.client_secret! };
}

const grant = (h: Hydrant, client: Basic | undefined, assertion: string, scope?: string) =>
  tokenRequest(h.publicUrl, { grant_type: GRANT_TYPE, assertion, ...(scope ? { scope } : {}) }, client);

function expectOAuthError(res: { status: number; body: Record<string, any> }, status: number, error: string): void {
  expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
  expect(res.body.error_description).toEqual(expect.any(String));
  expect(res.body.access_token).toBeUndefined();
}

function expectAdminError(status: number | undefined, body: unknown, expected: number, code?: string): void {
  expect(status).toBe(expected);
  expect(body).toEqual({ error: code ?? expect.any(String), error_description: expect.any(String), status_code: expected });
}

/** `GET /admin/keys/{set}/{kid}` of the key set a trust stores its key in. */
async function storedKey(h: Hydrant, set: string, kid: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${h.adminUrl}/admin/keys/${encodeURIComponent(set)}/${encodeURIComponent(kid)}`);
  return { status: res.status, body: await res.json() };
}

/** The `page_token` of the Link header's rel="next" entry, if any. */
function nextPageToken(link: unknown): string | undefined {
  for (const entry of String(link ?? '').split(',')) {
    const match = /^\s*<([^>]*)>\s*;\s*rel="next"\s*$/.exec(entry);
    if (match) return new URL(match[1], 'http://link.invalid').searchParams.get('page_token') ?? undefined;
  }
  return undefined;
}

describe('JWT bearer trust relationships through Hydra\'s SDK (admin port)', () => {
  let h: Hydrant;

  beforeAll(async () => {
    h = await start();
  });
  afterAll(() => h?.server.close());

  it('creates a trust for one subject, answers Hydra\'s shape, and stores only the public half of the key', async () => {
    const signer = await newSigner('RS256');
    const withPrivatePart = { ...(await exportJWK(signer.privateKey)), kid: signer.kid, alg: 'RS256', use: 'sig' } as HydraJwk;
    expect(withPrivatePart.d).toEqual(expect.any(String));
    const issuer = newIssuer();
    const created = await trust(h, withPrivatePart, { issuer, scope: ['read'] });
    expect(created).toEqual({
      id: expect.stringMatching(UUID),
      issuer,
      subject: 'alice@example.com',
      allow_any_subject: false,
      scope: ['read'],
      public_key: { set: issuer, kid: signer.kid },
      created_at: expect.stringMatching(RFC3339_SECONDS),
      expires_at: FAR_FUTURE,
    });

    const read = await h.oauth2.getTrustedOAuth2JwtGrantIssuer({ id: created.id! });
    expect(read.status).toBe(200);
    expect(read.data).toEqual(created);

    const key = await storedKey(h, issuer, signer.kid);
    expect(key.status).toBe(200);
    expect(key.body.keys).toHaveLength(1);
    expect(key.body.keys[0]).toMatchObject({ kty: 'RSA', kid: signer.kid, n: signer.jwk.n, e: signer.jwk.e });
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key.body.keys[0][member]).toBeUndefined();
  });

  it('creates a trust for any subject, answering subject ""', async () => {
    const created = await trust(h, (await newSigner('ES256')).jwk, { subject: undefined, allow_any_subject: true });
    expect(created).toMatchObject({ subject: '', allow_any_subject: true });
    expect((await h.oauth2.getTrustedOAuth2JwtGrantIssuer({ id: created.id! })).data).toMatchObject({ subject: '', allow_any_subject: true });
  });

  it.each([
    ['RS256', 'RSA', {}],
    ['ES256', 'EC', { crv: 'P-256' }],
    ['EdDSA', 'OKP', { crv: 'Ed25519' }],
  ] as const)('accepts a key without alg and stores it as %s', async (alg, kty, extra) => {
    const kid = randomUUID();
    const { publicKey } = await generateKeyPair(alg, { extractable: true });
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid, use: 'sig' };
    expect(jwk.alg).toBeUndefined();
    const created = await trust(h, jwk as HydraJwk);
    const key = await storedKey(h, created.issuer!, kid);
    expect(key.body.keys[0]).toMatchObject({ kty, kid, alg, ...extra });
  });

  it('lists trusts as a JSON array paged by the Link header, and filters by issuer', async () => {
    const issuer = newIssuer();
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) mine.push((await trust(h, (await newSigner('ES256')).jwk, { issuer })).id!);
    const others = [(await trust(h, (await newSigner('ES256')).jwk)).id!, (await trust(h, (await newSigner('ES256')).jwk)).id!];

    const pages: TrustedOAuth2JwtGrantIssuer[][] = [];
    const links: string[] = [];
    let pageToken: string | undefined;
    do {
      const res = await h.oauth2.listTrustedOAuth2JwtGrantIssuers({ pageSize: 2, pageToken, issuer });
      expect(res.status).toBe(200);
      expect(Array.isArray(res.data)).toBe(true);
      pages.push(res.data);
      links.push(String(res.headers['link'] ?? ''));
      pageToken = nextPageToken(res.headers['link']);
    } while (pageToken !== undefined && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((t) => t.id).sort()).toEqual([...mine].sort());
    expect(pages.flat().every((t) => t.issuer === issuer)).toBe(true);
    for (const link of links) expect(link).toMatch(/rel="first"/);
    expect(links.map((l) => /rel="next"/.test(l))).toEqual([true, true, false]);

    const all = (await h.oauth2.listTrustedOAuth2JwtGrantIssuers({ pageSize: 500 })).data.map((t) => t.id);
    for (const id of [...mine, ...others]) expect(all).toContain(id);
  });

  it('deletes a trust together with its stored key', async () => {
    const signer = await newSigner('RS256');
    const created = await trust(h, signer.jwk);
    expect((await storedKey(h, created.issuer!, signer.kid)).status).toBe(200);

    expect((await h.oauth2.deleteTrustedOAuth2JwtGrantIssuer({ id: created.id! })).status).toBe(204);
    const gone = await sdkFailure(h.oauth2.getTrustedOAuth2JwtGrantIssuer({ id: created.id! }));
    expectAdminError(gone.response?.status, gone.response?.data, 404);
    const key = await storedKey(h, created.issuer!, signer.kid);
    expectAdminError(key.status, key.body, 404);
    expect((await h.oauth2.listTrustedOAuth2JwtGrantIssuers({ issuer: created.issuer })).data).toEqual([]);
    const again = await sdkFailure(h.oauth2.deleteTrustedOAuth2JwtGrantIssuer({ id: created.id! }));
    expectAdminError(again.response?.status, again.response?.data, 404);
  });

  it('answers 404 for an unknown id and 400 for an id that is not a uuid', async () => {
    const unknown = await sdkFailure(h.oauth2.getTrustedOAuth2JwtGrantIssuer({ id: randomUUID() }));
    expectAdminError(unknown.response?.status, unknown.response?.data, 404);
    const malformed = await sdkFailure(h.oauth2.getTrustedOAuth2JwtGrantIssuer({ id: 'not-a-uuid' }));
    expectAdminError(malformed.response?.status, malformed.response?.data, 400);
  });

  it.each<[string, (body: TrustOAuth2JwtGrantIssuer) => Record<string, unknown>]>([
    ['no issuer', (b) => ({ ...b, issuer: undefined })],
    ['both subject and allow_any_subject', (b) => ({ ...b, allow_any_subject: true })],
    ['neither subject nor allow_any_subject', (b) => ({ ...b, subject: undefined })],
    ['no expires_at', (b) => ({ ...b, expires_at: undefined })],
    ['a key without kid', (b) => ({ ...b, jwk: { ...b.jwk, kid: undefined } })],
  ])('refuses a trust with %s: 400 missing_required_parameter', async (_name, change) => {
    const signer = await newSigner('ES256');
    const body = change({ issuer: newIssuer(), subject: 'alice@example.com', scope: ['read'], jwk: signer.jwk, expires_at: FAR_FUTURE });
    const error = await sdkFailure(h.oauth2.trustOAuth2JwtGrantIssuer({ trustOAuth2JwtGrantIssuer: body as unknown as TrustOAuth2JwtGrantIssuer }));
    expectAdminError(error.response?.status, error.response?.data, 400, 'missing_required_parameter');
  });

  it('refuses a key that is not one, an expires_at in the past, a NUL, overlong names and a body that is not JSON with 400 invalid_request', async () => {
    const signer = await newSigner('ES256');
    const base = { issuer: newIssuer(), subject: 'alice@example.com', scope: ['read'], jwk: signer.jwk, expires_at: FAR_FUTURE };
    for (const body of [
      { ...base, jwk: { kty: 'RSA', kid: 'x', n: 'abc', e: 'AQAB' } },
      { ...base, expires_at: '2020-01-01T00:00:00Z' },
      // What the store cannot hold: a NUL (PostgreSQL text), names beyond the columns' 255 characters.
      { ...base, issuer: `${base.issuer}\u0000` },
      { ...base, subject: 'alice\u0000' },
      { ...base, jwk: { ...signer.jwk, kid: 'kid\u0000' } },
      { ...base, subject: 's'.repeat(256) },
      { ...base, issuer: `https://${'i'.repeat(256)}.example` },
    ]) {
      const error = await sdkFailure(h.oauth2.trustOAuth2JwtGrantIssuer({ trustOAuth2JwtGrantIssuer: body as TrustOAuth2JwtGrantIssuer }));
      expectAdminError(error.response?.status, error.response?.data, 400, 'invalid_request');
    }
    const res = await fetch(`${h.adminUrl}/admin/trust/grants/jwt-bearer/issuers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"issuer": ' });
    expectAdminError(res.status, await res.json(), 400, 'invalid_request');
    // None left a trust behind.
    expect((await h.oauth2.listTrustedOAuth2JwtGrantIssuers({ issuer: base.issuer })).data).toEqual([]);
  });

  it('refuses the same issuer, subject and kid twice with 409, but takes another kid', async () => {
    const signer = await newSigner('ES256');
    const first = await trust(h, signer.jwk);
    const error = await sdkFailure(trust(h, signer.jwk, { issuer: first.issuer }));
    expectAdminError(error.response?.status, error.response?.data, 409);
    await trust(h, (await newSigner('ES256')).jwk, { issuer: first.issuer });
    expect((await h.oauth2.listTrustedOAuth2JwtGrantIssuers({ issuer: first.issuer })).data).toHaveLength(2);
  });
});

describe('the JWT bearer grant at /oauth2/token', () => {
  let h: Hydrant;
  let signer: Signer;
  let trusted: TrustedOAuth2JwtGrantIssuer;
  let client: Basic;
  const signed = (claims: JWTPayload = {}, kid?: string | null) => assertionFor(h, trusted, signer, claims, kid);

  beforeAll(async () => {
    h = await start();
    signer = await newSigner('RS256');
    trusted = await trust(h, signer.jwk);
    client = await jwtBearerClient(h);
  });
  afterAll(() => h?.server.close());

  it('exchanges an RS256 assertion for an access token of its subject: no refresh or ID token, no-store', async () => {
    const res = await grant(h, client, await signed(), 'read write');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: expect.any(Number), scope: 'read write' });
    expect(res.body.expires_in).toBeGreaterThan(0);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await introspect(h.adminUrl, res.body.access_token)).toMatchObject({ active: true, sub: 'alice@example.com', client_id: client.id, scope: 'read write' });
  });

  it('takes any subject from an issuer trusted with allow_any_subject (ES256 key registered without alg)', async () => {
    const es = await newSigner('ES256');
    const { alg: _alg, ...withoutAlg } = es.jwk;
    const anyone = await trust(h, withoutAlg as HydraJwk, { subject: undefined, allow_any_subject: true });
    const subject = `user-${randomUUID()}`;
    const res = await grant(h, client, await assertionFor(h, anyone, es, { sub: subject }), 'read');
    expect(res.status).toBe(200);
    expect(await introspect(h.adminUrl, res.body.access_token)).toMatchObject({ active: true, sub: subject, client_id: client.id });
  });

  it('lists the grant type in discovery', async () => {
    const res = await fetch(`${h.publicUrl}/.well-known/openid-configuration`);
    expect(((await res.json()) as { grant_types_supported: string[] }).grant_types_supported).toContain(GRANT_TYPE);
  });

  it('refuses a request without an assertion with 400 invalid_request', async () => {
    expectOAuthError(await tokenRequest(h.publicUrl, { grant_type: GRANT_TYPE, scope: 'read' }, client), 400, 'invalid_request');
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each<[string, () => Promise<string>]>([
    ['that is not a JWT', async () => 'not-a-jwt'],
    ['without iss', () => signed({ iss: undefined })],
    ['without sub', () => signed({ sub: undefined })],
    ['whose iss holds a NUL', () => signed({ iss: 'https://idp.example\u0000' })],
    ['whose sub holds a NUL', () => signed({ sub: 'alice\u0000' })],
    ['from an issuer nobody trusts', () => signed({ iss: newIssuer() })],
    ['for a subject other than the trusted one', () => signed({ sub: 'mallory@example.com' })],
    ['naming a kid that is not trusted', () => signed({}, randomUUID())],
    ['signed by another key under the trusted kid', async () => assertionFor(h, trusted, await newSigner('RS256', signer.kid))],
    ['for another audience', () => signed({ aud: 'https://other.example/oauth2/token' })],
    ['without aud', () => signed({ aud: undefined })],
    ['without exp', () => signed({ exp: undefined })],
    ['that has expired', () => signed({ iat: now() - 600, exp: now() - 120 })],
    ['not valid before a time still ahead', () => signed({ nbf: now() + 600 })],
    ['without iat', () => signed({ iat: undefined })],
    ['without jti', () => signed({ jti: undefined })],
  ])('refuses an assertion %s with 400 invalid_grant', async (_name, make) => {
    expectOAuthError(await grant(h, client, await make(), 'read'), 400, 'invalid_grant');
  });

  it('refuses a jti it has seen before with 400 jti_known', async () => {
    const once = await signed();
    expect((await grant(h, client, once, 'read')).status).toBe(200);
    expectOAuthError(await grant(h, client, once, 'read'), 400, 'jti_known');
    // A new assertion that reuses a spent jti is a replay as well.
    const jti = randomUUID();
    expect((await grant(h, client, await signed({ jti }), 'read')).status).toBe(200);
    expectOAuthError(await grant(h, client, await signed({ jti }), 'read'), 400, 'jti_known');
  });

  it('grants only scopes the trust lists, even when the client has more: 400 invalid_scope', async () => {
    const narrow = await trust(h, signer.jwk, { scope: ['read'] });
    expectOAuthError(await grant(h, client, await assertionFor(h, narrow, signer), 'write'), 400, 'invalid_scope');
    expectOAuthError(await grant(h, client, await assertionFor(h, narrow, signer), 'read write'), 400, 'invalid_scope');
    expect((await grant(h, client, await assertionFor(h, narrow, signer), 'read')).body.scope).toBe('read');
  });

  it('refuses a client without the grant type with 400 unauthorized_client', async () => {
    const other = await jwtBearerClient(h, ['client_credentials']);
    expectOAuthError(await grant(h, other, await signed(), 'read'), 400, 'unauthorized_client');
  });

  it('refuses a request without client authentication with 401 invalid_client', async () => {
    expectOAuthError(await grant(h, undefined, await signed(), 'read'), 401, 'invalid_client');
  });

  it('refuses assertions under a trust whose expires_at has passed, with or without a kid', async () => {
    const expiresAt = Math.ceil(Date.now() / 1000) * 1000 + 3000;
    const short = await trust(h, signer.jwk, { expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z') });
    expect((await grant(h, client, await assertionFor(h, short, signer), 'read')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, expiresAt + 1100 - Date.now()));
    expectOAuthError(await grant(h, client, await assertionFor(h, short, signer), 'read'), 400, 'invalid_grant');
    expectOAuthError(await grant(h, client, await assertionFor(h, short, signer, {}, null), 'read'), 400, 'invalid_grant');
  });
});

/** A server started with `env`, one trusted RS256 key and a client allowed the grant. */
function grantServer(env: Record<string, string>) {
  const ctx = {} as { h: Hydrant; signer: Signer; trusted: TrustedOAuth2JwtGrantIssuer; client: Basic };
  beforeAll(async () => {
    ctx.h = await start(env);
    ctx.signer = await newSigner('RS256');
    ctx.trusted = await trust(ctx.h, ctx.signer.jwk);
    ctx.client = await jwtBearerClient(ctx.h);
  });
  afterAll(() => ctx.h?.server.close());
  return ctx;
}

describe('the JWT bearer grant with OAUTH2_GRANT_JWT_JTI_OPTIONAL and OAUTH2_GRANT_JWT_IAT_OPTIONAL', () => {
  const ctx = grantServer({ OAUTH2_GRANT_JWT_JTI_OPTIONAL: 'true', OAUTH2_GRANT_JWT_IAT_OPTIONAL: 'true' });

  it('accepts an assertion without jti and without iat', async () => {
    const assertion = await assertionFor(ctx.h, ctx.trusted, ctx.signer, { jti: undefined, iat: undefined });
    const res = await grant(ctx.h, ctx.client, assertion, 'read');
    expect(res.status).toBe(200);
    expect(await introspect(ctx.h.adminUrl, res.body.access_token)).toMatchObject({ active: true, sub: 'alice@example.com' });
  });
});

describe('the JWT bearer grant with OAUTH2_GRANT_JWT_MAX_TTL=1h', () => {
  const ctx = grantServer({ OAUTH2_GRANT_JWT_MAX_TTL: '1h' });

  it('refuses an assertion living longer than the maximum with 400 invalid_grant, and takes a shorter one', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const long = await assertionFor(ctx.h, ctx.trusted, ctx.signer, { iat, exp: iat + 2 * 3600 });
    expectOAuthError(await grant(ctx.h, ctx.client, long, 'read'), 400, 'invalid_grant');
    const within = await assertionFor(ctx.h, ctx.trusted, ctx.signer, { iat, exp: iat + 1800 });
    expect((await grant(ctx.h, ctx.client, within, 'read')).status).toBe(200);
  });
});
