import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import request, { Response } from 'supertest';
import { baseUrl, startTestServer, TestServer } from './support/test-runtime';

/**
 * The token endpoint (public port) and introspection (admin port) are served by fast routes ahead of Nest
 * (libs/core/src/http/fast-routes.ts). Hostile and malformed requests must get the same well-formed
 * errors as anywhere else on their port, and never a 5xx.
 */

const FORM = 'application/x-www-form-urlencoded';

/** RFC 6749 §5.2 on the public port: error + error_description, not cacheable. */
function expectPublicError(res: Response, status: number, error?: string): void {
  expect({ status: res.status, text: res.text }).toEqual({ status, text: expect.any(String) });
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers['cache-control']).toBe('no-store');
  expect(typeof res.body.error).toBe('string');
  expect(typeof res.body.error_description).toBe('string');
  expect(res.body.error_description.length).toBeGreaterThan(0);
  if (error) expect(res.body.error).toBe(error);
}

/** Hydra's genericError on the admin port: error, error_description, status_code. */
function expectAdminError(res: Response, status: number, error?: string): void {
  expect({ status: res.status, text: res.text }).toEqual({ status, text: expect.any(String) });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(typeof res.body.error).toBe('string');
  expect(typeof res.body.error_description).toBe('string');
  expect(res.body.error_description.length).toBeGreaterThan(0);
  expect(res.body.status_code).toBe(status);
  if (error) expect(res.body.error).toBe(error);
}

interface Creds {
  id: string;
  secret: string;
}

async function createClient(server: TestServer, body: Record<string, unknown> = {}, adminKey?: string): Promise<Creds> {
  const req = request(server.admin).post('/admin/clients');
  if (adminKey) req.set('Authorization', `Bearer ${adminKey}`);
  const res = await req.send({ grant_types: ['client_credentials'], scope: 'read write', audience: ['https://api.example.com'], ...body }).expect(201);
  return { id: res.body.client_id as string, secret: res.body.client_secret as string };
}

async function issueToken(server: TestServer, client: Creds, scope = 'read'): Promise<string> {
  const res = await request(server.public).post('/oauth2/token').type('form').auth(client.id, client.secret).send({ grant_type: 'client_credentials', scope }).expect(200);
  return res.body.access_token as string;
}

