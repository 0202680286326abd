import { generateKeyPairSync, randomUUID } from 'node:crypto';
import request from 'supertest';
import { ClientService, LIFESPAN_FIELDS } from '@hydrant/core';
import { LoopbackServer, startLoopbackServer } from './support/loopback-server';
import { startTestServer, TestServer } from './support/test-runtime';

/**
 * The admin client API (Hydra's OAuth2Api client operations) over HTTP: create, read, list, replace,
 * JSON Patch, delete, lifespans, secret rotation, legacy paths, API keys, and hostile input.
 */

type Res = request.Response;
type Body = Record<string, unknown>;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DEFAULT_SCOPE = 'offline_access offline openid';
/** API.md's OAuth2Client as the admin API reads it back (the secret only on create and rotate; registration_* only in DCR). */
const OAUTH2_CLIENT_FIELDS = [
  'client_id',
  'client_name',
  'redirect_uris',
  'post_logout_redirect_uris',
  'grant_types',
  'response_types',
  'scope',
  'audience',
  'token_endpoint_auth_method',
  'token_endpoint_auth_signing_alg',
  'jwks',
  'jwks_uri',
  'subject_type',
  'sector_identifier_uri',
  'skip_consent',
  'skip_logout_consent',
  'frontchannel_logout_uri',
  'frontchannel_logout_session_required',
  'backchannel_logout_uri',
  'backchannel_logout_session_required',
  'allowed_cors_origins',
  'access_token_strategy',
  'owner',
  'contacts',
  'client_uri',
  'logo_uri',
  'policy_uri',
  'tos_uri',
  'metadata',
  'userinfo_signed_response_alg',
  'request_object_signing_alg',
  'request_uris',
  ...LIFESPAN_FIELDS,
  'client_secret_expires_at',
  'created_at',
  'updated_at',
];
/** Fields every response adds to what the caller sent. */
const SERVER_FIELDS = ['client_secret', 'client_secret_expires_at', 'created_at', 'updated_at'];

/** The admin API's error shape, exactly: `{error, error_description, status_code}` and nothing else. */
function expectAdminError(res: Res, status: number, error?: string, mentions: string[] = []): void {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { error: error ?? expect.any(String), error_description: expect.any(String), status_code: status },
  });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  for (const word of mentions) expect(res.body.error_description).toContain(word);
}

/** `Link: <url>; rel="first",<url>; rel="next"` as `{first: url, next: url}`; every part must be well formed. */
function parseLinks(header: string | undefined): Record<string, string> {
  expect(header).toEqual(expect.any(String));
  const links: Record<string, string> = {};
  for (const part of (header as string).split(',')) {
    const match = /^\s*<([^>]+)>\s*;\s*rel="([a-z]+)"\s*$/.exec(part);
    expect(match).not.toBeNull();
    links[match![2]] = match![1];
  }
  return links;
}

function withoutServerFields(body: Body): Body {
  return Object.fromEntries(Object.entries(body).filter(([k]) => !SERVER_FIELDS.includes(k)));
}

function publicJwk(): Record<string, unknown> {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...publicKey.export({ format: 'jwk' }), kid: 'key-1', use: 'sig', alg: 'ES256' };
}

function privateJwk(): Record<string, unknown> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'key-private' };
}

/** Thirteen distinct lifespans, each as Go prints it. */
const LIFESPANS: Record<string, string> = Object.fromEntries(
  LIFESPAN_FIELDS.map((field, i) => [field, `${i + 1}h${(i * 7) % 60}m${(i * 13) % 60}s`]),
);

const FULL_CLIENT_REDIRECT_URIS = ['https://app.example.com/callback', 'com.example.app:/oauth2redirect', 'http://127.0.0.1:8080/cb'];

/**
 * Every OAuth2Client field of API.md a caller may send, none at its default. Its sector_identifier_uri is
 * fetched at create and update (OIDC Registration §5): give one that lists its redirect URIs.
 */
function fullClient(sectorIdentifierUri = 'https://app.example.com/sector.json'): Body {
  return {
    client_id: `full-${randomUUID()}`,
    client_secret: 'a-chosen-secret-of-some-length',
    client_name: 'Full Client',
    redirect_uris: FULL_CLIENT_REDIRECT_URIS,
    post_logout_redirect_uris: ['https://app.example.com/logged-out'],
    grant_types: [
      'authorization_code',
      'implicit',
      'refresh_token',
      'client_credentials',
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
      'urn:ietf:params:oauth:grant-type:device_code',
    ],
    response_types: ['code', 'id_token', 'token', 'code id_token', 'id_token token', 'code id_token token'],
    scope: 'openid offline_access photos.read photos.* profile',
    audience: ['https://api.example.com', 'https://other.example.com'],
    token_endpoint_auth_method: 'client_secret_post',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: { keys: [publicJwk()] },
    subject_type: 'pairwise',
    sector_identifier_uri: sectorIdentifierUri,
    skip_consent: true,
    skip_logout_consent: true,
    frontchannel_logout_uri: 'https://app.example.com/frontchannel',
    frontchannel_logout_session_required: true,
    backchannel_logout_uri: 'https://app.example.com/backchannel',
    backchannel_logout_session_required: true,
    allowed_cors_origins: ['https://app.example.com', 'http://localhost:3000'],
    access_token_strategy: 'jwt',
    owner: 'owner-of-full',
    contacts: ['admin@example.com', 'ops@example.com'],
    client_uri: 'https://app.example.com/',
    logo_uri: 'https://app.example.com/logo.png',
    policy_uri: 'https://app.example.com/policy',
    tos_uri: 'https://app.example.com/tos',
    metadata: { tier: 'gold', nested: { list: [1, 'two', { three: null }], flag: true } },
    userinfo_signed_response_alg: 'RS256',
    request_object_signing_alg: 'ES256',
    request_uris: ['https://app.example.com/request.jwt'],
    ...LIFESPANS,
  };
}

