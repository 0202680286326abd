import request, { Response } from 'supertest';
import { startTestServer, TestServer } from './support/test-runtime';

/**
 * Issue 15, rows 7, 10 and 14, as they were reproduced on the landed code:
 * - row 7: an anonymous registration got `client_credentials`, any scope and an internal audience;
 * - row 10: a CRLF header injection, `file:`, `blob:`, userinfo and plain http to a public host were
 *   accepted as client URIs;
 * - row 14: the registration limit gave every IPv6 address of a /64 a fresh budget, and `PUT` was not limited.
 * (The counter flush of row 14 belongs to the rate limiter's own spec.)
 */

const REDIRECT = 'https://rp.example.com/cb';
const OPEN = { OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true', OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT: '0' };
const ENDPOINTS = ['/oauth2/register', '/connect/register'];

function expectOAuthError(res: Response, status: number, error: string, mentions: string[] = []): void {
  expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
  for (const text of mentions) expect(res.body.error_description).toContain(text);
}

async function clientNames(server: TestServer): Promise<string[]> {
  const listed = await request(server.admin).get('/admin/clients').query({ page_size: 500 }).expect(200);
  return (listed.body as Array<{ client_name: string }>).map((c) => c.client_name);
}

describe('row 7: open registration grants only what the operator allows', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(OPEN);
  });
  afterAll(() => server?.close());

  it.each(ENDPOINTS)('%s refuses the reproduction: client_credentials, "admin:all payments.write" and an internal audience', async (path) => {
    const res = await request(server.public).post(path).send({
      client_name: `row7-${path}`,
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'client_credentials'],
      scope: 'admin:all payments.write',
      audience: ['https://internal-api.example'],
    });
    expectOAuthError(res, 400, 'invalid_client_metadata');
    expect(await clientNames(server)).not.toContain(`row7-${path}`);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['client_credentials', { grant_types: ['client_credentials'] }, 'grant_types', 'client_credentials'],
    ['the jwt-bearer grant', { grant_types: ['urn:ietf:params:oauth:grant-type:jwt-bearer'] }, 'grant_types', 'jwt-bearer'],
    ['the implicit grant', { grant_types: ['implicit'], response_types: ['id_token'] }, 'grant_types', 'implicit'],
    ['a scope outside the default scope', { scope: 'openid admin:all' }, 'scope', 'admin:all'],
    ['a scope that extends an allowed one', { scope: 'openid.admin' }, 'scope', 'openid.admin'],
    ['any audience (none is allowed by default)', { audience: ['https://internal-api.example'] }, 'audience', 'https://internal-api.example'],
  ])('refuses %s with 400 invalid_client_metadata naming the field', async (_, extra, field, value) => {
    for (const path of ENDPOINTS) {
      const res = await request(server.public).post(path).send({ client_name: 'row7-field', redirect_uris: [REDIRECT], ...extra });
      expectOAuthError(res, 400, 'invalid_client_metadata', [`"${field}"`, value]);
    }
    expect(await clientNames(server)).not.toContain('row7-field');
  });

  it('registers within the defaults: authorization_code, refresh_token and the default scope', async () => {
    const res = await request(server.public)
      .post('/oauth2/register')
      .send({ redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid offline_access' })
      .expect(201);
    expect(res.body.grant_types).toEqual(['authorization_code', 'refresh_token']);
    expect(res.body.audience).toEqual([]);
  });

  it.each(ENDPOINTS)('%s refuses an update that widens the grant, and changes nothing', async (path) => {
    const created = (await request(server.public).post(path).send({ client_name: 'row7-update', redirect_uris: [REDIRECT] }).expect(201)).body;
    const url = `${path}/${created.client_id}`;
    const bearer = { Authorization: `Bearer ${created.registration_access_token}` };
    for (const extra of [{ grant_types: ['authorization_code', 'client_credentials'] }, { scope: 'openid payments.write' }, { audience: ['https://internal-api.example'] }]) {
      const res = await request(server.public).put(url).set(bearer).send({ client_id: created.client_id, redirect_uris: [REDIRECT], ...extra });
      expectOAuthError(res, 400, 'invalid_client_metadata', [`"${Object.keys(extra)[0]}"`]);
    }
    const stored = (await request(server.admin).get(`/admin/clients/${created.client_id}`).expect(200)).body;
    expect(stored.grant_types).toEqual(['authorization_code']);
    expect(stored.audience).toEqual([]);
    expect(stored.scope.split(' ').sort()).toEqual(['offline', 'offline_access', 'openid']);
  });
});