describe('fast routes: token endpoint and introspection under hostile input', () => {
  let server: TestServer;
  let client: Creds;
  let postClient: Creds;
  let allGrantsClient: Creds;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    client = await createClient(server);
    postClient = await createClient(server, { token_endpoint_auth_method: 'client_secret_post' });
    allGrantsClient = await createClient(server, {
      grant_types: ['client_credentials', 'refresh_token', 'authorization_code'],
      response_types: ['code'],
      redirect_uris: ['https://a.example/cb'],
    });
    token = await issueToken(server, client);
  });
  afterAll(() => server.close());

  const tokenPost = (path = '/oauth2/token') => request(server.public).post(path);
  const introspectPost = (path = '/admin/oauth2/introspect') => request(server.admin).post(path);

  describe('POST /oauth2/token', () => {
    it('serves a well-formed request (control), with no-store and JSON', async () => {
      const res = await tokenPost().type('form').auth(client.id, client.secret).send({ grant_type: 'client_credentials' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers.pragma).toBe('no-cache');
      expect(res.body.access_token).toMatch(/^hy_at_/);
    });

    it('refuses a JSON body with 400 invalid_request', async () => {
      const res = await tokenPost().auth(client.id, client.secret).send({ grant_type: 'client_credentials' });
      expectPublicError(res, 400, 'invalid_request');
    });

    it('refuses a text/plain body, and a body without Content-Type, with 400 invalid_request', async () => {
      expectPublicError(await tokenPost().set('Content-Type', 'text/plain').auth(client.id, client.secret).send('grant_type=client_credentials'), 400, 'invalid_request');
      expectPublicError(await tokenPost().auth(client.id, client.secret), 400, 'invalid_request');
    });

    it('refuses charset=latin1 (and iso-8859-1) with 415 unsupported_media_type', async () => {
      for (const charset of ['latin1', 'iso-8859-1']) {
        const res = await tokenPost().set('Content-Type', `${FORM}; charset=${charset}`).auth(client.id, client.secret).send('grant_type=client_credentials');
        expectPublicError(res, 415, 'unsupported_media_type');
      }
    });

    it('accepts charset=UTF-8 in any case', async () => {
      await tokenPost().set('Content-Type', `${FORM}; charset=UTF-8`).auth(client.id, client.secret).send('grant_type=client_credentials').expect(200);
    });

    it('refuses a gzip Content-Encoding with 415 unsupported_media_type', async () => {
      const res = await tokenPost().type('form').set('Content-Encoding', 'gzip').auth(client.id, client.secret).send(gzipSync('grant_type=client_credentials'));
      expectPublicError(res, 415, 'unsupported_media_type');
    });

    it('still serves the endpoint with a query string on the URL (which is not read as parameters)', async () => {
      const res = await tokenPost('/oauth2/token?foo=bar&grant_type=password').type('form').auth(client.id, client.secret).send({ grant_type: 'client_credentials' });
      expect(res.status).toBe(200);
      expect(res.body.access_token).toMatch(/^hy_at_/);
      // Parameters only in the query string do not count (RFC 6749 §3.2: the token request is a POST form).
      expectPublicError(await tokenPost('/oauth2/token?grant_type=client_credentials').type('form').auth(client.id, client.secret).send(''), 400, 'invalid_request');
    });

    it('answers GET with a 404 JSON error', async () => {
      expectPublicError(await request(server.public).get('/oauth2/token'), 404, 'not_found');
      expectPublicError(await request(server.public).get('/oauth2/token?grant_type=client_credentials'), 404, 'not_found');
    });

    it('refuses a duplicated parameter with 400 invalid_request', async () => {
      expectPublicError(await tokenPost().type('form').auth(client.id, client.secret).send('grant_type=client_credentials&grant_type=client_credentials'), 400, 'invalid_request');
      expectPublicError(await tokenPost().type('form').auth(client.id, client.secret).send('grant_type=client_credentials&scope=read&scope=write'), 400, 'invalid_request');
      expectPublicError(
        await tokenPost().type('form').send(`grant_type=client_credentials&client_id=${postClient.id}&client_id=${postClient.id}&client_secret=${postClient.secret}`),
        400,
        'invalid_request',
      );
    });

    it('treats a NUL byte in client_id as an unknown client (401 invalid_client), never a 5xx', async () => {
      const encoded = await tokenPost().type('form').send(`grant_type=client_credentials&client_id=${postClient.id}%00&client_secret=${postClient.secret}`);
      expectPublicError(encoded, 401, 'invalid_client');
      const raw = await tokenPost().type('form').send(`grant_type=client_credentials&client_id=ab\u0000cd&client_secret=x`);
      expectPublicError(raw, 401, 'invalid_client');
      const basic = await tokenPost().type('form').auth(`${client.id}%00`, client.secret).send({ grant_type: 'client_credentials' });
      expectPublicError(basic, 401, 'invalid_client');
    });

    it('refuses NUL bytes in other parameters with a 4xx, never a 5xx', async () => {
      // `hy_rt_`/`hy_ac_` + the random part and HMAC of a real access token: a well-formed token whose HMAC
      // verifies (all kinds share the key), so the grant goes on to the database lookup.
      const tail = token.slice('hy_at_'.length);
      const cases = [
        ['grant_type=client_credentials&scope=re%00ad', 400, 'invalid_scope'],
        ['grant_type=refresh_token&refresh_token=hy_rt_abc%00def', 400, 'invalid_grant'],
        [`grant_type=refresh_token&refresh_token=hy_rt_${tail}%00`, 400, 'invalid_grant'],
        ['grant_type=authorization_code&code=hy_ac_abc%00def&redirect_uri=https%3A%2F%2Fa.example%2Fcb', 400, 'invalid_grant'],
        [`grant_type=authorization_code&code=hy_ac_${tail}%00&redirect_uri=https%3A%2F%2Fa.example%2Fcb`, 400, 'invalid_grant'],
        ['grant_type=client_%00credentials', 400, 'unsupported_grant_type'],
        ['grant_%00type=client_credentials', 400, 'invalid_request'],
      ] as const;
      const results = [];
      for (const [form] of cases) {
        const res = await tokenPost().type('form').auth(allGrantsClient.id, allGrantsClient.secret).send(form);
        results.push({ form, status: res.status, error: res.body.error, described: typeof res.body.error_description === 'string', noStore: res.headers['cache-control'] });
      }
      expect(results).toEqual(cases.map(([form, status, error]) => ({ form, status, error, described: true, noStore: 'no-store' })));
    });

    it('refuses an audience holding a NUL or other control character (not one the client registered) with 400 invalid_request', async () => {
      // WHATWG URL parsing strips or drops C0 controls, tabs and newlines, so such a value must not pass
      // the URL-prefix audience match as if it were the registered "https://api.example.com".
      const audiences = ['https%3A%2F%2Fapi.example.com%00', 'https%3A%2F%2Fapi.exa%09mple.com', 'https%3A%2F%2Fapi.example.com%2F%0Ax'];
      const results = [];
      for (const audience of audiences) {
        const res = await tokenPost().type('form').auth(client.id, client.secret).send(`grant_type=client_credentials&audience=${audience}`);
        results.push({ audience, status: res.status, error: res.body.error });
      }
      expect(results).toEqual(audiences.map((audience) => ({ audience, status: 400, error: 'invalid_request' })));
    });

    it('refuses huge parameter values (within the body limit) with a 4xx, never a 5xx', async () => {
      const huge = 'A'.repeat(200_000);
      // A Basic credential travels in a header, which Node caps at 16 KiB: 8000 characters stay below it.
      const cases: Array<[string, () => request.Test, number, string]> = [
        ['client_id', () => tokenPost().type('form').send({ grant_type: 'client_credentials', client_id: huge, client_secret: 'x' }), 401, 'invalid_client'],
        ['basic user', () => tokenPost().type('form').auth(huge.slice(0, 8000), 'x').send({ grant_type: 'client_credentials' }), 401, 'invalid_client'],
        ['client_secret', () => tokenPost().type('form').send({ grant_type: 'client_credentials', client_id: postClient.id, client_secret: huge }), 401, 'invalid_client'],
        ['refresh_token', () => tokenPost().type('form').auth(allGrantsClient.id, allGrantsClient.secret).send({ grant_type: 'refresh_token', refresh_token: `hy_rt_${huge}` }), 400, 'invalid_grant'],
        ['code', () => tokenPost().type('form').auth(allGrantsClient.id, allGrantsClient.secret).send({ grant_type: 'authorization_code', code: `hy_ac_${huge}` }), 400, 'invalid_grant'],
        ['scope', () => tokenPost().type('form').auth(client.id, client.secret).send({ grant_type: 'client_credentials', scope: huge }), 400, 'invalid_scope'],
        ['grant_type', () => tokenPost().type('form').auth(client.id, client.secret).send({ grant_type: huge }), 400, 'unsupported_grant_type'],
      ];
      const results = [];
      for (const [name, send] of cases) {
        const res = await send();
        results.push({ name, status: res.status, error: res.body.error ?? '', noStore: res.headers['cache-control'] });
      }
      expect(results).toEqual(cases.map(([name, , status, error]) => ({ name, status, error, noStore: 'no-store' })));
    });

    it('treats __proto__ and constructor form keys as plain (unknown) parameters', async () => {
      const res = await tokenPost().type('form').auth(client.id, client.secret).send('grant_type=client_credentials&__proto__=x&constructor=y&__proto__%5Bscope%5D=write');
      expect(res.status).toBe(200);
      expect(res.body.access_token).toMatch(/^hy_at_/);
      expect(res.body.scope ?? '').not.toContain('write');
      expect(({} as Record<string, unknown>).scope).toBeUndefined();
    });
  });

  describe('POST /admin/oauth2/introspect', () => {
    it('serves a well-formed request (control)', async () => {
      const res = await introspectPost().type('form').send({ token });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toMatchObject({ active: true, client_id: client.id });
    });

    it('is served at the legacy path /oauth2/introspect too', async () => {
      const res = await introspectPost('/oauth2/introspect').type('form').send({ token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ active: true, client_id: client.id, scope: 'read' });
      expect((await introspectPost('/oauth2/introspect').type('form').send({ token: 'nonsense' }).expect(200)).body).toEqual({ active: false });
      expectAdminError(await introspectPost('/oauth2/introspect').type('form').send({}), 400, 'invalid_request');
    });

    it('refuses a JSON body with 400 invalid_request', async () => {
      expectAdminError(await introspectPost().send({ token }), 400, 'invalid_request');
      expectAdminError(await introspectPost('/oauth2/introspect').send({ token }), 400, 'invalid_request');
    });

    it('refuses a text/plain body, and a body without Content-Type, with 400 invalid_request', async () => {
      expectAdminError(await introspectPost().set('Content-Type', 'text/plain').send(`token=${token}`), 400, 'invalid_request');
      expectAdminError(await introspectPost(), 400, 'invalid_request');
    });

    it('refuses charset=latin1 with 415 unsupported_media_type', async () => {
      expectAdminError(await introspectPost().set('Content-Type', `${FORM}; charset=latin1`).send(`token=${token}`), 415, 'unsupported_media_type');
    });

    it('refuses a gzip Content-Encoding with 415 unsupported_media_type', async () => {
      expectAdminError(await introspectPost().type('form').set('Content-Encoding', 'gzip').send(gzipSync(`token=${token}`)), 415, 'unsupported_media_type');
    });

    it('still serves the endpoint with a query string on the URL (which is not read as parameters)', async () => {
      const res = await introspectPost(`/admin/oauth2/introspect?x=1`).type('form').send({ token });
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(true);
      expectAdminError(await introspectPost(`/admin/oauth2/introspect?token=${encodeURIComponent(token)}`).type('form').send(''), 400, 'invalid_request');
      expect((await introspectPost(`/oauth2/introspect?x=1`).type('form').send({ token }).expect(200)).body.active).toBe(true);
    });

    it('answers GET with a 404 JSON error, on both paths', async () => {
      expectAdminError(await request(server.admin).get('/admin/oauth2/introspect'), 404, 'not_found');
      expectAdminError(await request(server.admin).get(`/oauth2/introspect?token=${encodeURIComponent(token)}`), 404, 'not_found');
    });

    it('refuses a duplicated parameter with 400 invalid_request', async () => {
      expectAdminError(await introspectPost().type('form').send(`token=${token}&token=${token}`), 400, 'invalid_request');
      expectAdminError(await introspectPost().type('form').send(`token=${token}&scope=read&scope=read`), 400, 'invalid_request');
    });

    it('introspects a token holding a NUL byte as inactive, never a 5xx', async () => {
      const tail = token.slice('hy_at_'.length);
      const forms = [
        `token=${token}%00`, // the HMAC of a live token still verifies when a NUL is appended
        `token=hy_rt_${tail}%00`,
        `token=${token.slice(0, 20)}%00${token.slice(20)}`,
        'token=hy_at_%00',
        'token=%00',
        'token=a.b%00.c',
        `token=${token}\u0000`, // a raw NUL byte in the body
        `token=${token}&scope=re%00ad`,
      ];
      const results = [];
      for (const form of forms) {
        const res = await introspectPost().type('form').send(form);
        results.push({ form, status: res.status, body: res.body });
      }
      expect(results).toEqual(forms.map((form) => ({ form, status: 200, body: { active: false } })));
    });

    it('refuses a token over 8192 characters with 400 invalid_request, and introspects one at 8192 as inactive', async () => {
      expectAdminError(await introspectPost().type('form').send({ token: `hy_at_${'A'.repeat(200_000)}` }), 400, 'invalid_request');
      expectAdminError(await introspectPost().type('form').send({ token: 'x'.repeat(8193) }), 400, 'invalid_request');
      expect((await introspectPost().type('form').send({ token: 'x'.repeat(8192) }).expect(200)).body).toEqual({ active: false });
      expect((await introspectPost().type('form').send({ token: `${'A'.repeat(4000)}.${'B'.repeat(4000)}.C` }).expect(200)).body).toEqual({ active: false });
    });

    it('ignores a huge scope without failing', async () => {
      const res = await introspectPost().type('form').send({ token, scope: 'x '.repeat(100_000) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ active: false });
    });

    it('treats __proto__ and constructor form keys as plain (unknown) parameters', async () => {
      const res = await introspectPost().type('form').send(`token=${token}&__proto__=x&constructor=y&__proto__%5Btoken%5D=z`);
      expect(res.status).toBe(200);
      expect(res.body.active).toBe(true);
      const noToken = await introspectPost().type('form').send('__proto__=x&constructor%5Bprototype%5D%5Btoken%5D=z');
      expectAdminError(noToken, 400, 'invalid_request');
    });
  });
});