describe('admin clients API', () => {
  let server: TestServer;
  let clients: ClientService;
  const admin = () => request(server.admin);

  beforeAll(async () => {
    server = await startTestServer();
    clients = server.adminApp.get(ClientService);
  });
  afterAll(() => server?.close());

  async function create(body: Body = {}): Promise<Body> {
    const res = await admin().post('/admin/clients').send(body);
    expect({ status: res.status, body: res.body }).toEqual({ status: 201, body: expect.any(Object) });
    return res.body as Body;
  }

  async function verifies(id: string, secret: string): Promise<boolean> {
    return clients.verifySecret(await clients.get(id), secret);
  }

  describe('create', () => {
    it('answers 201 with a generated UUID client_id and a secret that is returned once', async () => {
      const res = await admin().post('/admin/clients').send({ client_name: 'generated' }).expect(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.client_id).toMatch(UUID_V4);
      expect(res.body.client_secret).toEqual(expect.any(String));
      expect(res.body.client_secret.length).toBeGreaterThanOrEqual(32);
      expect(res.body.client_secret_expires_at).toBe(0);
      expect(new Date(res.body.created_at).toISOString()).toBe(res.body.created_at);
      expect(new Date(res.body.updated_at).toISOString()).toBe(res.body.updated_at);
      expect(await verifies(res.body.client_id, res.body.client_secret)).toBe(true);
      expect(await verifies(res.body.client_id, `${res.body.client_secret}x`)).toBe(false);

      const read = await admin().get(`/admin/clients/${res.body.client_id}`).expect(200);
      expect(read.body.client_secret).toBeUndefined();
      expect(JSON.stringify(read.body)).not.toContain(res.body.client_secret);
      expect(withoutServerFields(read.body)).toEqual(withoutServerFields(res.body));
      expect(read.body).toMatchObject({ client_secret_expires_at: 0, created_at: res.body.created_at, updated_at: res.body.updated_at });

      const list = await admin().get('/admin/clients').query({ page_size: 1000 }).expect(200);
      const listed = (list.body as Body[]).find((c) => c.client_id === res.body.client_id);
      expect(listed).toBeDefined();
      expect(JSON.stringify(list.body)).not.toContain(res.body.client_secret);
      for (const c of list.body as Body[]) expect(c.client_secret).toBeUndefined();
    });

    it('generates a different id and secret for every client', async () => {
      const a = await create();
      const b = await create();
      expect(a.client_id).not.toBe(b.client_id);
      expect(a.client_secret).not.toBe(b.client_secret);
    });

    it('accepts a custom client_id and a chosen client_secret, echoing the secret once', async () => {
      const id = `custom-${randomUUID()}.example:app`;
      const res = await admin().post('/admin/clients').send({ client_id: id, client_secret: 'my-own-secret' }).expect(201);
      expect(res.body.client_id).toBe(id);
      expect(res.body.client_secret).toBe('my-own-secret');
      const read = await admin().get(`/admin/clients/${encodeURIComponent(id)}`).expect(200);
      expect(read.body.client_id).toBe(id);
      expect(read.body.client_secret).toBeUndefined();
      expect(await verifies(id, 'my-own-secret')).toBe(true);
      expect(await verifies(id, 'not-my-secret')).toBe(false);
    });

    it('refuses a duplicate client_id with 409 and keeps the first client', async () => {
      const id = `dup-${randomUUID()}`;
      await create({ client_id: id, client_name: 'first' });
      const res = await admin().post('/admin/clients').send({ client_id: id, client_name: 'second' });
      expectAdminError(res, 409, 'conflict', [id]);
      const read = await admin().get(`/admin/clients/${id}`).expect(200);
      expect(read.body.client_name).toBe('first');
    });

    it('refuses a client_id that is not printable ASCII or is too long', async () => {
      expectAdminError(await admin().post('/admin/clients').send({ client_id: 'has space' }), 400, 'invalid_client_metadata', ['client_id']);
      expectAdminError(await admin().post('/admin/clients').send({ client_id: 'clïent' }), 400, 'invalid_client_metadata', ['client_id']);
      expectAdminError(await admin().post('/admin/clients').send({ client_id: 'x'.repeat(256) }), 400, 'invalid_client_metadata', ['client_id']);
    });

    it("applies Hydra's defaults to an empty body", async () => {
      const res = await admin().post('/admin/clients').send({}).expect(201);
      expect(res.body).toEqual({
        client_id: expect.stringMatching(UUID_V4),
        client_secret: expect.any(String),
        client_name: '',
        redirect_uris: [],
        post_logout_redirect_uris: [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        scope: DEFAULT_SCOPE,
        audience: [],
        token_endpoint_auth_method: 'client_secret_basic',
        token_endpoint_auth_signing_alg: '',
        jwks_uri: '',
        subject_type: 'public',
        sector_identifier_uri: '',
        skip_consent: false,
        skip_logout_consent: false,
        frontchannel_logout_uri: '',
        frontchannel_logout_session_required: false,
        backchannel_logout_uri: '',
        backchannel_logout_session_required: false,
        allowed_cors_origins: [],
        owner: '',
        contacts: [],
        client_uri: '',
        logo_uri: '',
        policy_uri: '',
        tos_uri: '',
        metadata: {},
        userinfo_signed_response_alg: 'none',
        request_object_signing_alg: '',
        request_uris: [],
        ...Object.fromEntries(LIFESPAN_FIELDS.map((f) => [f, null])),
        client_secret_expires_at: 0,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
    });

    it('treats null fields as their defaults', async () => {
      const res = await admin()
        .post('/admin/clients')
        .send({ scope: null, grant_types: null, response_types: null, token_endpoint_auth_method: null, metadata: null, jwks: null })
        .expect(201);
      expect(res.body.scope).toBe(DEFAULT_SCOPE);
      expect(res.body.grant_types).toEqual(['authorization_code']);
      expect(res.body.response_types).toEqual(['code']);
      expect(res.body.token_endpoint_auth_method).toBe('client_secret_basic');
      expect(res.body.metadata).toEqual({});
      expect(res.body.jwks).toBeUndefined();
    });

    it('gives a client_credentials-only client no response types', async () => {
      const res = await admin().post('/admin/clients').send({ grant_types: ['client_credentials'] }).expect(201);
      expect(res.body.grant_types).toEqual(['client_credentials']);
      expect(res.body.response_types).toEqual([]);
      expect(res.body.client_secret).toEqual(expect.any(String));
    });

    it('creates a public client (token_endpoint_auth_method none) without a secret', async () => {
      const res = await admin()
        .post('/admin/clients')
        .send({ token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example.com/cb'] })
        .expect(201);
      expect(res.body.client_secret).toBeUndefined();
      expect(res.body.token_endpoint_auth_method).toBe('none');
      expect(await verifies(res.body.client_id, '')).toBe(false);
    });

    it('ignores unknown fields and does not echo them back', async () => {
      const res = await admin()
        .post('/admin/clients')
        .send({ client_name: 'with-extras', is_admin: true, secret_hash: 'x', registration_access_token: 'rat', client_secret_expires_at: 99 })
        .expect(201);
      expect(res.body.client_name).toBe('with-extras');
      expect(res.body.is_admin).toBeUndefined();
      expect(res.body.secret_hash).toBeUndefined();
      expect(res.body.registration_access_token).toBeUndefined();
      expect(res.body.client_secret_expires_at).toBe(0);
      const read = await admin().get(`/admin/clients/${res.body.client_id}`).expect(200);
      expect(read.body.is_admin).toBeUndefined();
      expect(read.body.registration_access_token).toBeUndefined();
    });

    it('stores lifespans given as Go durations', async () => {
      const res = await admin()
        .post('/admin/clients')
        .send({ authorization_code_grant_access_token_lifespan: '1h0m0s', client_credentials_grant_access_token_lifespan: '720h0m0s' })
        .expect(201);
      expect(res.body.authorization_code_grant_access_token_lifespan).toBe('1h0m0s');
      expect(res.body.client_credentials_grant_access_token_lifespan).toBe('720h0m0s');
      const read = await admin().get(`/admin/clients/${res.body.client_id}`).expect(200);
      expect(read.body.client_credentials_grant_access_token_lifespan).toBe('720h0m0s');
      expect(read.body.implicit_grant_access_token_lifespan).toBeNull();
    });
  });

  describe('every OAuth2Client field round-trips', () => {
    let pairwise: TestServer;
    // The sector document, served over https on loopback (test-runtime.ts trusts its certificate).
    let sectorHost: LoopbackServer;
    let sectorUri: string;
    beforeAll(async () => {
      pairwise = await startTestServer({
        OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public,pairwise',
        OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: 'a-pairwise-salt-of-enough-length',
      });
      sectorHost = await startLoopbackServer((_req, res) => res.end(JSON.stringify(FULL_CLIENT_REDIRECT_URIS)), { tls: true });
      sectorUri = `${sectorHost.origin}/sector.json`;
    });
    afterAll(async () => {
      await sectorHost?.close();
      await pairwise?.close();
    });

    it('reads back every field it was created with (create, get, list)', async () => {
      const sent = fullClient(sectorUri);
      const res = await request(pairwise.admin).post('/admin/clients').send(sent).expect(201);
      const { client_secret: secret, ...rest } = sent;
      // jwks and jwks_uri exclude each other: the one not set reads back empty.
      const expected = { ...rest, jwks_uri: '' };
      expect(res.body.client_secret).toBe(secret);
      expect(withoutServerFields(res.body)).toEqual(expected);
      expect(Object.keys(res.body).sort()).toEqual([...OAUTH2_CLIENT_FIELDS, 'client_secret'].sort());

      const read = await request(pairwise.admin).get(`/admin/clients/${sent.client_id}`).expect(200);
      expect(read.body.client_secret).toBeUndefined();
      expect(withoutServerFields(read.body)).toEqual(expected);
      expect(Object.keys(read.body).sort()).toEqual([...OAUTH2_CLIENT_FIELDS].sort());
      expect(read.body.created_at).toBe(res.body.created_at);

      const list = await request(pairwise.admin).get('/admin/clients').query({ owner: 'owner-of-full' }).expect(200);
      expect(list.body).toHaveLength(1);
      expect(withoutServerFields(list.body[0])).toEqual(expected);
    });

    it('round-trips private_key_jwt with a jwks_uri', async () => {
      const sent = {
        client_id: `pkjwt-${randomUUID()}`,
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'PS256',
        jwks_uri: 'https://app.example.com/jwks.json',
        grant_types: ['client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
        response_types: [],
        access_token_strategy: 'opaque',
      };
      const res = await request(pairwise.admin).post('/admin/clients').send(sent).expect(201);
      expect(res.body.client_secret).toBeUndefined();
      expect(res.body).toMatchObject(sent);
      expect(res.body.jwks).toBeUndefined();
      const read = await request(pairwise.admin).get(`/admin/clients/${sent.client_id}`).expect(200);
      expect(read.body).toMatchObject(sent);
    });

    it('accepts its own GET output back as a PUT body, unchanged (the read-modify-write of Hydra users)', async () => {
      const created = await request(pairwise.admin).post('/admin/clients').send(fullClient(sectorUri)).expect(201);
      const read = await request(pairwise.admin).get(`/admin/clients/${created.body.client_id}`).expect(200);
      const put = await request(pairwise.admin).put(`/admin/clients/${created.body.client_id}`).send(read.body).expect(200);
      expect(put.body.client_secret).toBeUndefined();
      expect(withoutServerFields(put.body)).toEqual(withoutServerFields(read.body));
      expect(put.body.created_at).toBe(read.body.created_at);
      expect(Date.parse(put.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(read.body.updated_at));
    });
  });

  describe('metadata validation', () => {
    const cases: Array<[string, Body, string, string[]]> = [
      ['a relative redirect URI', { redirect_uris: ['/callback'] }, 'invalid_redirect_uri', ['redirect_uris', '/callback']],
      ['a redirect URI with a fragment', { redirect_uris: ['https://app.example.com/cb#frag'] }, 'invalid_redirect_uri', ['redirect_uris', 'fragment']],
      ['a javascript: redirect URI', { redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri', ['redirect_uris', 'javascript:']],
      ['a data: redirect URI', { redirect_uris: ['data:text/html,<script>alert(1)</script>'] }, 'invalid_redirect_uri', ['redirect_uris']],
      ['a relative post-logout redirect URI', { post_logout_redirect_uris: ['logged-out'] }, 'invalid_client_metadata', ['post_logout_redirect_uris']],
      ['an unknown token_endpoint_auth_method', { token_endpoint_auth_method: 'magic' }, 'invalid_client_metadata', ['token_endpoint_auth_method']],
      ['an unknown grant type', { grant_types: ['authorization_code', 'password'] }, 'invalid_client_metadata', ['grant_types', 'password']],
      ['an unknown response type', { response_types: ['magic'] }, 'invalid_client_metadata', ['response_types', 'magic']],
      [
        'response type code without the authorization_code grant',
        { grant_types: ['client_credentials'], response_types: ['code'] },
        'invalid_client_metadata',
        ['response_types', 'authorization_code'],
      ],
      ['response type id_token without the implicit grant', { response_types: ['id_token'] }, 'invalid_client_metadata', ['response_types', 'implicit']],
      [
        'both jwks and jwks_uri',
        { jwks: { keys: [publicJwk()] }, jwks_uri: 'https://app.example.com/jwks.json' },
        'invalid_client_metadata',
        ['jwks', 'jwks_uri'],
      ],
      ['a jwks with a private key', { jwks: { keys: [privateJwk()] } }, 'invalid_client_metadata', ['jwks']],
      ['a jwks with a symmetric key', { jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, 'invalid_client_metadata', ['jwks']],
      ['a jwks without a keys array', { jwks: { key: [] } }, 'invalid_client_metadata', ['jwks']],
      ['private_key_jwt without keys', { token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata', ['private_key_jwt', 'jwks']],
      [
        'private_key_jwt with a symmetric signing alg',
        { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://app.example.com/jwks.json', token_endpoint_auth_signing_alg: 'HS256' },
        'invalid_client_metadata',
        ['token_endpoint_auth_signing_alg'],
      ],
      ['a jwks_uri over plain http', { jwks_uri: 'http://keys.example.com/jwks.json' }, 'invalid_client_metadata', ['jwks_uri']],
      ['a scope token with a double quote', { scope: 'openid "bad' }, 'invalid_client_metadata', ['scope']],
      ['a scope token with a backslash', { scope: 'openid bad\\scope' }, 'invalid_client_metadata', ['scope']],
      ['a CORS origin with a path', { allowed_cors_origins: ['https://app.example.com/path'] }, 'invalid_client_metadata', ['allowed_cors_origins']],
      ['a CORS origin that is not a URL', { allowed_cors_origins: ['*'] }, 'invalid_client_metadata', ['allowed_cors_origins']],
      ['subject_type pairwise when only public is offered', { subject_type: 'pairwise' }, 'invalid_client_metadata', ['subject_type']],
      ['a client_secret shorter than 6 characters', { client_secret: 'abc' }, 'invalid_client_metadata', ['client_secret']],
      [
        'a client_secret with token_endpoint_auth_method none',
        { client_secret: 'a-long-enough-secret', token_endpoint_auth_method: 'none' },
        'invalid_client_metadata',
        ['client_secret'],
      ],
      [
        'client_credentials for a public client',
        { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' },
        'invalid_client_metadata',
        ['client_credentials', 'token_endpoint_auth_method'],
      ],
      ['a lifespan written "1 hour"', { authorization_code_grant_access_token_lifespan: '1 hour' }, 'invalid_client_metadata', ['authorization_code_grant_access_token_lifespan']],
      ['a lifespan that is a number', { refresh_token_grant_refresh_token_lifespan: 3600 }, 'invalid_client_metadata', ['refresh_token_grant_refresh_token_lifespan']],
      ['redirect_uris as a string', { redirect_uris: 'https://app.example.com/cb' }, 'invalid_client_metadata', ['redirect_uris']],
      ['redirect_uris holding a number', { redirect_uris: [42] }, 'invalid_client_metadata', ['redirect_uris']],
      ['skip_consent as "yes"', { skip_consent: 'yes' }, 'invalid_client_metadata', ['skip_consent']],
      ['metadata as an array', { metadata: [1, 2] }, 'invalid_client_metadata', ['metadata']],
      ['metadata as a string', { metadata: 'x' }, 'invalid_client_metadata', ['metadata']],
      ['metadata larger than 64 KiB', { metadata: { blob: 'x'.repeat(70_000) } }, 'invalid_client_metadata', ['metadata']],
      ['jwks as an array', { jwks: [] }, 'invalid_client_metadata', ['jwks']],
      ['scope as an array', { scope: ['openid'] }, 'invalid_client_metadata', ['scope']],
      ['grant_types as a string', { grant_types: 'client_credentials' }, 'invalid_client_metadata', ['grant_types']],
      ['client_name longer than 255', { client_name: 'n'.repeat(256) }, 'invalid_client_metadata', ['client_name']],
      ['a logo_uri with an ftp scheme', { logo_uri: 'ftp://app.example.com/logo.png' }, 'invalid_client_metadata', ['logo_uri']],
      ['a request_uri over plain http', { request_uris: ['http://app.example.com/r'] }, 'invalid_client_metadata', ['request_uris']],
      ['an unknown access_token_strategy', { access_token_strategy: 'magic' }, 'invalid_client_metadata', ['access_token_strategy']],
      ['a symmetric userinfo_signed_response_alg', { userinfo_signed_response_alg: 'HS256' }, 'invalid_client_metadata', ['userinfo_signed_response_alg']],
      ['an empty audience', { audience: [''] }, 'invalid_client_metadata', ['audience']],
      ['a NUL in client_name (PostgreSQL text cannot hold it)', { client_name: 'a\u0000b' }, 'invalid_client_metadata', ['client_name']],
      ['a NUL in owner', { owner: '\u0000' }, 'invalid_client_metadata', ['owner']],
      // Issue 12's reproduction (201 once), and the other URI fields.
      ['a NUL in a redirect_uri', { redirect_uris: ['http://127.0.0.1:9/cb\u0000x'] }, 'invalid_redirect_uri', ['redirect_uris']],
      ['a NUL in a post_logout_redirect_uri', { post_logout_redirect_uris: ['https://app.example.com/out\u0000'] }, 'invalid_client_metadata', ['post_logout_redirect_uris']],
      ['a NUL in jwks_uri', { jwks_uri: 'https://app.example.com/\u0000jwks' }, 'invalid_client_metadata', ['jwks_uri']],
      ['a control character in backchannel_logout_uri', { backchannel_logout_uri: 'https://app.example.com/bc\u0001' }, 'invalid_client_metadata', ['backchannel_logout_uri']],
      ['a NUL in an allowed_cors_origin', { allowed_cors_origins: ['https://app.example.com\u0000'] }, 'invalid_client_metadata', ['allowed_cors_origins']],
    ];

    let totalBefore: number;
    let target: Body;
    beforeAll(async () => {
      target = await create({ client_name: 'validation-target', owner: 'validation-owner', client_secret: 'target-secret' });
      totalBefore = Number((await admin().get('/admin/clients')).headers['x-total-count']);
    });

    it.each(cases)('POST refuses %s', async (_name, body, error, mentions) => {
      const id = `invalid-${randomUUID()}`;
      const res = await admin().post('/admin/clients').send({ client_id: id, ...body });
      expectAdminError(res, 400, error, mentions);
      await admin().get(`/admin/clients/${id}`).expect(404);
    });

    it.each(cases)('PUT refuses %s and leaves the client as it was', async (_name, body, error, mentions) => {
      const res = await admin().put(`/admin/clients/${target.client_id}`).send(body);
      expectAdminError(res, 400, error, mentions);
      const read = await admin().get(`/admin/clients/${target.client_id}`).expect(200);
      expect(read.body).toEqual(expect.objectContaining({ client_name: 'validation-target', owner: 'validation-owner', updated_at: target.updated_at }));
      expect(await verifies(target.client_id as string, 'target-secret')).toBe(true);
    });

    it('created no client for any refused body', async () => {
      const after = await admin().get('/admin/clients').expect(200);
      expect(Number(after.headers['x-total-count'])).toBe(totalBefore);
    });
  });

  describe('request bodies', () => {
    it('answers 400 invalid_request to malformed JSON', async () => {
      const res = await admin().post('/admin/clients').set('Content-Type', 'application/json').send('{"client_name": "x",');
      expectAdminError(res, 400, 'invalid_request');
    });

    it.each([
      ['a JSON array', '[{"client_name":"x"}]'],
      ['a JSON string', '"client"'],
      ['a JSON number', '42'],
      ['JSON null', 'null'],
    ])('answers 400 invalid_request to %s on POST and PUT', async (_name, raw) => {
      const post = await admin().post('/admin/clients').set('Content-Type', 'application/json').send(raw);
      expectAdminError(post, 400, 'invalid_request');
      const target = await create();
      const put = await admin().put(`/admin/clients/${target.client_id}`).set('Content-Type', 'application/json').send(raw);
      expectAdminError(put, 400, 'invalid_request');
    });

    it('accepts metadata nested 50 levels deep and refuses a body nested thousands deep with 400', async () => {
      const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { level: nested(depth - 1) });
      const res = await admin().post('/admin/clients').send({ metadata: nested(50) }).expect(201);
      const read = await admin().get(`/admin/clients/${res.body.client_id}`).expect(200);
      expect(read.body.metadata).toEqual(nested(50));
      const deep = `{"metadata":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
      expectAdminError(await admin().post('/admin/clients').set('Content-Type', 'application/json').send(deep), 400, 'invalid_request');
      const patch = `[{"op":"replace","path":"/metadata","value":${'['.repeat(5000)}${']'.repeat(5000)}}]`;
      expectAdminError(await admin().patch(`/admin/clients/${res.body.client_id}`).set('Content-Type', 'application/json').send(patch), 400, 'invalid_request');
    });

    describe('with SERVE_REQUEST_BODY_LIMIT=2048', () => {
      let small: TestServer;
      beforeAll(async () => {
        small = await startTestServer({ SERVE_REQUEST_BODY_LIMIT: '2048' });
      });
      afterAll(() => small?.close());

      it('answers 413 to a larger body and 201 to one within the limit', async () => {
        const big = await request(small.admin).post('/admin/clients').send({ metadata: { blob: 'x'.repeat(4096) } });
        expectAdminError(big, 413, 'request_too_large');
        const fits = await request(small.admin).post('/admin/clients').send({ metadata: { blob: 'x'.repeat(1024) } });
        expect(fits.status).toBe(201);
        const created = fits.body as Body;
        const put = await request(small.admin).put(`/admin/clients/${created.client_id}`).send({ client_name: 'y'.repeat(255), metadata: { blob: 'x'.repeat(4096) } });
        expectAdminError(put, 413, 'request_too_large');
        const patch = await request(small.admin)
          .patch(`/admin/clients/${created.client_id}`)
          .send([{ op: 'replace', path: '/metadata', value: { blob: 'x'.repeat(4096) } }]);
        expectAdminError(patch, 413, 'request_too_large');
        const read = await request(small.admin).get(`/admin/clients/${created.client_id}`).expect(200);
        expect(read.body.metadata).toEqual({ blob: 'x'.repeat(1024) });
      });
    });
  });

  describe('list', () => {
    const owner = `pager-${randomUUID()}`;
    let ids: string[];
    let odd: string[];
    beforeAll(async () => {
      ids = [];
      odd = [];
      for (let i = 0; i < 7; i++) {
        const id = (await create({ owner, client_name: i % 2 === 0 ? 'even' : 'odd' })).client_id as string;
        ids.push(id);
        if (i % 2 === 1) odd.push(id);
      }
      ids.sort();
      odd.sort();
    });

    it('walks every page through the Link header without duplicates or gaps', async () => {
      let url: string | undefined = `/admin/clients?page_size=3&owner=${owner}`;
      const seen: string[] = [];
      const pageSizes: number[] = [];
      while (url !== undefined) {
        const res: Res = await admin().get(url).expect(200);
        expect(res.headers['x-total-count']).toBe('7');
        const links = parseLinks(res.headers.link);
        expect(links.first).toBe(`/admin/clients?page_size=3&owner=${owner}`);
        pageSizes.push(res.body.length);
        seen.push(...(res.body as Body[]).map((c) => c.client_id as string));
        url = links.next;
      }
      expect(pageSizes).toEqual([3, 3, 1]);
      expect(seen).toEqual(ids);
    });

    it('keeps keyset pages stable when a client sorting before the cursor is added mid-walk', async () => {
      const keysetOwner = `keyset-${randomUUID()}`;
      const made: string[] = [];
      for (let i = 0; i < 4; i++) made.push((await create({ owner: keysetOwner, client_id: `m-${i}-${randomUUID()}` })).client_id as string);
      const first = await admin().get('/admin/clients').query({ owner: keysetOwner, page_size: 2 }).expect(200);
      await create({ owner: keysetOwner, client_id: `a-${randomUUID()}` });
      const second = await admin().get(parseLinks(first.headers.link).next).expect(200);
      const walked = [...first.body, ...second.body].map((c: Body) => c.client_id);
      expect(walked).toEqual(made.sort());
      expect(parseLinks(second.headers.link).next).toBeUndefined();
    });

    it('has rel="first" but no rel="next" on the last (or only) page', async () => {
      const res = await admin().get('/admin/clients').query({ owner, page_size: 7 }).expect(200);
      expect(res.body).toHaveLength(7);
      const links = parseLinks(res.headers.link);
      expect(Object.keys(links)).toEqual(['first']);
    });

    it('answers an empty page with X-Total-Count 0 for a filter that matches nothing', async () => {
      const res = await admin().get('/admin/clients').query({ owner: `nobody-${randomUUID()}` }).expect(200);
      expect(res.body).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
      expect(parseLinks(res.headers.link).next).toBeUndefined();
    });

    it('filters by client_name and owner, and the Link header keeps the filters', async () => {
      const res = await admin().get('/admin/clients').query({ owner, client_name: 'even', page_size: 2 }).expect(200);
      expect(res.headers['x-total-count']).toBe('4');
      expect(res.body).toHaveLength(2);
      for (const c of res.body as Body[]) expect(c).toMatchObject({ owner, client_name: 'even' });
      const next = parseLinks(res.headers.link).next;
      expect(next).toContain('client_name=even');
      expect(next).toContain(`owner=${owner}`);
      const rest = await admin().get(next).expect(200);
      expect(rest.body).toHaveLength(2);
      for (const c of rest.body as Body[]) expect(c).toMatchObject({ owner, client_name: 'even' });
      expect(parseLinks(rest.headers.link).next).toBeUndefined();

      const byName = await admin().get('/admin/clients').query({ client_name: 'odd', owner }).expect(200);
      expect((byName.body as Body[]).map((c) => c.client_id)).toEqual(odd);
      expect(byName.headers['x-total-count']).toBe('3');
    });

    it('counts every client in X-Total-Count and returns at most page_size clients', async () => {
      const all = await admin().get('/admin/clients').query({ page_size: 1000 }).expect(200);
      const total = Number(all.headers['x-total-count']);
      expect(total).toBe(all.body.length);
      const small = await admin().get('/admin/clients').query({ page_size: 2 }).expect(200);
      expect(small.body).toHaveLength(2);
      expect(small.headers['x-total-count']).toBe(String(total));
    });

    it.each([['0'], ['5000'], ['abc'], ['-1'], ['1.5']])('refuses page_size=%s with 400', async (size) => {
      const res = await admin().get('/admin/clients').query({ page_size: size });
      expectAdminError(res, 400, 'invalid_request', ['page_size']);
    });

    it.each([['!!!'], ['not a token'], ['%%%']])('refuses page_token=%s with 400', async (token) => {
      const res = await admin().get('/admin/clients').query({ page_token: token });
      expectAdminError(res, 400, 'invalid_request', ['page_token']);
    });

    it('refuses a page_token that cannot hold a client id, and an offset beyond any integer the database holds', async () => {
      // "AA" is valid base64url for a single NUL byte: well formed, but no client id looks like that.
      expectAdminError(await admin().get('/admin/clients').query({ page_token: 'AA' }), 400, 'invalid_request', ['page_token']);
      expectAdminError(await admin().get('/admin/clients').query({ offset: '100000000000000000000' }), 400, 'invalid_request', ['offset']);
    });

    it('refuses a filter holding a NUL, which no stored name or owner can have', async () => {
      expectAdminError(await admin().get('/admin/clients').query({ client_name: 'a\u0000b' }), 400, 'invalid_request');
      expectAdminError(await admin().get('/admin/clients').query({ owner: '\u0000' }), 400, 'invalid_request');
    });

    it('supports the legacy limit and offset parameters', async () => {
      const res = await admin().get('/admin/clients').query({ owner, limit: 2, offset: 3 }).expect(200);
      expect((res.body as Body[]).map((c) => c.client_id)).toEqual(ids.slice(3, 5));
      expect(res.headers['x-total-count']).toBe('7');
      const tail = await admin().get('/admin/clients').query({ owner, limit: 10, offset: 5 }).expect(200);
      expect((tail.body as Body[]).map((c) => c.client_id)).toEqual(ids.slice(5));
      expectAdminError(await admin().get('/admin/clients').query({ limit: 0 }), 400, 'invalid_request', ['limit']);
      expectAdminError(await admin().get('/admin/clients').query({ offset: -1 }), 400, 'invalid_request', ['offset']);
    });
  });

  describe('get', () => {
    it('answers 404 with the admin error JSON for an unknown client', async () => {
      const id = `unknown-${randomUUID()}`;
      const res = await admin().get(`/admin/clients/${id}`);
      expectAdminError(res, 404, 'not_found', [id]);
    });

    it('refuses an id no client can have (a NUL)', async () => {
      expectAdminError(await admin().get('/admin/clients/a%00b'), 400, 'invalid_request');
      expectAdminError(await admin().delete('/admin/clients/%00'), 400, 'invalid_request');
    });
  });

  describe('replace (PUT)', () => {
    it('replaces the metadata and keeps the secret when none is given', async () => {
      const created = await create({ client_name: 'before', owner: 'someone', audience: ['https://api.example.com'] });
      const res = await admin()
        .put(`/admin/clients/${created.client_id}`)
        .send({ client_name: 'after', redirect_uris: ['https://app.example.com/cb'] })
        .expect(200);
      expect(res.body.client_secret).toBeUndefined();
      expect(res.body).toMatchObject({ client_id: created.client_id, client_name: 'after', redirect_uris: ['https://app.example.com/cb'] });
      // A replace, not a merge: fields left out take their defaults.
      expect(res.body.owner).toBe('');
      expect(res.body.audience).toEqual([]);
      expect(res.body.created_at).toBe(created.created_at);
      expect(await verifies(created.client_id as string, created.client_secret as string)).toBe(true);
      const read = await admin().get(`/admin/clients/${created.client_id}`).expect(200);
      expect(read.body).toMatchObject({ client_name: 'after', owner: '' });
    });

    it('sets and echoes a new secret when one is given; the old one stops working', async () => {
      const created = await create();
      const res = await admin().put(`/admin/clients/${created.client_id}`).send({ client_secret: 'replacement-secret' }).expect(200);
      expect(res.body.client_secret).toBe('replacement-secret');
      expect(await verifies(created.client_id as string, 'replacement-secret')).toBe(true);
      expect(await verifies(created.client_id as string, created.client_secret as string)).toBe(false);
      const read = await admin().get(`/admin/clients/${created.client_id}`).expect(200);
      expect(read.body.client_secret).toBeUndefined();
    });

    it('issues a secret when a public client becomes confidential, and drops it the other way round', async () => {
      const pub = await create({ token_endpoint_auth_method: 'none' });
      const conf = await admin().put(`/admin/clients/${pub.client_id}`).send({ token_endpoint_auth_method: 'client_secret_post' }).expect(200);
      expect(conf.body.client_secret).toEqual(expect.any(String));
      expect(await verifies(pub.client_id as string, conf.body.client_secret)).toBe(true);
      const back = await admin().put(`/admin/clients/${pub.client_id}`).send({ token_endpoint_auth_method: 'none' }).expect(200);
      expect(back.body.client_secret).toBeUndefined();
      expect(await verifies(pub.client_id as string, conf.body.client_secret)).toBe(false);
    });

    it('refuses to change the client_id and accepts the same one', async () => {
      const created = await create({ client_name: 'fixed' });
      const other = `other-${randomUUID()}`;
      const res = await admin().put(`/admin/clients/${created.client_id}`).send({ client_id: other, client_name: 'moved' });
      expectAdminError(res, 400, 'invalid_request', ['client_id']);
      await admin().get(`/admin/clients/${other}`).expect(404);
      const read = await admin().get(`/admin/clients/${created.client_id}`).expect(200);
      expect(read.body.client_name).toBe('fixed');
      await admin().put(`/admin/clients/${created.client_id}`).send({ client_id: created.client_id, client_name: 'same' }).expect(200);
    });

    it('answers 404 for an unknown client', async () => {
      expectAdminError(await admin().put(`/admin/clients/unknown-${randomUUID()}`).send({ client_name: 'x' }), 404, 'not_found');
    });
  });

  describe('JSON Patch (PATCH)', () => {
    let target: Body;
    beforeEach(async () => {
      target = await create({ client_name: 'patch-me', redirect_uris: ['https://app.example.com/one'], metadata: { a: 1 } });
    });
    const patch = (ops: unknown, id = target.client_id as string) => admin().patch(`/admin/clients/${id}`).send(ops as object);

    it('replaces /client_name and keeps the secret and the other fields', async () => {
      const res = await patch([{ op: 'replace', path: '/client_name', value: 'patched' }]).expect(200);
      expect(res.body).toMatchObject({ client_name: 'patched', redirect_uris: ['https://app.example.com/one'], metadata: { a: 1 } });
      expect(res.body.client_secret).toBeUndefined();
      expect(await verifies(target.client_id as string, target.client_secret as string)).toBe(true);
      const read = await admin().get(`/admin/clients/${target.client_id}`).expect(200);
      expect(read.body.client_name).toBe('patched');
    });

    it('adds to /redirect_uris/- and applies several operations in order', async () => {
      const res = await patch([
        { op: 'add', path: '/redirect_uris/-', value: 'https://app.example.com/two' },
        { op: 'add', path: '/metadata/b', value: { c: [1] } },
        { op: 'remove', path: '/metadata/a' },
        { op: 'test', path: '/client_name', value: 'patch-me' },
      ]).expect(200);
      expect(res.body.redirect_uris).toEqual(['https://app.example.com/one', 'https://app.example.com/two']);
      expect(res.body.metadata).toEqual({ b: { c: [1] } });
    });

    it('accepts the application/json-patch+json media type', async () => {
      const res = await admin()
        .patch(`/admin/clients/${target.client_id}`)
        .set('Content-Type', 'application/json-patch+json')
        .send(JSON.stringify([{ op: 'replace', path: '/client_name', value: 'typed' }]))
        .expect(200);
      expect(res.body.client_name).toBe('typed');
    });

    it('sets and echoes a client_secret given through the patch', async () => {
      const res = await patch([{ op: 'add', path: '/client_secret', value: 'patched-secret' }]).expect(200);
      expect(res.body.client_secret).toBe('patched-secret');
      expect(await verifies(target.client_id as string, 'patched-secret')).toBe(true);
    });

    it.each<[string, unknown, string[]]>([
      ['a failing test operation', [{ op: 'replace', path: '/client_name', value: 'nope' }, { op: 'test', path: '/client_name', value: 'something else' }], []],
      ['an invalid op', [{ op: 'frobnicate', path: '/client_name', value: 'x' }], []],
      ['an op without a path', [{ op: 'replace', value: 'x' }], []],
      ['removing a path that does not exist', [{ op: 'remove', path: '/metadata/missing' }], []],
      ['replacing /client_id', [{ op: 'replace', path: '/client_id', value: 'new-id' }], ['client_id']],
      ['removing /client_id', [{ op: 'remove', path: '/client_id' }], ['client_id']],
      ['an object body', { op: 'replace', path: '/client_name', value: 'x' }, []],
      ['an array of non-objects', [1, 'two', null], []],
    ])('refuses %s with 400 invalid_request and changes nothing', async (_name, ops, mentions) => {
      expectAdminError(await patch(ops), 400, 'invalid_request', mentions);
      const read = await admin().get(`/admin/clients/${target.client_id}`).expect(200);
      expect(read.body).toMatchObject({ client_id: target.client_id, client_name: 'patch-me', updated_at: target.updated_at });
    });

    it.each<[string, unknown, string, string[]]>([
      ['a relative redirect URI', [{ op: 'add', path: '/redirect_uris/-', value: 'relative/cb' }], 'invalid_redirect_uri', ['redirect_uris']],
      ['an unknown grant type', [{ op: 'replace', path: '/grant_types', value: ['password'] }], 'invalid_client_metadata', ['grant_types']],
      ['skip_consent as a string', [{ op: 'replace', path: '/skip_consent', value: 'yes' }], 'invalid_client_metadata', ['skip_consent']],
      ['metadata as an array', [{ op: 'replace', path: '/metadata', value: [] }], 'invalid_client_metadata', ['metadata']],
      ['a bad lifespan', [{ op: 'replace', path: '/implicit_grant_id_token_lifespan', value: '1 hour' }], 'invalid_client_metadata', ['implicit_grant_id_token_lifespan']],
    ])('refuses a patch that makes the metadata invalid: %s', async (_name, ops, error, mentions) => {
      expectAdminError(await patch(ops), 400, error, mentions);
      const read = await admin().get(`/admin/clients/${target.client_id}`).expect(200);
      expect(read.body).toMatchObject({ client_name: 'patch-me', redirect_uris: ['https://app.example.com/one'], updated_at: target.updated_at });
    });

    it('refuses a patch that reaches for __proto__ or constructor and pollutes nothing', async () => {
      for (const path of ['/__proto__/polluted', '/constructor/prototype/polluted', '/metadata/__proto__/polluted']) {
        const res = await patch([{ op: 'add', path, value: 'yes' }]);
        expectAdminError(res, 400, 'invalid_request');
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('answers 404 for an unknown client', async () => {
      expectAdminError(await patch([{ op: 'replace', path: '/client_name', value: 'x' }], `unknown-${randomUUID()}`), 404, 'not_found');
    });
  });

  describe('delete', () => {
    it('answers 204 with no body, then 404 on read and on a second delete', async () => {
      const created = await create();
      const res = await admin().delete(`/admin/clients/${created.client_id}`).expect(204);
      expect(res.text).toBe('');
      expectAdminError(await admin().get(`/admin/clients/${created.client_id}`), 404, 'not_found');
      expectAdminError(await admin().delete(`/admin/clients/${created.client_id}`), 404, 'not_found');
    });

    it('frees the client_id for a new client', async () => {
      const id = `reuse-${randomUUID()}`;
      await create({ client_id: id, client_name: 'old' });
      await admin().delete(`/admin/clients/${id}`).expect(204);
      const again = await create({ client_id: id, client_name: 'new' });
      expect(again.client_name).toBe('new');
    });
  });

  describe('lifespans (PUT /admin/clients/{id}/lifespans)', () => {
    it('sets the thirteen lifespans, returns the client, and leaves the other fields alone', async () => {
      const created = await create({ client_name: 'lifespans', scope: 'openid' });
      const res = await admin().put(`/admin/clients/${created.client_id}/lifespans`).send(LIFESPANS).expect(200);
      expect(res.body).toMatchObject({ client_id: created.client_id, client_name: 'lifespans', scope: 'openid', ...LIFESPANS });
      expect(res.body.client_secret).toBeUndefined();
      const read = await admin().get(`/admin/clients/${created.client_id}`).expect(200);
      expect(read.body).toMatchObject(LIFESPANS);
      expect(await verifies(created.client_id as string, created.client_secret as string)).toBe(true);
    });

    it('replaces all thirteen: a lifespan left out goes back to the default (null)', async () => {
      const created = await create(LIFESPANS);
      const res = await admin()
        .put(`/admin/clients/${created.client_id}/lifespans`)
        .send({ client_credentials_grant_access_token_lifespan: '2h0m0s', client_name: 'ignored' })
        .expect(200);
      expect(res.body.client_credentials_grant_access_token_lifespan).toBe('2h0m0s');
      expect(res.body.client_name).toBe('');
      for (const field of LIFESPAN_FIELDS.filter((f) => f !== 'client_credentials_grant_access_token_lifespan')) expect(res.body[field]).toBeNull();
    });

    it('refuses a bad value with 400 naming the field, and changes nothing', async () => {
      const created = await create({ implicit_grant_access_token_lifespan: '1h0m0s' });
      const res = await admin().put(`/admin/clients/${created.client_id}/lifespans`).send({ implicit_grant_access_token_lifespan: '1 hour' });
      expectAdminError(res, 400, 'invalid_client_metadata', ['implicit_grant_access_token_lifespan']);
      const read = await admin().get(`/admin/clients/${created.client_id}`).expect(200);
      expect(read.body.implicit_grant_access_token_lifespan).toBe('1h0m0s');
      expectAdminError(await admin().put(`/admin/clients/${created.client_id}/lifespans`).send([]), 400, 'invalid_request');
    });

    it('answers 404 for an unknown client', async () => {
      expectAdminError(await admin().put(`/admin/clients/unknown-${randomUUID()}/lifespans`).send(LIFESPANS), 404, 'not_found');
    });
  });

  describe('secret rotation', () => {
    it('issues a new secret while the old one keeps working, until the old ones are dropped', async () => {
      const created = await create();
      const id = created.client_id as string;
      const oldSecret = created.client_secret as string;
      const rotated = await admin().post(`/admin/clients/${id}/secrets/rotate`).expect(200);
      expect(rotated.body.client_id).toBe(id);
      expect(rotated.body.client_secret).toEqual(expect.any(String));
      expect(rotated.body.client_secret).not.toBe(oldSecret);
      const newSecret = rotated.body.client_secret as string;
      expect(await verifies(id, oldSecret)).toBe(true);
      expect(await verifies(id, newSecret)).toBe(true);

      const read = await admin().get(`/admin/clients/${id}`).expect(200);
      expect(read.body.client_secret).toBeUndefined();
      expect(JSON.stringify(read.body)).not.toContain(newSecret);

      const dropped = await admin().delete(`/admin/clients/${id}/secrets/rotate`).expect(204);
      expect(dropped.text).toBe('');
      expect(await verifies(id, oldSecret)).toBe(false);
      expect(await verifies(id, newSecret)).toBe(true);
    });

    it('keeps at most five previous secrets working', async () => {
      const created = await create({ client_secret: 'the-very-first-secret' });
      const id = created.client_id as string;
      const secrets = ['the-very-first-secret'];
      for (let i = 0; i < 6; i++) secrets.push((await admin().post(`/admin/clients/${id}/secrets/rotate`).expect(200)).body.client_secret);
      const results = await Promise.all(secrets.map((s) => verifies(id, s)));
      expect(results).toEqual([false, true, true, true, true, true, true]);
    });

    it('keeps the rotated secrets through a PUT that sets no secret', async () => {
      const created = await create();
      const id = created.client_id as string;
      const rotated = await admin().post(`/admin/clients/${id}/secrets/rotate`).expect(200);
      await admin().put(`/admin/clients/${id}`).send({ client_name: 'renamed' }).expect(200);
      expect(await verifies(id, created.client_secret as string)).toBe(true);
      expect(await verifies(id, rotated.body.client_secret)).toBe(true);
    });

    it('refuses to rotate the secret of a public client', async () => {
      const pub = await create({ token_endpoint_auth_method: 'none' });
      expectAdminError(await admin().post(`/admin/clients/${pub.client_id}/secrets/rotate`), 400, 'invalid_request', ['none']);
    });

    it('answers 404 for an unknown client', async () => {
      expectAdminError(await admin().post(`/admin/clients/unknown-${randomUUID()}/secrets/rotate`), 404, 'not_found');
      expectAdminError(await admin().delete(`/admin/clients/unknown-${randomUUID()}/secrets/rotate`), 404, 'not_found');
    });
  });

  describe('legacy paths without /admin', () => {
    it('serves create, read, list, replace, patch, lifespans, rotation and delete at /clients', async () => {
      const owner = `legacy-${randomUUID()}`;
      const created = await admin().post('/clients').send({ client_name: 'legacy', owner }).expect(201);
      const id = created.body.client_id as string;
      expect(id).toMatch(UUID_V4);
      expect(created.body.client_secret).toEqual(expect.any(String));

      const read = await admin().get(`/clients/${id}`).expect(200);
      expect(read.body).toMatchObject({ client_id: id, client_name: 'legacy', owner });
      expect(read.body.client_secret).toBeUndefined();

      const list = await admin().get('/clients').query({ owner, page_size: 1 }).expect(200);
      expect((list.body as Body[]).map((c) => c.client_id)).toEqual([id]);
      expect(parseLinks(list.headers.link).first).toBe(`/clients?page_size=1&owner=${owner}`);

      await admin().put(`/clients/${id}`).send({ client_name: 'legacy-put', owner }).expect(200);
      const patched = await admin().patch(`/clients/${id}`).send([{ op: 'replace', path: '/client_name', value: 'legacy-patch' }]).expect(200);
      expect(patched.body.client_name).toBe('legacy-patch');
      const lifespans = await admin().put(`/clients/${id}/lifespans`).send({ implicit_grant_id_token_lifespan: '5m0s' }).expect(200);
      expect(lifespans.body.implicit_grant_id_token_lifespan).toBe('5m0s');
      const rotated = await admin().post(`/clients/${id}/secrets/rotate`).expect(200);
      expect(await verifies(id, rotated.body.client_secret)).toBe(true);

      const adminRead = await admin().get(`/admin/clients/${id}`).expect(200);
      expect(adminRead.body.client_name).toBe('legacy-patch');

      await admin().delete(`/clients/${id}`).expect(204);
      expectAdminError(await admin().get(`/clients/${id}`), 404, 'not_found');
    });
  });

  describe('SERVE_ADMIN_API_KEYS', () => {
    const FIRST_KEY = 'first-admin-key-0123456789';
    const SECOND_KEY = 'second-admin-key-0123456789';
    let guarded: TestServer;
    beforeAll(async () => {
      guarded = await startTestServer({ SERVE_ADMIN_API_KEYS: `${FIRST_KEY},${SECOND_KEY}` });
    });
    afterAll(() => guarded?.close());

    function expectUnauthorized(res: Res): void {
      expectAdminError(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/);
    }

    it('refuses a request without a key, with a wrong key or another scheme, on every client route', async () => {
      const g = () => request(guarded.admin);
      expectUnauthorized(await g().get('/admin/clients'));
      expectUnauthorized(await g().post('/admin/clients').send({}));
      expectUnauthorized(await g().get('/admin/clients').set('Authorization', 'Bearer wrong-key'));
      expectUnauthorized(await g().get('/admin/clients').set('Authorization', `Bearer ${FIRST_KEY}x`));
      expectUnauthorized(await g().get('/admin/clients').set('Authorization', `Basic ${Buffer.from(`${FIRST_KEY}:`).toString('base64')}`));
      expectUnauthorized(await g().get('/admin/clients').set('Authorization', FIRST_KEY));
      expectUnauthorized(await g().get('/admin/clients').set('Authorization', 'Bearer '));
      expectUnauthorized(await g().get('/clients'));
      expectUnauthorized(await g().delete('/admin/clients/some-id'));
      expectUnauthorized(await g().get('/admin/does-not-exist'));
      const list = await g().get('/admin/clients').set('Authorization', `Bearer ${FIRST_KEY}`).expect(200);
      expect(list.body).toEqual([]);
    });

    it('accepts any configured key', async () => {
      const g = () => request(guarded.admin);
      const created = await g().post('/admin/clients').set('Authorization', `Bearer ${FIRST_KEY}`).send({ client_name: 'keyed' }).expect(201);
      const read = await g().get(`/admin/clients/${created.body.client_id}`).set('Authorization', `bearer ${SECOND_KEY}`).expect(200);
      expect(read.body.client_name).toBe('keyed');
      await g().get(`/clients/${created.body.client_id}`).set('Authorization', `Bearer ${SECOND_KEY}`).expect(200);
    });

    it('serves /health/alive without a key', async () => {
      await request(guarded.admin).get('/health/alive').expect(200);
    });
  });

  describe('hostile input never causes a 500', () => {
    const nest = (depth: number, leaf = '1') => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
    const nestArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const FIELDS = Object.keys(fullClient());
    const everyField = (value: unknown) => JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, value])));

    const HOSTILE: Array<[string, string]> = [
      ['null', 'null'],
      ['a number', '42'],
      ['a huge number', '1e400'],
      ['true', 'true'],
      ['a string', '"client"'],
      ['an empty body', ''],
      ['an empty object', '{}'],
      ['an empty array', '[]'],
      ['an array of nulls', '[null, null]'],
      ['an array of arrays', '[[], [[]]]'],
      ['deep nesting under an unknown key', `{"x":${nest(5000)}}`],
      ['deep nesting in metadata', `{"metadata":${nest(5000)}}`],
      ['very deep nesting in metadata', `{"metadata":${nest(50000)}}`],
      ['deep arrays', nestArray(100000)],
      ['deep arrays in metadata', `{"metadata":{"a":${nestArray(50000)}}}`],
      ['deep nesting in a jwk', `{"jwks":{"keys":[{"kty":"EC","x":${nest(5000)}}]}}`],
      ['a huge client_name', JSON.stringify({ client_name: 'a'.repeat(400_000) })],
      ['a huge client_id', JSON.stringify({ client_id: 'a'.repeat(400_000) })],
      ['a huge owner', JSON.stringify({ owner: 'o'.repeat(400_000) })],
      ['a huge metadata string', JSON.stringify({ metadata: { s: 'a'.repeat(400_000) } })],
      ['a huge redirect URI', JSON.stringify({ redirect_uris: [`https://app.example.com/${'a'.repeat(400_000)}`] })],
      ['a huge scope token', JSON.stringify({ scope: 's'.repeat(400_000) })],
      ['many scope tokens', JSON.stringify({ scope: Array(100_000).fill('s').join(' ') })],
      ['many redirect URIs', JSON.stringify({ redirect_uris: Array.from({ length: 10_000 }, (_, i) => `https://app.example.com/${i}`) })],
      ['a huge secret', JSON.stringify({ client_secret: 's'.repeat(400_000) })],
      ['a huge lifespan', JSON.stringify({ authorization_code_grant_access_token_lifespan: `${'9'.repeat(400)}h` })],
      [
        'unicode everywhere',
        JSON.stringify({
          client_name: '名前 🚀 \u202e مرحبا',
          owner: 'Ünïcödé',
          scope: 'ß 🚀',
          redirect_uris: ['https://例え.jp/コールバック'],
          metadata: { ключ: 'значение', '🚀': ['✓'] },
          contacts: ['ü@例え.jp'],
          audience: ['urn:例え'],
        }),
      ],
      ['a unicode client_id', JSON.stringify({ client_id: 'clïent-🚀' })],
      ['lone surrogates', '{"client_name":"\\ud800","owner":"\\udfff","metadata":{"\\ud800":"\\udc00"}}'],
      ['NUL characters', JSON.stringify({ client_name: 'a\u0000b', owner: '\u0000', metadata: { '\u0000': '\u0000' } })],
      ['a NUL in a redirect URI', JSON.stringify({ redirect_uris: ['https://app.example.com/\u0000'] })],
      ['a NUL in client_id', JSON.stringify({ client_id: 'a\u0000b' })],
      ['control characters', JSON.stringify({ client_name: '\u0001\u0008\u001b[31m\r\n', scope: 'a\tb' })],
      ['__proto__ at the top', '{"__proto__":{"x":1,"client_name":"polluted","token_endpoint_auth_method":"none"}}'],
      ['__proto__ in metadata', '{"metadata":{"__proto__":{"x":1}}}'],
      ['__proto__ in a jwk', '{"jwks":{"keys":[{"kty":"EC","__proto__":{"d":"secret"}}]}}'],
      ['constructor', '{"constructor":{}}'],
      ['constructor.prototype', '{"constructor":{"prototype":{"x":1}}}'],
      ['prototype', '{"prototype":{"x":1}}'],
      ['Object.prototype method names', '{"toString":"x","hasOwnProperty":1,"valueOf":null,"__defineGetter__":{}}'],
      ['duplicate keys', '{"client_name":"a","client_name":{"x":1}}'],
      ['every field an object', everyField({})],
      ['every field a number', everyField(1)],
      ['every field true', everyField(true)],
      ['every field an array of junk', everyField([1, null, {}, [], 'x'])],
      ['every field null', everyField(null)],
      ['every field an empty string', everyField('')],
      ['jwks keys not an array', '{"jwks":{"keys":"x"}}'],
      ['jwks keys of junk', '{"jwks":{"keys":[null, 1, "x", []]}}'],
      ['a jwk with a numeric kty', '{"jwks":{"keys":[{"kty":1}]}}'],
      ['broken URLs', JSON.stringify({ redirect_uris: ['http://[::1', 'http://%zz', '::'], jwks_uri: 'https://[', client_uri: 'http://' })],
      ['broken origins', JSON.stringify({ allowed_cors_origins: ['null', 'file://', 'https://', 'https://a.example.com:99999'] })],
      ['response types with extra spaces', JSON.stringify({ response_types: [' code ', 'code  id_token', ''] })],
    ];

    let victim: Body;
    beforeAll(async () => {
      victim = await create({ client_name: 'victim' });
    });

    async function sweep(send: (raw: string) => Promise<Res>): Promise<void> {
      const failures: string[] = [];
      for (const [name, raw] of HOSTILE) {
        const res = await send(raw);
        if (res.status >= 500) failures.push(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
        else if (res.status >= 400 && (typeof res.body?.error !== 'string' || res.body.status_code !== res.status)) {
          failures.push(`${name}: ${res.status} without the admin error JSON`);
        }
      }
      expect(failures).toEqual([]);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
      expect(({} as Record<string, unknown>).client_name).toBeUndefined();
    }

    const json = (req: request.Test, raw: string) => req.set('Content-Type', 'application/json').send(raw);

    it('POST /admin/clients', async () => {
      await sweep((raw) => json(admin().post('/admin/clients'), raw));
    });

    it('PUT /admin/clients/{id}', async () => {
      await sweep((raw) => json(admin().put(`/admin/clients/${victim.client_id}`), raw));
    });

    it('PUT /admin/clients/{id}/lifespans', async () => {
      await sweep((raw) => json(admin().put(`/admin/clients/${victim.client_id}/lifespans`), raw));
    });

    it('PATCH /admin/clients/{id} with each body as the document and as the value of an operation', async () => {
      await sweep((raw) => json(admin().patch(`/admin/clients/${victim.client_id}`), raw));
      await sweep((raw) => json(admin().patch(`/admin/clients/${victim.client_id}`), `[{"op":"replace","path":"/metadata","value":${raw || 'null'}}]`));
      await sweep((raw) => json(admin().patch(`/admin/clients/${victim.client_id}`), `[{"op":"add","path":"/redirect_uris/-","value":${raw || 'null'}}]`));
    });

    it('PATCH with hostile operations', async () => {
      const ops: unknown[] = [
        [{ op: 'add', path: '/__proto__/x', value: 1 }],
        [{ op: 'add', path: '/constructor/prototype/x', value: 1 }],
        [{ op: 'replace', path: '/metadata/__proto__', value: { x: 1 } }],
        [{ op: 'copy', from: '/metadata', path: '/metadata/inner' }],
        [{ op: 'move', from: '/metadata', path: '/metadata/inner' }],
        [{ op: 'move', from: '/missing', path: '/client_name' }],
        [{ op: 'add', path: '/metadata/a/b/c', value: 1 }],
        [{ op: 'add', path: 'no-slash', value: 1 }],
        [{ op: 'add', path: '/redirect_uris/999', value: 'https://a.example.com' }],
        [{ op: 'add', path: '/redirect_uris/-1', value: 'https://a.example.com' }],
        [{ op: 'remove', path: '/' }],
        [{ op: 'replace', path: '', value: { client_name: 'whole' } }],
        [{ op: 'replace', path: '', value: 'not an object' }],
        [{ op: 'replace', path: '', value: null }],
        [{ op: 'test', path: '/metadata', value: { x: { y: 1 } } }],
        [{ op: 'add', path: '/redirect_uris/~2', value: 'x' }],
        [{ op: 'add' }],
        [{}],
        [{ op: 'add', path: 1, value: 1 }],
        [{ op: 'add', path: '/client_name', value: undefined }],
        Array.from({ length: 5000 }, () => ({ op: 'test', path: '/client_name', value: 'victim' })),
      ];
      const failures: string[] = [];
      for (const op of ops) {
        const res = await admin().patch(`/admin/clients/${victim.client_id}`).send(op as object);
        if (res.status >= 500) failures.push(`${JSON.stringify(op).slice(0, 120)}: ${res.status}`);
      }
      expect(failures).toEqual([]);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });

    it('hostile ids and query parameters', async () => {
      const requests: Array<[string, () => request.Test]> = [];
      for (const id of ['%00', 'a%00b', '%E0%A4%A', '..%2F..%2Fetc', 'x'.repeat(5000), '%F0%9F%9A%80', '__proto__', 'constructor']) {
        requests.push([`GET ${id.slice(0, 20)}`, () => admin().get(`/admin/clients/${id}`)]);
        requests.push([`PUT ${id.slice(0, 20)}`, () => admin().put(`/admin/clients/${id}`).send({})]);
        requests.push([`PATCH ${id.slice(0, 20)}`, () => admin().patch(`/admin/clients/${id}`).send([])]);
        requests.push([`DELETE ${id.slice(0, 20)}`, () => admin().delete(`/admin/clients/${id}`)]);
        requests.push([`lifespans ${id.slice(0, 20)}`, () => admin().put(`/admin/clients/${id}/lifespans`).send({})]);
        requests.push([`rotate ${id.slice(0, 20)}`, () => admin().post(`/admin/clients/${id}/secrets/rotate`)]);
      }
      for (const query of [
        'page_token=AA',
        'page_token=AAAA',
        'page_token=_-_-',
        `page_token=${'A'.repeat(5000)}`,
        'client_name=%00',
        'owner=a%00b',
        'client_name=a&client_name=b',
        'page_size=1&page_size=2',
        'page_size[]=1',
        'page_size=1e400',
        'page_size=Infinity',
        'page_size=0x10',
        'offset=100000000000000000000',
        'offset=9007199254740993',
        'limit=1&offset=1e20',
        'client_name=%E0%A4%A',
        `owner=${'o'.repeat(5000)}`,
      ]) {
        requests.push([`list ?${query.slice(0, 40)}`, () => admin().get(`/admin/clients?${query}`)]);
      }
      const failures: string[] = [];
      for (const [name, send] of requests) {
        const res = await send();
        if (res.status >= 500) failures.push(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      expect(failures).toEqual([]);
    });

    it('still serves the victim client, unchanged where no request succeeded', async () => {
      await request(server.admin).get('/health/alive').expect(200);
      const read = await admin().get(`/admin/clients/${victim.client_id}`).expect(200);
      expect(read.body.client_id).toBe(victim.client_id);
    });
  });
});
