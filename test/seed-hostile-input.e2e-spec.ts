import { randomUUID } from 'node:crypto';
import request, { Response } from 'supertest';
import { Browser, codeRequest, createClient, FlowServer, introspect, random, startFlowServer, tokenRequest } from './support/browser-flow';
import { startTestServer, TestServer } from './support/test-runtime';

/**
 * Hostile and malformed input to the paths issue 11 added beside Hydra v2 (Spatio, Hydra v0 and v1,
 * Fluxer). Every answer is a clear 4xx in the error shape of its port (public: RFC 6749 `{error,
 * error_description}`; admin: `{error, error_description, status_code}`), never a 500, and never echoes a
 * token or secret. Refused requests change nothing. Run on SQLite and on PostgreSQL (TEST_DSN=postgres),
 * where NUL characters and oversized values reach the database as errors unless refused before.
 */

const REDIRECT = 'https://app.example/callback';
const BOUNDARY = 'hydrant-hostile-7f3a';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
type Fields = Array<[string, string]>;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A multipart/form-data body (RFC 7578) of text fields. */
function multipart(fields: Fields, boundary = BOUNDARY): string {
  const parts = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  return `${parts.join('')}--${boundary}--\r\n`;
}

/** Every admin path of one application, with a body that would change it. */
const applicationPaths = (id: string): Array<[Method, string, object?]> => [
  ['get', `/oauth2/applications/${id}`],
  ['patch', `/oauth2/applications/${id}`, { name: 'pwned', redirect_uris: ['https://evil.example/cb'] }],
  ['delete', `/oauth2/applications/${id}`],
  ['post', `/oauth2/applications/${id}/client-secret/reset`],
  ['post', `/oauth2/applications/${id}/bot/reset-token`],
  ['patch', `/oauth2/applications/${id}/bot`, { username: 'pwned' }],
];

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** RFC 6749 §5.2 on the public port; `label` names the request in a failure. */
function expectPublicError(res: Response, status: number, error?: string, label = ''): void {
  expect({ label, status: res.status, error: res.body?.error }).toEqual({ label, status, error: error ?? expect.any(String) });
  expect(res.body.error_description).toEqual(expect.any(String));
}

/** Hydra's genericError on the admin port. */
function expectAdminError(res: Response, status: number, error?: string, label = ''): void {
  expect({ label, status: res.status, error: res.body?.error, status_code: res.body?.status_code }).toEqual({ label, status, error: error ?? expect.any(String), status_code: status });
  expect(res.body.error_description).toEqual(expect.any(String));
}

/** None of `secrets` in the answer's body or its WWW-Authenticate challenge. */
function expectNoLeak(res: Response, secrets: string[]): void {
  const text = `${res.text} ${res.headers['www-authenticate'] ?? ''}`;
  expect(secrets.filter((s) => text.includes(s))).toEqual([]);
}

interface App { id: string; name: string; client_secret: string; redirect_uris: string[]; bot: { username: string } }