describe('row 7: an operator may allow more', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      ...OPEN,
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_SCOPE: 'openid,payments.read',
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_GRANT_TYPES: 'authorization_code,refresh_token,client_credentials',
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_AUDIENCE: 'https://api.example.com/',
    });
  });
  afterAll(() => server?.close());

  it('registers what is listed, and the client obtains a token with it', async () => {
    const created = await request(server.public)
      .post('/oauth2/register')
      .send({ grant_types: ['client_credentials'], scope: 'payments.read', audience: ['https://api.example.com/'] })
      .expect(201);
    const token = await request(server.public)
      .post('/oauth2/token')
      .auth(created.body.client_id, created.body.client_secret)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: 'payments.read', audience: 'https://api.example.com/' })
      .expect(200);
    const introspected = await request(server.admin).post('/admin/oauth2/introspect').type('form').send({ token: token.body.access_token }).expect(200);
    expect(introspected.body).toMatchObject({ active: true, scope: 'payments.read', aud: ['https://api.example.com/'] });
  });

  it('still refuses what is not listed', async () => {
    const res = await request(server.public).post('/oauth2/register').send({ grant_types: ['client_credentials'], scope: 'payments.write' });
    expectOAuthError(res, 400, 'invalid_client_metadata', ['"scope"', 'payments.write']);
  });
});

describe('row 10: client URIs are what they say', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(OPEN);
  });
  afterAll(() => server?.close());

  const register = (body: Record<string, unknown>) => request(server.public).post('/oauth2/register').send({ client_name: 'row10', ...body });

  it.each<[string, string, string]>([
    ['a CRLF header injection', 'https://app.example/cb\r\nSet-Cookie: session=attacker', 'control characters'],
    ['file:', 'file:///etc/passwd', '"file:" scheme'],
    ['blob:', 'blob:https://app.example/5d8a1f6e-0c3b-4b1e-9d7a-2f4e6c8b1a3d', '"blob:" scheme'],
    ['about:', 'about:blank', '"about:" scheme'],
    ['userinfo', 'https://user:pass@app.example/cb', 'user name or password'],
    ['userinfo that reads as another host', 'https://rp.example.com@evil.example/cb', 'user name or password'],
    ['plain http to a public host', 'http://app.example/cb', '--dev'],
    ['a private-use scheme without a dot', 'myapp://cb', 'RFC 8252'],
    ['no root path', 'https://app.example', 'register "https://app.example/"'],
    ['an upper-case host', 'https://APP.example/cb', 'register "https://app.example/cb"'],
    ['the default port', 'https://app.example:443/cb', 'register "https://app.example/cb"'],
    ['dot segments', 'https://app.example/x/../cb', 'register "https://app.example/cb"'],
  ])('refuses a redirect URI with %s (400 invalid_redirect_uri)', async (_, uri, reason) => {
    const res = await register({ redirect_uris: [REDIRECT, uri] });
    expectOAuthError(res, 400, 'invalid_redirect_uri', ['"redirect_uris"', reason]);
    expect(res.body.error_description).not.toContain('pass@');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it.each([
    'post_logout_redirect_uris',
    'client_uri',
    'logo_uri',
    'policy_uri',
    'tos_uri',
    'jwks_uri',
    'sector_identifier_uri',
    'request_uris',
    'frontchannel_logout_uri',
    'backchannel_logout_uri',
    'allowed_cors_origins',
  ])('refuses control characters and userinfo in %s (400 invalid_client_metadata)', async (field) => {
    const value = (uri: string) => (field.endsWith('s') ? [uri] : uri);
    for (const [uri, reason] of [
      ['https://app.example/x\r\nSet-Cookie: a=b', 'control characters'],
      ['https://app.example/x\u007f', 'control characters'],
      ['https://user:pass@app.example/x', 'user name or password'],
    ]) {
      const res = await register({ redirect_uris: [REDIRECT], [field]: value(uri) });
      expectOAuthError(res, 400, 'invalid_client_metadata', [`"${field}"`, reason]);
    }
  });

  it('refuses them at the admin API too', async () => {
    for (const uri of ['http://app.example/cb', 'https://app.example', 'file:///etc/passwd', 'https://app.example/cb\r\nX: y']) {
      const res = await request(server.admin).post('/admin/clients').send({ redirect_uris: [uri] });
      expect(res.body).toEqual({ error: 'invalid_redirect_uri', error_description: expect.stringContaining('"redirect_uris"'), status_code: 400 });
    }
    expect(await clientNames(server)).toEqual([]);
  });

  it('registers https, loopback http and a reverse-domain scheme exactly as written', async () => {
    const uris = ['https://app.example/cb?tenant=1', 'http://127.0.0.1:51004/cb', 'http://[::1]:8080/cb', 'http://localhost:3000/cb', 'com.example.app:/oauth2redirect'];
    const res = await register({ redirect_uris: uris, post_logout_redirect_uris: ['https://app.example/bye'], client_uri: 'https://app.example/' }).expect(201);
    const stored = (await request(server.admin).get(`/admin/clients/${res.body.client_id}`).expect(200)).body;
    expect(stored.redirect_uris).toEqual(uris);
    expect(stored.client_uri).toBe('https://app.example/');
  });
});