describe('fast routes: SERVE_REQUEST_BODY_LIMIT', () => {
  const LIMIT = 1024;
  let server: TestServer;
  let client: Creds;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ SERVE_REQUEST_BODY_LIMIT: String(LIMIT) }, { listen: true });
    client = await createClient(server);
    token = await issueToken(server, client);
  });
  afterAll(() => server.close());

  /** `grant_type=client_credentials&pad=...` of exactly `size` bytes. */
  const paddedTokenForm = (size: number) => {
    const head = 'grant_type=client_credentials&pad=';
    return head + 'p'.repeat(size - head.length);
  };

  it('serves bodies up to the limit', async () => {
    await request(server.public).post('/oauth2/token').type('form').auth(client.id, client.secret).send(paddedTokenForm(LIMIT)).expect(200);
    const form = `token=${token}&pad=${'p'.repeat(LIMIT - token.length - 11)}`;
    expect(Buffer.byteLength(form)).toBe(LIMIT);
    expect((await request(server.admin).post('/admin/oauth2/introspect').type('form').send(form).expect(200)).body.active).toBe(true);
  });

  it('refuses a token request over the limit with 413 request_too_large (public error shape)', async () => {
    expectPublicError(await request(server.public).post('/oauth2/token').type('form').auth(client.id, client.secret).send(paddedTokenForm(LIMIT + 1)), 413, 'request_too_large');
    expectPublicError(await request(server.public).post('/oauth2/token').type('form').auth(client.id, client.secret).send(paddedTokenForm(64 * 1024)), 413, 'request_too_large');
  });

  it('refuses an introspection request over the limit with 413 request_too_large (admin error shape), on both paths', async () => {
    const form = `token=${token}&pad=${'p'.repeat(4 * LIMIT)}`;
    expectAdminError(await request(server.admin).post('/admin/oauth2/introspect').type('form').send(form), 413, 'request_too_large');
    expectAdminError(await request(server.admin).post('/oauth2/introspect').type('form').send(form), 413, 'request_too_large');
  });

  it('refuses a chunked body (no Content-Length) that grows over the limit with 413', async () => {
    const post = async (url: string, path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
        const target = new URL(path, url);
        const req = httpRequest(target, { method: 'POST', headers: { 'Content-Type': FORM, 'Transfer-Encoding': 'chunked', ...headers } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        });
        req.on('error', reject);
        req.write('grant_type=client_credentials&');
        for (let i = 0; i < 8; i++) req.write(`p${i}=${'p'.repeat(250)}&`);
        req.end();
      });
    const basic = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`;
    const pub = await post(await baseUrl(server.publicApp), '/oauth2/token', { Authorization: basic });
    expect(pub.status).toBe(413);
    expect(pub.body).toMatchObject({ error: 'request_too_large', error_description: expect.any(String) });
    const adm = await post(await baseUrl(server.adminApp), '/admin/oauth2/introspect', {});
    expect(adm.status).toBe(413);
    expect(adm.body).toMatchObject({ error: 'request_too_large', error_description: expect.any(String), status_code: 413 });
  });
});

describe('fast routes: introspection with SERVE_ADMIN_API_KEYS', () => {
  const KEY = 'admin-key-0123456789abcdef';
  const OTHER_KEY = 'second-admin-key-fedcba9876543210';
  let server: TestServer;
  let client: Creds;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer({ SERVE_ADMIN_API_KEYS: `${KEY},${OTHER_KEY}` });
    client = await createClient(server, {}, KEY);
    token = await issueToken(server, client);
  });
  afterAll(() => server.close());

  const CHALLENGE = 'Bearer realm="hydrant-admin"';

  for (const path of ['/admin/oauth2/introspect', '/oauth2/introspect']) {
    describe(path, () => {
      it('refuses a request without a key with 401 and the Bearer challenge', async () => {
        const res = await request(server.admin).post(path).type('form').send({ token });
        expectAdminError(res, 401, 'unauthorized');
        expect(res.headers['www-authenticate']).toBe(CHALLENGE);
        expect(res.body.active).toBeUndefined();
      });

      it('refuses a wrong key, an empty bearer and a Basic credential with 401 and the Bearer challenge', async () => {
        for (const authorization of [`Bearer ${KEY}x`, `Bearer ${KEY.slice(0, -1)}`, 'Bearer ', `Basic ${Buffer.from(`x:${KEY}`).toString('base64')}`, `Bearer ${KEY} ${KEY}`]) {
          const res = await request(server.admin).post(path).set('Authorization', authorization).type('form').send({ token });
          expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
          expectAdminError(res, 401, 'unauthorized');
          expect(res.headers['www-authenticate']).toBe(CHALLENGE);
        }
      });

      it('checks the key before the body: a bad body without a key is still 401', async () => {
        const res = await request(server.admin).post(path).set('Content-Type', 'application/json').send('{"token":1}');
        expectAdminError(res, 401, 'unauthorized');
        expect(res.headers['www-authenticate']).toBe(CHALLENGE);
      });

      it('serves the request with either configured key', async () => {
        for (const key of [KEY, OTHER_KEY]) {
          const res = await request(server.admin).post(path).set('Authorization', `Bearer ${key}`).type('form').send({ token });
          expect(res.status).toBe(200);
          expect(res.headers['www-authenticate']).toBeUndefined();
          expect(res.body).toMatchObject({ active: true, client_id: client.id });
        }
        const lower = await request(server.admin).post(path).set('Authorization', `bearer ${KEY}`).type('form').send({ token });
        expect(lower.status).toBe(200);
      });

      it('with the right key, still refuses malformed bodies with the admin error shape (no challenge)', async () => {
        const res = await request(server.admin).post(path).set('Authorization', `Bearer ${KEY}`).send({ token });
        expectAdminError(res, 400, 'invalid_request');
        expect(res.headers['www-authenticate']).toBeUndefined();
      });
    });
  }
});

describe('fast routes: CORS on the token endpoint', () => {
  const ORIGIN = 'https://spa.example';
  let server: TestServer;
  let client: Creds;

  beforeAll(async () => {
    server = await startTestServer({ SERVE_PUBLIC_CORS_ENABLED: 'true', SERVE_PUBLIC_CORS_ALLOWED_ORIGINS: `${ORIGIN},https://other.example` });
    client = await createClient(server);
  });
  afterAll(() => server.close());

  const call = (origin: string, secret = client.secret) =>
    request(server.public).post('/oauth2/token').set('Origin', origin).type('form').auth(client.id, secret).send({ grant_type: 'client_credentials' });

  it('adds Access-Control-Allow-Origin (and Vary: Origin) to a successful token response for an allowed origin', async () => {
    const res = await call(ORIGIN);
    expect(res.status).toBe(200);
    expect(res.body.access_token).toMatch(/^hy_at_/);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers.vary).toMatch(/Origin/i);
  });

  it('adds Access-Control-Allow-Origin to a 401 invalid_client for an allowed origin', async () => {
    const res = await call(ORIGIN, 'wrong-secret');
    expectPublicError(res, 401, 'invalid_client');
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers.vary).toMatch(/Origin/i);
    const unknown = await request(server.public).post('/oauth2/token').set('Origin', ORIGIN).type('form').send({ grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' });
    expectPublicError(unknown, 401, 'invalid_client');
    expect(unknown.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('adds Access-Control-Allow-Origin to a 400 raised after the form is read', async () => {
    const res = await request(server.public).post('/oauth2/token').set('Origin', ORIGIN).type('form').auth(client.id, client.secret).send({ grant_type: 'password' });
    expectPublicError(res, 400, 'unsupported_grant_type');
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
  });

  it('adds no Access-Control-Allow-Origin for an origin not allowed, nor without an Origin', async () => {
    const evil = await call('https://evil.example');
    expect(evil.status).toBe(200);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const evil401 = await call('https://evil.example', 'wrong');
    expect(evil401.status).toBe(401);
    expect(evil401.headers['access-control-allow-origin']).toBeUndefined();
    const none = await request(server.public).post('/oauth2/token').type('form').auth(client.id, client.secret).send({ grant_type: 'client_credentials' }).expect(200);
    expect(none.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('still answers the preflight (OPTIONS falls through the fast route to the CORS middleware)', async () => {
    const res = await request(server.public).options('/oauth2/token').set('Origin', ORIGIN).set('Access-Control-Request-Method', 'POST');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
  });
});