describe('seed paths under hostile input', () => {
  let env: FlowServer;
  const pub = () => request(env.publicUrl);
  const adm = () => request(env.adminUrl);

  beforeAll(async () => (env = await startFlowServer({ OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true', OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT: '0' })));
  afterAll(() => env.close());

  async function createApp(owner: string, body: Record<string, unknown> = {}): Promise<App> {
    const res = await adm().post(`/oauth2/applications?owner=${encodeURIComponent(owner)}`).send({ name: 'Hostile test app', redirect_uris: [REDIRECT], ...body });
    expect(res.status).toBe(200);
    return res.body as App;
  }

  /** A user's tokens for `app`, through first-party consent and the code grant. */
  async function userTokens(app: App, subject: string): Promise<{ access_token: string; refresh_token: string }> {
    const granted = await adm().post(`/oauth2/authorize/consent?subject=${subject}`).send({ client_id: app.id, scope: 'identify offline_access', response_type: 'code', redirect_uri: REDIRECT, state: random() });
    expect(granted.status).toBe(200);
    const code = new URL(granted.body.redirect_to).searchParams.get('code')!;
    const res = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { id: app.id, secret: app.client_secret });
    expect({ status: res.status, refresh: typeof res.body.refresh_token }).toEqual({ status: 200, refresh: 'string' });
    return res.body as { access_token: string; refresh_token: string };
  }

  const resetBotToken = async (app: App, owner: string): Promise<string> => (await adm().post(`/oauth2/applications/${app.id}/bot/reset-token?owner=${owner}`).expect(200)).body.token;
  const issuePat = async (subject: string): Promise<{ id: string; token: string }> => (await adm().post('/admin/personal-access-tokens').send({ subject, scope: 'openid' }).expect(201)).body;

  describe('multipart/form-data at the public token, introspection and revocation endpoints', () => {
    let app: App, token: string;
    beforeAll(async () => {
      app = await createApp('multipart-owner');
      token = (await tokenRequest(env.publicUrl, { grant_type: 'client_credentials' }, { id: app.id, secret: app.client_secret })).body.access_token;
    });

    /** The endpoint's own fields, then the client's credentials (so that a truncation cuts into the secret). */
    const endpoints: Array<{ path: string; fields: () => Fields; ok: (res: Response) => void }> = [
      { path: '/oauth2/token', fields: () => [['grant_type', 'client_credentials']], ok: (res) => expect(res.body.access_token).toMatch(/^hy_at_/) },
      { path: '/oauth2/introspect', fields: () => [['token', token]], ok: (res) => expect(res.body.active).toBe(true) },
      { path: '/oauth2/token/revoke', fields: () => [['token', 'hy_at_unknown']], ok: (res) => expect(res.text).toBe('') },
      { path: '/oauth2/revoke', fields: () => [['token', 'hy_at_unknown']], ok: (res) => expect(res.text).toBe('') },
    ];
    const withCreds = (fields: Fields): Fields => [...fields, ['client_id', app.id], ['client_secret', app.client_secret]];
    const hostile: Array<{ name: string; contentType?: string; body: (fields: Fields) => string; status?: number; error?: string }> = [
      { name: 'no boundary parameter', contentType: 'multipart/form-data', body: (f) => multipart(f) },
      { name: 'an empty boundary', contentType: 'multipart/form-data; boundary=', body: (f) => multipart(f) },
      { name: 'a boundary the body does not use', body: (f) => multipart(f, 'another-boundary') },
      { name: 'a body truncated inside the last part', body: (f) => multipart(f).slice(0, -40) },
      { name: 'a urlencoded body under a multipart type', body: () => 'grant_type=client_credentials' },
      { name: 'a file part', body: (f) => multipart(f).replace(`--${BOUNDARY}--`, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nhello\r\n--${BOUNDARY}--`) },
      { name: 'more than 64 parts', body: (f) => multipart([...f, ...Array.from({ length: 64 }, (_, i): [string, string] => [`p${i}`, 'x'])]) },
      { name: 'a field name over 100 bytes', body: (f) => multipart([...f, ['n'.repeat(101), 'x']]) },
      { name: 'a repeated client_id', body: (f) => multipart([...f, ['client_id', app.id]]) },
      { name: 'a NUL in client_id', body: (f) => multipart(f.map(([n, v]): [string, string] => [n, n === 'client_id' ? `${v}\u0000` : v])), status: 401, error: 'invalid_client' },
    ];

    describe.each(endpoints)('$path', ({ path, fields, ok }) => {
      it('serves a well-formed multipart body (control)', async () => {
        const res = await pub().post(path).set('Content-Type', MULTIPART).send(multipart(withCreds(fields())));
        expect(res.status).toBe(200);
        ok(res);
      });

      it.each(hostile)('refuses $name with a 4xx in the RFC 6749 shape', async ({ name, contentType, body, status, error }) => {
        const res = await pub().post(path).set('Content-Type', contentType ?? MULTIPART).send(body(withCreds(fields())));
        expectPublicError(res, status ?? 400, error ?? 'invalid_request', `${path}: ${name}`);
        expectNoLeak(res, [app.client_secret, token]);
      });
    });
  });

  describe('unknown applications', () => {
    const ids = [randomUUID(), 'a'.repeat(300), encodeURIComponent('ünïcødé ☃ app')];
    it.each(['', '/admin'])('answer 404 on every admin path under prefix "%s", with or without ?owner=', async (prefix) => {
      for (const id of ids) {
        for (const [method, path, body] of applicationPaths(id)) {
          for (const query of ['', '?owner=someone']) {
            const res = await adm()[method](`${prefix}${path}${query}`).send(body);
            expectAdminError(res, 404, 'not_found', `${method.toUpperCase()} ${prefix}${path.slice(0, 60)}${query}`);
          }
        }
      }
    });

    it('answer 404 on the public view, and revoking an authorization never given is 404', async () => {
      for (const id of ids) {
        expectPublicError(await pub().get(`/oauth2/applications/${id}/public`), 404, 'not_found', id.slice(0, 40));
        expectAdminError(await adm().delete(`/oauth2/@me/authorizations/${id}?subject=someone`), 404, 'not_found', id.slice(0, 40));
      }
    });
  });

  describe('foreign owners', () => {
    it('answer 404 to another user on every application path, and nothing changes', async () => {
      const app = await createApp('alice', { description: 'alice’s' });
      const botToken = await resetBotToken(app, 'alice');
      const user = await userTokens(app, 'bob');
      for (const owner of ['mallory', 'Alice', 'alice ', 'alice\u200b']) {
        for (const [method, path, body] of applicationPaths(app.id)) {
          const res = await adm()[method](`${path}?owner=${encodeURIComponent(owner)}`).send(body);
          expectAdminError(res, 404, 'not_found', `${method.toUpperCase()} ${path}?owner=${owner}`);
          expectNoLeak(res, [app.client_secret, botToken]);
          expect(res.body.client_secret).toBeUndefined();
        }
        const listed = await adm().get(`/oauth2/applications/@me?owner=${encodeURIComponent(owner)}`).expect(200);
        expect(listed.body).toEqual([]);
      }
      expectAdminError(await adm().delete(`/oauth2/@me/authorizations/${app.id}?subject=mallory`), 404, 'not_found');

      const read = (await adm().get(`/oauth2/applications/${app.id}?owner=alice`).expect(200)).body;
      expect({ name: read.name, redirect_uris: read.redirect_uris, bot: read.bot.username }).toEqual({ name: app.name, redirect_uris: [REDIRECT], bot: app.bot.username });
      await pub().get('/applications/@me').set('Authorization', `Bot ${botToken}`).expect(200);
      await pub().get('/oauth2/@me').set('Authorization', `Bearer ${user.access_token}`).expect(200);
      const authorizations = (await adm().get('/oauth2/@me/authorizations?subject=bob').expect(200)).body;
      expect(authorizations.map((a: { application: { id: string } }) => a.application.id)).toEqual([app.id]);
    });

    it('refuses an owner in the body that differs from the query, holds NUL or is over 255 characters', async () => {
      const owners: Array<[string, Record<string, string>]> = [['?owner=alice', { owner: 'mallory' }], ['', { owner: 'mallory\u0000' }], ['', { owner: 'm'.repeat(256) }]];
      for (const [query, body] of owners) {
        expectAdminError(await adm().post(`/oauth2/applications${query}`).send({ name: 'Owner', ...body }), 400, 'invalid_request', `${query} ${body.owner.slice(0, 10)}`);
      }
      expect((await adm().get('/oauth2/applications/@me?owner=mallory').expect(200)).body).toEqual([]);
    });
  });

  describe('?owner= and ?subject= where required', () => {
    const routes: Array<[Method, string, string, object?]> = [
      ['post', '/oauth2/applications', 'owner', { name: 'No owner' }],
      ['get', '/oauth2/applications/@me', 'owner', undefined],
      ['get', '/users/@me/applications', 'owner', undefined],
      ['get', '/applications/@me', 'owner', undefined],
      ['get', '/admin/personal-access-tokens', 'subject', undefined],
      ['get', '/oauth2/@me/authorizations', 'subject', undefined],
      ['delete', '/oauth2/@me/authorizations/some-app', 'subject', undefined],
      ['post', '/oauth2/authorize/consent', 'subject', { client_id: 'x', scope: 'identify', response_type: 'code', redirect_uri: REDIRECT }],
    ];
    it.each(routes)('%s %s: missing, empty, repeated or over-long ?%s= is 400', async (method, path, name, body) => {
      const queries = ['', `?${name}=`, `?${name}=a&${name}=b`, ...(path.includes('personal-access-tokens') ? [] : [`?${name}=${'x'.repeat(256)}`])];
      for (const query of queries) {
        expectAdminError(await adm()[method](`${path}${query}`).send(body), 400, 'invalid_request', `${method} ${path}${query}`);
      }
    });
  });

  describe('admin request bodies', () => {
    const badJson = ['{"name":', '[]', '"a string"', 'null', '{"name": "x"} trailing'];

    it('refuses bodies that are not one JSON object on every new admin body', async () => {
      const app = await createApp('json-owner');
      const targets: Array<[Method, string]> = [
        ['post', '/admin/personal-access-tokens'], ['post', '/oauth2/applications?owner=json-owner'], ['patch', `/oauth2/applications/${app.id}?owner=json-owner`],
        ['patch', `/oauth2/applications/${app.id}/bot?owner=json-owner`], ['post', '/oauth2/authorize/consent?subject=json-user'],
      ];
      for (const [method, path] of targets) {
        for (const raw of badJson) {
          const res = await adm()[method](path).set('Content-Type', 'application/json').send(raw);
          expectAdminError(res, 400, 'invalid_request', `${method.toUpperCase()} ${path} ${raw}`);
        }
      }
      expect((await adm().get('/oauth2/applications/@me?owner=json-owner').expect(200)).body).toHaveLength(1);
    });

    const S = 'pat-subject';
    const badPats: Array<[string, Record<string, unknown>]> = [
      ['no subject', { name: 'n' }], ['an empty subject', { subject: '' }], ['a subject with NUL', { subject: `${S}\u0000` }],
      ['a subject of 256 characters', { subject: 's'.repeat(256) }], ['a subject that is a number', { subject: 42 }],
      ['a name with NUL', { subject: S, name: 'n\u0000' }], ['a name of 256 characters', { subject: S, name: 'n'.repeat(256) }],
      ['a scope that is a number', { subject: S, scope: 42 }], ['a scope that is an object', { subject: S, scope: { openid: true } }],
      ['a scope array holding a number', { subject: S, scope: ['openid', 7] }], ['a scope with a double quote', { subject: S, scope: 'openid "admin"' }],
      ['a scope with a backslash', { subject: S, scope: 'a\\b' }], ['a scope with NUL', { subject: S, scope: 'openid\u0000' }],
      ['a scope token with a space', { subject: S, scope: ['read write'] }],
      ['expires_at in the past (RFC 3339)', { subject: S, expires_at: '2001-01-01T00:00:00Z' }], ['expires_at in the past (seconds)', { subject: S, expires_at: 1_000_000 }],
      ['expires_at negative', { subject: S, expires_at: -1 }], ['expires_at malformed', { subject: S, expires_at: 'next tuesday' }],
      ['expires_at an impossible date', { subject: S, expires_at: '2099-13-45T25:61:00Z' }], ['expires_at a boolean', { subject: S, expires_at: true }],
      ['expires_at in year 10000', { subject: S, expires_at: '10000-01-01T00:00:00Z' }], ['expires_at 1e20 seconds', { subject: S, expires_at: 1e20 }],
      ['expires_at 1e308 seconds', { subject: S, expires_at: 1e308 }],
    ];
    it.each(badPats)('PAT create: refuses %s with 400, issuing nothing', async (_label, body) => {
      const res = await adm().post('/admin/personal-access-tokens').send(body);
      expectAdminError(res, 400, 'invalid_request');
      expect(res.text).not.toMatch(/hy_pat_/);
      expect((await adm().get(`/admin/personal-access-tokens?subject=${S}`).expect(200)).body).toEqual([]);
    });

    const badApps: Array<[string, Record<string, unknown>]> = [
      ['an empty name', { name: '' }], ['a name of 101 characters', { name: 'n'.repeat(101) }], ['a name with NUL', { name: 'App\u0000' }],
      ['a name that is a number', { name: 42 }], ['redirect_uris as a string', { redirect_uris: REDIRECT }], ['redirect_uris holding a number', { redirect_uris: [42] }],
      ['a redirect URI with a fragment', { redirect_uris: [`${REDIRECT}#frag`] }], ['a javascript: redirect URI', { redirect_uris: ['javascript:alert(1)'] }],
      ['a relative redirect URI', { redirect_uris: ['/callback'] }], ['a redirect URI with NUL', { redirect_uris: [`${REDIRECT}\u0000`] }],
      ['bot_public as a string', { bot_public: 'true' }], ['bot_public as a number', { bot_public: 1 }],
      ['bot_require_code_grant as a string', { bot_require_code_grant: 'yes' }], ['a description of 401 characters', { description: 'd'.repeat(401) }],
      ['an icon that is an object', { icon: { url: 'x' } }],
    ];
    it.each([['no name', null] as [string, null], ...badApps])('application create: refuses %s with 400', async (_label, body) => {
      const owner = `bad-create-${randomUUID()}`;
      const res = await adm().post(`/oauth2/applications?owner=${owner}`).send(body === null ? { redirect_uris: [REDIRECT] } : { name: 'Valid', ...body });
      expectAdminError(res, 400);
      expect((await adm().get(`/oauth2/applications/@me?owner=${owner}`).expect(200)).body).toEqual([]);
    });

    it.each(badApps)('application update: refuses %s with 400 and changes nothing', async (_label, body) => {
      const app = await createApp('bad-update-owner');
      expectAdminError(await adm().patch(`/oauth2/applications/${app.id}?owner=bad-update-owner`).send(body), 400);
      const read = (await adm().get(`/oauth2/applications/${app.id}`).expect(200)).body;
      const { name, redirect_uris, bot_public, description } = read;
      expect({ name, redirect_uris, bot_public, description }).toEqual({ name: app.name, redirect_uris: [REDIRECT], bot_public: true, description: null });
    });

    const badBots: Array<[string, Record<string, unknown>]> = [
      ['a username of 33 characters', { username: 'u'.repeat(33) }], ['an empty username', { username: '' }], ['a username with NUL', { username: 'bot\u0000' }],
      ['a username that is a number', { username: 42 }], ['a discriminator with a letter', { discriminator: '12a4' }],
      ['a discriminator of five digits', { discriminator: '12345' }], ['a discriminator that is a number', { discriminator: 1234 }],
      ['a discriminator of non-ASCII digits', { discriminator: '١٢٣٤' }], ['a bio with NUL', { bio: 'hi\u0000' }], ['negative bot_flags', { bot_flags: -1 }],
      ['fractional bot_flags', { bot_flags: 1.5 }], ['bot_flags as a string', { bot_flags: '1' }], ['an avatar that is a number', { avatar: 42 }],
    ];
    it.each(badBots)('bot profile: refuses %s with 400 and changes nothing', async (_label, body) => {
      const app = await createApp('bad-bot-owner');
      expectAdminError(await adm().patch(`/oauth2/applications/${app.id}/bot?owner=bad-bot-owner`).send(body), 400);
      expect((await adm().get(`/oauth2/applications/${app.id}`).expect(200)).body.bot).toEqual(app.bot);
    });
  });

  describe('personal access tokens after deletion', () => {
    it('are unknown at userinfo (401) and at both introspections (inactive)', async () => {
      const app = await createApp('pat-introspector');
      const pat = await issuePat('pat-user');
      const creds = { client_id: app.id, client_secret: app.client_secret };
      expect((await pub().get('/oauth2/userinfo').set('Authorization', `Bearer ${pat.token}`).expect(200)).body).toEqual({ sub: 'pat-user' });
      const before = await pub().post('/oauth2/introspect').type('form').send({ token: pat.token, ...creds }).expect(200);
      expect(before.body).toMatchObject({ active: true, sub: 'pat-user', token_use: 'personal_access_token' });

      await adm().delete(`/admin/personal-access-tokens/${pat.id}`).expect(204);
      const attempts: Array<[string, request.Test]> = [
        ['GET /userinfo', pub().get('/userinfo').set('Authorization', `Bearer ${pat.token}`)],
        ['GET /oauth2/userinfo', pub().get('/oauth2/userinfo').set('Authorization', `Bearer ${pat.token}`)],
        ['POST /oauth2/userinfo', pub().post('/oauth2/userinfo').type('form').send({ access_token: pat.token })],
      ];
      for (const [label, pending] of attempts) {
        const res = await pending;
        expectPublicError(res, 401, 'invalid_token', label);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
        expectNoLeak(res, [pat.token]);
      }
      expect((await pub().post('/oauth2/introspect').type('form').send({ token: pat.token, ...creds }).expect(200)).body).toEqual({ active: false });
      expect(await introspect(env.adminUrl, pat.token)).toEqual({ active: false });
      expect((await adm().get('/admin/personal-access-tokens?subject=pat-user').expect(200)).body).toEqual([]);
      expectAdminError(await adm().delete(`/admin/personal-access-tokens/${pat.id}`), 404, 'not_found');
      for (const id of [randomUUID(), 'x'.repeat(300)]) expectAdminError(await adm().delete(`/admin/personal-access-tokens/${id}`), 404, 'not_found');
    });
  });

  describe('/oauth2/@me and /applications/@me (public) with tokens that are not theirs', () => {
    let app: App, user: { access_token: string; refresh_token: string }, pat: string, bot: string, secrets: string[];
    beforeAll(async () => {
      app = await createApp('me-owner');
      user = await userTokens(app, 'me-user');
      pat = (await issuePat('me-user')).token;
      bot = await resetBotToken(app, 'me-owner');
      secrets = [user.access_token, user.refresh_token, pat, bot, app.client_secret];
    });

    const bad: Array<[string, () => string | undefined]> = [
      ['no Authorization header', () => undefined], ['an empty Bearer', () => 'Bearer '], ['a garbage token', () => 'Bearer garbage-token'],
      ['a forged hy_at_ token', () => `Bearer hy_at_${'A'.repeat(43)}.${'B'.repeat(43)}`], ['a refresh token', () => `Bearer ${user.refresh_token}`],
      ['a personal access token', () => `Bearer ${pat}`], ['the client’s Basic credentials', () => basic(app.id, app.client_secret)],
    ];
    const notBot: typeof bad = [['a user’s access token', () => `Bot ${user.access_token}`], ['a refresh token as Bot', () => `Bot ${user.refresh_token}`], ['a PAT as Bot', () => `Bot ${pat}`]];

    it('serve their own tokens (control)', async () => {
      expect((await pub().get('/oauth2/@me').set('Authorization', `Bearer ${user.access_token}`).expect(200)).body.application.id).toBe(app.id);
      expect((await pub().get('/applications/@me').set('Authorization', `Bot ${bot}`).expect(200)).body.id).toBe(app.id);
    });

    const cases = [...bad.map(([label, header]) => ['/oauth2/@me', label, header] as const), ...[...bad, ...notBot].map(([label, header]) => ['/applications/@me', label, header] as const)];
    it.each(cases)('GET %s with %s is 401 invalid_token', async (path, _label, header) => {
      const value = header();
      const res = await (value === undefined ? pub().get(path) : pub().get(path).set('Authorization', value));
      expectPublicError(res, 401, 'invalid_token');
      expectNoLeak(res, secrets);
    });

    it('refuse a bot token once it was reset (401), and serve the new one', async () => {
      const old = await resetBotToken(app, 'me-owner');
      await pub().get('/applications/@me').set('Authorization', `Bot ${old}`).expect(200);
      const fresh = await resetBotToken(app, 'me-owner');
      for (const [path, header] of [['/applications/@me', `Bot ${old}`], ['/applications/@me', `Bearer ${old}`], ['/oauth2/@me', `Bearer ${old}`]]) {
        const res = await pub().get(path).set('Authorization', header);
        expectPublicError(res, 401, 'invalid_token', `${path} ${header.split(' ')[0]}`);
        expectNoLeak(res, [old, fresh]);
      }
      expect(await introspect(env.adminUrl, old)).toEqual({ active: false });
      await pub().get('/applications/@me').set('Authorization', `Bot ${fresh}`).expect(200);
    });
  });

  describe('public /oauth2/introspect: client authentication', () => {
    it('answers 401 invalid_client without credentials, to a public client and to a wrong secret; 400 to two methods', async () => {
      const app = await createApp('introspect-owner');
      const other = await createApp('introspect-owner');
      const token = (await tokenRequest(env.publicUrl, { grant_type: 'client_credentials' }, { id: app.id, secret: app.client_secret })).body.access_token as string;
      const publicClient = await createClient(env.adminUrl, { token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'], redirect_uris: [REDIRECT] });
      const wrong = `${app.client_secret.slice(0, -4)}XXXX`;
      const cases: Array<[string, Record<string, string>, string?, number?, string?]> = [
        ['no credentials', { token }], ['a public client', { token, client_id: publicClient.client_id }],
        ['a public client with Basic and no secret', { token }, basic(publicClient.client_id, '')],
        ['a wrong secret in the body', { token, client_id: app.id, client_secret: wrong }], ['a wrong secret in Basic', { token }, basic(app.id, wrong)],
        ['an unknown client', { token, client_id: 'no-such-client', client_secret: wrong }],
        ['Basic and body credentials at once', { token, client_id: other.id, client_secret: other.client_secret }, basic(app.id, app.client_secret), 400, 'invalid_request'],
        ['no token', { client_id: app.id, client_secret: app.client_secret }, undefined, 400, 'invalid_request'],
      ];
      for (const [label, form, authorization, status, error] of cases) {
        const req = pub().post('/oauth2/introspect').type('form');
        const res = await (authorization ? req.set('Authorization', authorization) : req).send(form);
        expectPublicError(res, status ?? 401, error ?? 'invalid_client', label);
        expectNoLeak(res, [token, wrong, app.client_secret, other.client_secret]);
      }
      const repeated = await pub().post('/oauth2/introspect').type('form').send(`token=${token}&token=${token}&client_id=${app.id}&client_secret=${app.client_secret}`);
      expectPublicError(repeated, 400, 'invalid_request');
      expect((await pub().post('/oauth2/introspect').type('form').send({ token, client_id: app.id, client_secret: app.client_secret }).expect(200)).body.active).toBe(true);
    });
  });

  describe('Hydra v0 consent requests', () => {
    /** A flow of a fresh client waiting for consent after alice logged in: its consent challenge. */
    async function consentChallenge(): Promise<string> {
      const client = await createClient(env.adminUrl, { grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid email', redirect_uris: [REDIRECT] });
      const browser = new Browser();
      const login = await env.driver.visit(browser, codeRequest(env.publicUrl, client.client_id, REDIRECT, { scope: 'openid email' }).url);
      const { next } = await env.driver.decide(browser, login, { accept: { subject: 'alice' } });
      if (next.at !== 'consent') throw new Error(`expected the consent app, the browser is at ${next.at}`);
      return next.challenge;
    }

    it('refuse bad accept and reject bodies with 400 and leave the request undecided', async () => {
      const id = await consentChallenge();
      const bodies: Array<['accept' | 'reject', unknown]> = [
        ...[{ grantScopes: 'openid' }, { grantScopes: [1] }, { grantScopes: { openid: true } }, { accessTokenExtra: 'x' }, { accessTokenExtra: [1] }, { idTokenExtra: 5 }, { subject: 5 }]
          .map((b): ['accept', unknown] => ['accept', b]),
        ['accept', { subject: 'mallory', grantScopes: ['openid'] }],
        ['accept', '{"grantScopes":'], ['accept', '[]'], ['accept', 'null'], ['reject', { reason: 5 }], ['reject', { reason: 'r'.repeat(1025) }], ['reject', '[]'],
      ];
      for (const [action, body] of bodies) {
        const res = await adm().patch(`/oauth2/consent/requests/${id}/${action}`).set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
        expectAdminError(res, 400, 'invalid_request', `${action} ${JSON.stringify(body).slice(0, 40)}`);
      }
      expect((await adm().get(`/oauth2/consent/requests/${id}`).expect(200)).body).toMatchObject({ id, requestedScopes: ['openid', 'email'] });
    });

    it('refuse a granted scope holding NUL (RFC 6749 §3.3), which no token can carry', async () => {
      const id = await consentChallenge();
      expectAdminError(await adm().patch(`/oauth2/consent/requests/${id}/accept`).send({ grantScopes: ['openid\u0000x'] }), 400, 'invalid_request');
      await adm().get(`/oauth2/consent/requests/${id}`).expect(200);
    });

    it('answer 410 to a second accept, to a reject after it, and to GET after the decision', async () => {
      const id = await consentChallenge();
      await adm().patch(`/oauth2/consent/requests/${id}/accept`).send({ subject: 'alice', grantScopes: ['openid'] }).expect(204);
      const again: Array<[Method, string, object?]> = [
        ['patch', `/oauth2/consent/requests/${id}/accept`, { grantScopes: ['openid', 'email'] }],
        ['patch', `/oauth2/consent/requests/${id}/reject`, { reason: 'changed my mind' }],
        ['get', `/oauth2/consent/requests/${id}`],
        ['patch', `/admin/oauth2/consent/requests/${id}/accept`, {}],
      ];
      for (const [method, path, body] of again) {
        const res = await adm()[method](path).send(body);
        expectAdminError(res, 410, 'request_already_handled', `${method} ${path}`);
        expect(res.body.redirect_to).toEqual(expect.any(String));
      }
    });

    it('answer 404 to unknown ids', async () => {
      for (const id of [randomUUID(), 'c'.repeat(2000), encodeURIComponent('ünknown')]) {
        expectAdminError(await adm().get(`/oauth2/consent/requests/${id}`), 404, 'not_found', `GET ${id.slice(0, 20)}`);
        expectAdminError(await adm().patch(`/oauth2/consent/requests/${id}/accept`).send({ grantScopes: [] }), 404, 'not_found', `accept ${id.slice(0, 20)}`);
        expectAdminError(await adm().patch(`/oauth2/consent/requests/${id}/reject`).send({}), 404, 'not_found', `reject ${id.slice(0, 20)}`);
      }
    });
  });

  describe('POST /oauth2/authorize/consent (first-party consent)', () => {
    let app: App;
    beforeAll(async () => (app = await createApp('first-party-owner')));
    const good = () => ({ client_id: app.id, scope: 'identify', response_type: 'code', redirect_uri: REDIRECT, state: 'state-1' });

    it('grants a good request (control)', async () => {
      const res = await adm().post('/oauth2/authorize/consent?subject=fp-control').send(good()).expect(200);
      expect(new URL(res.body.redirect_to).searchParams.get('code')).toEqual(expect.any(String));
    });

    const bad: Array<[string, Record<string, unknown>, string | undefined]> = [
      ['an unknown client', { client_id: 'no-such-application' }, undefined], ['an unregistered redirect_uri', { redirect_uri: 'https://evil.example/callback' }, undefined],
      ['a redirect_uri with a fragment', { redirect_uri: `${REDIRECT}#x` }, undefined], ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
      ['PKCE plain', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, undefined], ['a scope the client may not ask for', { scope: 'identify admin' }, 'invalid_scope'],
      ['client_id as a number', { client_id: 42 }, 'invalid_request'], ['scope as an array', { scope: ['identify'] }, 'invalid_request'],
      ['state as an object', { state: { a: 1 } }, 'invalid_request'], ['redirect_uri as an array', { redirect_uri: [REDIRECT] }, 'invalid_request'],
      ['a client_id with NUL', { client_id: 'app\u0000' }, 'invalid_request'], ['a state with NUL (refused at /oauth2/auth)', { state: 'state\u0000' }, 'invalid_request'],
    ];
    it.each(bad)('refuses %s with 400, granting nothing', async (_label, override, error) => {
      const res = await adm().post('/oauth2/authorize/consent?subject=fp-user').send({ ...good(), ...override });
      expectAdminError(res, 400, error);
      expect(res.body.redirect_to).toBeUndefined();
      expect((await adm().get('/oauth2/@me/authorizations?subject=fp-user').expect(200)).body).toEqual([]);
    });

    it('refuses a subject of 256 characters', async () => {
      expectAdminError(await adm().post(`/oauth2/authorize/consent?subject=${'s'.repeat(256)}`).send(good()), 400, 'invalid_request');
    });
  });

  describe('/connect/register/{id} with the client’s own credentials', () => {
    const register = async (body: Record<string, unknown> = {}) =>
      (await pub().post('/connect/register').send({ client_name: 'Registered', redirect_uris: [REDIRECT], ...body }).expect(201)).body as { client_id: string; client_secret: string; registration_access_token: string };

    it('refuses another client’s Basic credentials (401) and a query secret plus a Basic header (400) on GET, PUT and DELETE; nothing changes', async () => {
      const [a, b] = [await register(), await register()];
      const c = await register({ token_endpoint_auth_method: 'client_secret_post' });
      const cQuery = `?client_secret=${encodeURIComponent(c.client_secret)}`;
      for (const method of ['get', 'put', 'delete'] as const) {
        const put = (body: object) => (method === 'put' ? { client_name: 'pwned', redirect_uris: [REDIRECT], ...body } : undefined);
        const foreign = await pub()[method](`/connect/register/${a.client_id}`).set('Authorization', basic(b.client_id, b.client_secret)).send(put({}));
        expectPublicError(foreign, 401, 'invalid_client', `${method} with another client's Basic`);
        const both = await pub()[method](`/connect/register/${c.client_id}${cQuery}`).set('Authorization', basic(c.client_id, c.client_secret)).send(put({ token_endpoint_auth_method: 'client_secret_post' }));
        expectPublicError(both, 400, 'invalid_request', `${method} with a query secret and Basic`);
        for (const res of [foreign, both]) expectNoLeak(res, [a.client_secret, b.client_secret, c.client_secret]);
      }
      expect((await pub().get(`/connect/register/${a.client_id}`).set('Authorization', basic(a.client_id, a.client_secret)).expect(200)).body.client_name).toBe('Registered');
      expect((await pub().get(`/connect/register/${c.client_id}${cQuery}`).expect(200)).body.client_name).toBe('Registered');
    });

    it('refuses the wrong method, wrong secrets, foreign tokens, malformed Basic and admin-created clients with 401', async () => {
      const a = await register();
      const c = await register({ token_endpoint_auth_method: 'client_secret_post' });
      const admin = await createClient(env.adminUrl, { grant_types: ['client_credentials'] });
      const attempts: Array<[string, string, string?]> = [
        ['a basic client’s secret in the query', `/connect/register/${a.client_id}?client_secret=${encodeURIComponent(a.client_secret)}`],
        ['a post client’s secret in Basic', `/connect/register/${c.client_id}`, basic(c.client_id, c.client_secret)],
        ['a wrong query secret', `/connect/register/${c.client_id}?client_secret=wrong-secret-value`],
        ['another client’s query secret', `/connect/register/${a.client_id}?client_secret=${encodeURIComponent(c.client_secret)}`],
        ['a NUL in the Basic client id', `/connect/register/${a.client_id}`, basic(`${a.client_id}\u0000`, a.client_secret)],
        ['a malformed Basic header', `/connect/register/${a.client_id}`, 'Basic !!!not-base64!!!'],
        ['an admin-created client', `/connect/register/${admin.client_id}`, basic(admin.client_id, admin.client_secret!)],
        ['an unknown client', `/connect/register/${randomUUID()}`, basic('unknown', 'wrong-secret-value')],
      ];
      for (const [label, path, authorization] of attempts) {
        const res = await (authorization ? pub().get(path).set('Authorization', authorization) : pub().get(path));
        expectPublicError(res, 401, 'invalid_client', label);
        expectNoLeak(res, [a.client_secret, c.client_secret, admin.client_secret!, c.registration_access_token, 'wrong-secret-value']);
      }
      // RFC 7592 §2.1: a registration access token that is not this client's is an RFC 6750 invalid_token.
      const foreign = await pub().get(`/connect/register/${a.client_id}`).set('Authorization', `Bearer ${c.registration_access_token}`);
      expectPublicError(foreign, 401, 'invalid_token');
      expectNoLeak(foreign, [c.registration_access_token, a.client_secret]);
    });
  });
});

describe('seed paths: bodies over SERVE_REQUEST_BODY_LIMIT (2048)', () => {
  let small: TestServer, app: App;
  beforeAll(async () => {
    small = await startTestServer({ SERVE_REQUEST_BODY_LIMIT: '2048', OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true' });
    app = (await request(small.admin).post('/oauth2/applications?owner=big-owner').send({ name: 'Big', redirect_uris: [REDIRECT] }).expect(200)).body;
  });
  afterAll(() => small?.close());

  const tokenForm = (pad: number): Fields => [['grant_type', 'client_credentials'], ['client_id', app.id], ['client_secret', app.client_secret], ['pad', 'p'.repeat(pad)]];

  it('answers 413 in the RFC 6749 shape to multipart bodies over the limit, and serves one within it', async () => {
    await request(small.public).post('/oauth2/token').set('Content-Type', MULTIPART).send(multipart(tokenForm(1000))).expect(200);
    for (const path of ['/oauth2/token', '/oauth2/introspect', '/oauth2/token/revoke']) {
      const res = await request(small.public).post(path).set('Content-Type', MULTIPART).send(multipart([...tokenForm(4000), ['token', 'hy_at_x']]));
      expectPublicError(res, 413, 'request_too_large', path);
      expectNoLeak(res, [app.client_secret]);
    }
    expectPublicError(await request(small.public).post('/oauth2/introspect').type('form').send({ token: 'x'.repeat(4000) }), 413, 'request_too_large');
    expectPublicError(await request(small.public).post('/connect/register').send({ redirect_uris: [REDIRECT], client_name: 'n'.repeat(4000) }), 413, 'request_too_large');
  });

  it('answers 413 in the admin shape to JSON bodies over the limit on every new admin body, and changes nothing', async () => {
    const big = 'x'.repeat(4000);
    const targets: Array<[Method, string, object]> = [
      ['post', '/oauth2/applications?owner=big-owner', { name: 'Big', description: big }], ['patch', `/oauth2/applications/${app.id}?owner=big-owner`, { description: big }],
      ['patch', `/oauth2/applications/${app.id}/bot?owner=big-owner`, { avatar: big }], ['post', '/admin/personal-access-tokens', { subject: 'big-subject', name: big }],
      ['patch', `/oauth2/consent/requests/${randomUUID()}/accept`, { idTokenExtra: { blob: big } }],
      ['post', '/oauth2/authorize/consent?subject=big-subject', { client_id: app.id, response_type: 'code', scope: 'identify', redirect_uri: REDIRECT, state: big }],
    ];
    for (const [method, path, body] of targets) {
      expectAdminError(await request(small.admin)[method](path).send(body), 413, 'request_too_large', `${method.toUpperCase()} ${path}`);
    }
    const read = (await request(small.admin).get(`/oauth2/applications/${app.id}`).expect(200)).body;
    expect({ description: read.description, avatar: read.bot.avatar }).toEqual({ description: null, avatar: null });
    expect((await request(small.admin).get('/oauth2/applications/@me?owner=big-owner').expect(200)).body).toHaveLength(1);
    expect((await request(small.admin).get('/admin/personal-access-tokens?subject=big-subject').expect(200)).body).toEqual([]);
  });
});