describe('row 10: plain http to a public host with --dev', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(OPEN, { dev: true });
  });
  afterAll(() => server?.close());

  it('is allowed, at registration and at the admin API', async () => {
    await request(server.public).post('/oauth2/register').send({ redirect_uris: ['http://app.example/cb'] }).expect(201);
    await request(server.admin).post('/admin/clients').send({ redirect_uris: ['http://app.example/cb'] }).expect(201);
  });

  it('does not allow the rest', async () => {
    for (const uri of ['file:///etc/passwd', 'http://u:p@app.example/cb', 'http://app.example', 'http://app.example/cb\r\nX: y']) {
      expectOAuthError(await request(server.public).post('/oauth2/register').send({ redirect_uris: [uri] }), 400, 'invalid_redirect_uri');
    }
  });
});

describe('row 14: the registration limit counts networks, and updates', () => {
  const LIMIT = 3;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
      OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT: String(LIMIT),
      // A window of a year: the fixed window cannot roll over while the test runs.
      OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT_WINDOW: '8760h',
      // Each test speaks from addresses of its own.
      SERVE_TRUST_PROXY: 'true',
    });
  });
  afterAll(() => server?.close());

  const register = (from: string, path = '/oauth2/register') =>
    request(server.public).post(path).set('X-Forwarded-For', from).send({ client_name: `from ${from}`, redirect_uris: [REDIRECT] });

  it('counts every address of an IPv6 /64 against one budget', async () => {
    for (const from of ['2001:db8:a:b::1', '2001:db8:a:b::2', '2001:db8:a:b:1234:5678:9abc:def0']) await register(from).expect(201);
    expectOAuthError(await register('2001:db8:a:b:ffff:ffff:ffff:fffe'), 429, 'too_many_requests');
    expectOAuthError(await register('2001:db8:a:b::99', '/connect/register'), 429, 'too_many_requests');
    // The next /64 has a budget of its own.
    await register('2001:db8:a:c::1').expect(201);
  });

  it('counts an IPv4-mapped IPv6 address as the IPv4 address', async () => {
    await register('::ffff:198.51.100.7').expect(201);
    await register('198.51.100.7').expect(201);
    await register('::ffff:198.51.100.7').expect(201);
    expectOAuthError(await register('198.51.100.7'), 429, 'too_many_requests');
  });

  it('limits PUT like POST, in a bucket of its own, at both paths', async () => {
    let current = (await register('192.0.2.50').expect(201)).body as { client_id: string; registration_access_token: string };
    const update = (path: string, name: string) =>
      request(server.public)
        .put(`${path}/${current.client_id}`)
        .set('X-Forwarded-For', '2001:db8:e:f::1')
        .set('Authorization', `Bearer ${current.registration_access_token}`)
        .send({ client_id: current.client_id, client_name: name, redirect_uris: [REDIRECT] });
    for (let i = 0; i < LIMIT; i++) {
      const res = await update(i % 2 === 0 ? '/oauth2/register' : '/connect/register', `update ${i}`).expect(200);
      current = { ...current, registration_access_token: res.body.registration_access_token };
    }
    expectOAuthError(await update('/oauth2/register', 'one too many'), 429, 'too_many_requests');
    expectOAuthError(await update('/connect/register', 'one too many'), 429, 'too_many_requests');
    // Another address of the same /64 shares the budget.
    const sibling = await request(server.public)
      .put(`/oauth2/register/${current.client_id}`)
      .set('X-Forwarded-For', '2001:db8:e:f:aaaa::2')
      .set('Authorization', `Bearer ${current.registration_access_token}`)
      .send({ client_id: current.client_id, client_name: 'from the same /64', redirect_uris: [REDIRECT] });
    expectOAuthError(sibling, 429, 'too_many_requests');
    // A refused update changed nothing.
    const stored = (await request(server.admin).get(`/admin/clients/${current.client_id}`).expect(200)).body;
    expect(stored.client_name).toBe(`update ${LIMIT - 1}`);
    // Updates did not use up the registrations of that network.
    await register('2001:db8:e:f::1').expect(201);
  });

  it('counts an update before it checks the credentials', async () => {
    const created = (await register('192.0.2.70').expect(201)).body as { client_id: string };
    const guess = () =>
      request(server.public)
        .put(`/connect/register/${created.client_id}?client_secret=guess`)
        .set('X-Forwarded-For', '192.0.2.80')
        .send({ client_id: created.client_id, redirect_uris: [REDIRECT] });
    for (let i = 0; i < LIMIT; i++) expect((await guess()).status).toBe(401);
    expectOAuthError(await guess(), 429, 'too_many_requests');
  });
});
