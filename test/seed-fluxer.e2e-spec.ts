import { randomUUID } from 'node:crypto';
import request, { Response } from 'supertest';
import { pkce, random } from './support/browser-flow';
import { startTestServer, TestServer } from './support/test-runtime';

/**
 * The Fluxer OAuth2 API (`shared/seeds/fluxer-oauth2-api.md`), every one of its 19 endpoints with the
 * document's own requests: management by the operator's backend on the admin port for `?owner=` and
 * `?subject=`, what a client, a token holder or a bot calls on the public port; token, introspection and
 * revocation as multipart/form-data with client_id/client_secret in the body.
 */

const ISSUER = 'https://auth.example.com/';
const REDIRECT = 'https://app.example/callback';
/** Fluxer's SudoVerificationSchema: the operator checked it; Hydrant ignores it. */
const SUDO = { password: 'x' };

interface App {
  id: string;
  secret: string;
  owner: string;
}

interface Tokens {
  access_token: string;
  refresh_token?: string;
  scope: string;
  [field: string]: unknown;
}

const sorted = (values: unknown): string[] => [...(values as string[])].sort();
const splitScope = (scope: string): string[] => scope.split(' ').filter(Boolean).sort();
const ids = (res: Response): string[] => (res.body as Array<{ id: string }>).map((a) => a.id).sort();

describe('Fluxer OAuth2 API (seed document)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ URLS_SELF_ISSUER: ISSUER });
  });
  afterAll(() => server?.close());

  const admin = () => request(server.admin);
  const pub = () => request(server.public);

  /** POST /oauth2/applications?owner= (create_oauth_application). */
  async function createApp(owner = `user-${randomUUID()}`, body: Record<string, unknown> = {}): Promise<App> {
    const res = await admin()
      .post(`/oauth2/applications?owner=${encodeURIComponent(owner)}`)
      .send({ name: 'My App', redirect_uris: [REDIRECT], bot_public: true, bot_require_code_grant: false, ...body });
    expect(res.status).toBe(200);
    return { id: res.body.id, secret: res.body.client_secret, owner };
  }

  /** A multipart/form-data POST on the public port, as Fluxer's generated client sends it. */
  function multipart(path: string, fields: Record<string, string>) {
    const req = pub().post(path);
    for (const [name, value] of Object.entries(fields)) req.field(name, value);
    return req;
  }

  const token = (app: App, fields: Record<string, string>, secret = app.secret) =>
    multipart('/oauth2/token', { ...fields, client_id: app.id, client_secret: secret });
  const introspect = (caller: App, value: string) => multipart('/oauth2/introspect', { token: value, client_id: caller.id, client_secret: caller.secret });
  const revoke = (app: App, value: string, hint?: string) =>
    multipart('/oauth2/token/revoke', { token: value, ...(hint ? { token_type_hint: hint } : {}), client_id: app.id, client_secret: app.secret });

  /** POST /oauth2/authorize/consent?subject= (provide_oauth2_consent) with PKCE S256; returns the callback and verifier. */
  async function consent(app: App, subject: string, scope: string, extra: Record<string, string> = {}): Promise<{ callback: URL; verifier: string; state: string }> {
    const { verifier, challenge } = pkce();
    const state = random();
    const res = await admin()
      .post(`/oauth2/authorize/consent?subject=${encodeURIComponent(subject)}`)
      .send({ client_id: app.id, scope, response_type: 'code', redirect_uri: REDIRECT, state, code_challenge: challenge, code_challenge_method: 'S256', ...extra });
    expect(res.status).toBe(200);
    expect(typeof res.body.redirect_to).toBe('string');
    return { callback: new URL(res.body.redirect_to), verifier, state };
  }

  /** A user's whole authorization: consent, then the code exchanged at /oauth2/token (multipart). */
  async function authorize(app: App, subject: string, scope = 'identify email offline_access'): Promise<Tokens> {
    const { callback, verifier } = await consent(app, subject, scope);
    const res = await token(app, { grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(res.status).toBe(200);
    return res.body as Tokens;
  }

  const me = (accessToken: string) => pub().get('/oauth2/@me').set('Authorization', `Bearer ${accessToken}`);
  const authorizations = (subject: string) => admin().get(`/oauth2/@me/authorizations?subject=${encodeURIComponent(subject)}`);
  const botApplication = (botToken: string) => pub().get('/applications/@me').set('Authorization', `Bot ${botToken}`);
  const resetBotToken = (app: App) => admin().post(`/oauth2/applications/${app.id}/bot/reset-token?owner=${encodeURIComponent(app.owner)}`).send(SUDO);

  function expectOAuthError(res: Response, status: number, error: string): void {
    expect(res.status).toBe(status);
    expect(res.body).toEqual(expect.objectContaining({ error, error_description: expect.any(String) }));
  }

  describe('applications (admin port, ?owner=)', () => {
    it('creates an application and answers its client_secret once; a read answers no secret', async () => {
      const owner = `user-${randomUUID()}`;
      const created = await admin()
        .post(`/oauth2/applications?owner=${owner}`)
        .send({ name: 'Fluxer App', redirect_uris: [REDIRECT], bot_public: false, bot_require_code_grant: true });
      expect(created.status).toBe(200);
      expect(created.body).toEqual(
        expect.objectContaining({
          id: expect.any(String),
          name: 'Fluxer App',
          redirect_uris: [REDIRECT],
          bot_public: false,
          bot_require_code_grant: true,
          client_secret: expect.any(String),
          bot: expect.objectContaining({ id: created.body.id, username: expect.any(String) }),
        }),
      );
      expect((created.body.client_secret as string).length).toBeGreaterThanOrEqual(32);

      const read = await admin().get(`/oauth2/applications/${created.body.id}?owner=${owner}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(expect.objectContaining({ id: created.body.id, name: 'Fluxer App', redirect_uris: [REDIRECT], bot_public: false, bot_require_code_grant: true }));
      expect(read.body).not.toHaveProperty('client_secret');
      expect(JSON.stringify(read.body)).not.toContain(created.body.client_secret);
    });

    it('takes the owner from the body too, refuses an application without owner, hides it from another owner', async () => {
      const owner = `user-${randomUUID()}`;
      const created = await admin().post('/oauth2/applications').send({ name: 'Body Owner', redirect_uris: [REDIRECT], owner });
      expect(created.status).toBe(200);
      expect((await admin().get(`/oauth2/applications/${created.body.id}?owner=${owner}`)).status).toBe(200);
      expect((await admin().get(`/oauth2/applications/${created.body.id}?owner=someone-else`)).status).toBe(404);
      expect((await admin().get(`/oauth2/applications/${randomUUID()}?owner=${owner}`)).status).toBe(404);
      const ownerless = await admin().post('/oauth2/applications').send({ name: 'Nobody', redirect_uris: [REDIRECT] });
      expect(ownerless.status).toBe(400);
    });

    it.each(['/oauth2/applications/@me', '/users/@me/applications', '/applications/@me'])(
      'GET %s?owner= lists exactly the owner’s applications, without secrets',
      async (path) => {
        const alice = `alice-${randomUUID()}`;
        const bob = `bob-${randomUUID()}`;
        const mine = [await createApp(alice, { name: 'A1' }), await createApp(alice, { name: 'A2' })];
        const theirs = await createApp(bob, { name: 'B1' });

        const listed = await admin().get(`${path}?owner=${alice}`);
        expect(listed.status).toBe(200);
        expect(ids(listed)).toEqual(mine.map((a) => a.id).sort());
        for (const app of listed.body as Array<Record<string, unknown>>) {
          expect(app).not.toHaveProperty('client_secret');
          expect(app).toEqual(expect.objectContaining({ name: expect.stringMatching(/^A[12]$/), redirect_uris: [REDIRECT] }));
        }
        expect(ids(await admin().get(`${path}?owner=${bob}`))).toEqual([theirs.id]);
        expect((await admin().get(`${path}?owner=nobody-${randomUUID()}`)).body).toEqual([]);
        expect((await admin().get(path)).status).toBe(400);
      },
    );

    it('PATCH /oauth2/applications/{id} changes only the given fields and keeps the secret working', async () => {
      const app = await createApp(undefined, { name: 'Before', bot_public: true, description: 'old' });
      const patched = await admin().patch(`/oauth2/applications/${app.id}?owner=${app.owner}`).send({ name: 'After', description: 'new' });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual(expect.objectContaining({ id: app.id, name: 'After', description: 'new', redirect_uris: [REDIRECT], bot_public: true }));
      expect(patched.body).not.toHaveProperty('client_secret');

      const read = await admin().get(`/oauth2/applications/${app.id}?owner=${app.owner}`);
      expect(read.body).toEqual(expect.objectContaining({ name: 'After', description: 'new', redirect_uris: [REDIRECT], bot_public: true }));
      const cc = await token(app, { grant_type: 'client_credentials' });
      expect(cc.status).toBe(200);
      expect(cc.body.access_token).toEqual(expect.any(String));

      expect((await admin().patch(`/oauth2/applications/${app.id}?owner=someone-else`).send({ name: 'Stolen' })).status).toBe(404);
      expect((await admin().get(`/oauth2/applications/${app.id}?owner=${app.owner}`)).body.name).toBe('After');
    });

    it('GET /oauth2/applications/{id}/public on the public port shows the consent screen’s view, no secret, no owner', async () => {
      const app = await createApp(undefined, { name: 'Public View', description: 'what it does', bot_public: true });
      const res = await pub().get(`/oauth2/applications/${app.id}/public`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({ id: app.id, name: 'Public View', description: 'what it does', redirect_uris: [REDIRECT], bot_public: true, scopes: expect.arrayContaining(['identify', 'email']) }),
      );
      expect(res.body).toHaveProperty('icon');
      expect(res.body).not.toHaveProperty('client_secret');
      expect(res.body).not.toHaveProperty('owner');
      expect(JSON.stringify(res.body)).not.toContain(app.owner);
      expect((await pub().get(`/oauth2/applications/${randomUUID()}/public`)).status).toBe(404);
    });

    it('issues client_credentials tokens at /oauth2/token (multipart, credentials in the body)', async () => {
      const app = await createApp();
      const res = await token(app, { grant_type: 'client_credentials', scope: 'identify' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ access_token: expect.any(String), token_type: expect.stringMatching(/^bearer$/i), expires_in: expect.any(Number) }));
      const seen = await introspect(app, res.body.access_token);
      expect(seen.status).toBe(200);
      expect(seen.body).toEqual(expect.objectContaining({ active: true, client_id: app.id }));
      expectOAuthError(await token(app, { grant_type: 'client_credentials' }, 'wrong-secret'), 401, 'invalid_client');
      // "Client authentication via authorization header or client credentials": the Basic header works as well.
      const basic = await multipart('/oauth2/token', { grant_type: 'client_credentials' }).auth(app.id, app.secret);
      expect(basic.status).toBe(200);
    });
  });

  describe('a user authorizes an application', () => {
    it('POST /oauth2/authorize/consent?subject= answers redirect_to with code, state and iss; the code redeems with PKCE', async () => {
      const app = await createApp();
      const { callback, verifier, state } = await consent(app, 'user-consent', 'identify offline_access');
      expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT);
      expect(callback.searchParams.get('state')).toBe(state);
      expect(callback.searchParams.get('iss')).toBe(ISSUER);
      expect(splitScope(callback.searchParams.get('scope')!)).toEqual(['identify', 'offline_access']);
      const code = callback.searchParams.get('code')!;

      const ok = await token(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
      expect(ok.status).toBe(200);
      const tokens = ok.body as Tokens;
      expect(tokens).toEqual(expect.objectContaining({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: expect.stringMatching(/^bearer$/i) }));
      expect(splitScope(tokens.scope)).toEqual(['identify', 'offline_access']);
      expectOAuthError(await token(app, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }), 400, 'invalid_grant');

      const other = await consent(app, 'user-consent', 'identify');
      const wrongVerifier = { grant_type: 'authorization_code', code: other.callback.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: pkce().verifier };
      expectOAuthError(await token(app, wrongVerifier), 400, 'invalid_grant');
    });

    it('refuses what /oauth2/auth refuses: unknown client, foreign redirect_uri, unknown scope, plain PKCE', async () => {
      const app = await createApp();
      const post = (body: Record<string, string>) =>
        admin().post('/oauth2/authorize/consent?subject=u1').send({ client_id: app.id, scope: 'identify', response_type: 'code', redirect_uri: REDIRECT, state: random(), ...body });
      expect((await post({ client_id: randomUUID() })).status).toBe(400);
      expect((await post({ redirect_uri: 'https://evil.example/cb' })).status).toBe(400);
      const badScope = await post({ scope: 'identify admin:everything' });
      expect(badScope.status).toBe(400);
      expect(badScope.body.error).toBe('invalid_scope');
      expect((await post({ code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' })).status).toBe(400);
      expect((await admin().post('/oauth2/authorize/consent').send({ client_id: app.id, scope: 'identify', response_type: 'code', redirect_uri: REDIRECT })).status).toBe(400);
    });

    it('GET /oauth2/@me shows application, scopes, expires and the user when identify was granted', async () => {
      const app = await createApp(undefined, { name: 'Me App' });
      const tokens = await authorize(app, 'user-me', 'identify email');
      const res = await me(tokens.access_token);
      expect(res.status).toBe(200);
      expect(res.body.application).toEqual(expect.objectContaining({ id: app.id, name: 'Me App' }));
      expect(sorted(res.body.scopes)).toEqual(['email', 'identify']);
      expect(new Date(res.body.expires).toISOString()).toBe(res.body.expires);
      expect(Date.parse(res.body.expires)).toBeGreaterThan(Date.now());
      expect(res.body.user).toEqual(expect.objectContaining({ id: 'user-me' }));

      const withoutIdentify = await me((await authorize(app, 'user-me', 'guilds')).access_token);
      expect(withoutIdentify.status).toBe(200);
      expect(withoutIdentify.body.scopes).toEqual(['guilds']);
      expect(withoutIdentify.body).not.toHaveProperty('user');

      expectOAuthError(await me('not-a-token'), 401, 'invalid_token');
      expect((await pub().get('/oauth2/@me')).status).toBe(401);
    });

    it('GET /oauth2/userinfo answers the user of an identify token', async () => {
      const app = await createApp();
      const tokens = await authorize(app, 'user-info', 'identify');
      const res = await pub().get('/oauth2/userinfo').set('Authorization', `Bearer ${tokens.access_token}`);
      expect(res.status).toBe(200);
      expect(res.body.sub).toBe('user-info');
      const guildsOnly = await authorize(app, 'user-info', 'guilds');
      expectOAuthError(await pub().get('/oauth2/userinfo').set('Authorization', `Bearer ${guildsOnly.access_token}`), 403, 'insufficient_scope');
      expectOAuthError(await pub().get('/oauth2/userinfo').set('Authorization', 'Bearer garbage'), 401, 'invalid_token');
    });

    it('/oauth2/introspect shows the token active; /oauth2/token/revoke answers 200 and it is inactive after', async () => {
      const app = await createApp();
      const tokens = await authorize(app, 'user-revoke', 'identify offline_access');
      const before = await introspect(app, tokens.access_token);
      expect(before.status).toBe(200);
      expect(before.body).toEqual(expect.objectContaining({ active: true, client_id: app.id, sub: 'user-revoke', exp: expect.any(Number) }));
      expect(splitScope(before.body.scope)).toEqual(['identify', 'offline_access']);

      const revoked = await revoke(app, tokens.access_token, 'access_token');
      expect(revoked.status).toBe(200);
      expect(revoked.text).toBe('');
      expect((await introspect(app, tokens.access_token)).body).toEqual({ active: false });
      expect((await me(tokens.access_token)).status).toBe(401);

      expect((await revoke(app, tokens.refresh_token!, 'refresh_token')).status).toBe(200);
      expectOAuthError(await token(app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }), 400, 'invalid_grant');
      expect((await multipart('/oauth2/introspect', { token: tokens.access_token, client_id: app.id, client_secret: 'wrong' })).status).toBe(401);
    });

    it('GET /oauth2/@me/authorizations?subject= lists the application with its scopes and authorized_at', async () => {
      const app = await createApp(undefined, { name: 'Listed App' });
      const subject = `user-${randomUUID()}`;
      await authorize(app, subject, 'identify email');
      const res = await authorizations(subject);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      const [entry] = res.body;
      expect(entry.application).toEqual(expect.objectContaining({ id: app.id, name: 'Listed App' }));
      expect(sorted(entry.scopes)).toEqual(['email', 'identify']);
      expect(new Date(entry.authorized_at).toISOString()).toBe(entry.authorized_at);

      expect((await authorizations(`other-${randomUUID()}`)).body).toEqual([]);
      expect((await admin().get('/oauth2/@me/authorizations')).status).toBe(400);
    });

    it('DELETE /oauth2/@me/authorizations/{applicationId}?subject= kills its tokens at once and unlists it', async () => {
      const app = await createApp();
      const subject = `user-${randomUUID()}`;
      const tokens = await authorize(app, subject, 'identify offline_access');
      const otherUser = await authorize(app, `bystander-${randomUUID()}`, 'identify');

      const res = await admin().delete(`/oauth2/@me/authorizations/${app.id}?subject=${subject}`);
      expect(res.status).toBe(204);
      expect((await introspect(app, tokens.access_token)).body).toEqual({ active: false });
      expect((await introspect(app, tokens.refresh_token!)).body).toEqual({ active: false });
      expect((await me(tokens.access_token)).status).toBe(401);
      expectOAuthError(await token(app, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }), 400, 'invalid_grant');
      expect((await authorizations(subject)).body).toEqual([]);
      // Another user's authorization of the same application stays.
      expect((await introspect(app, otherUser.access_token)).body.active).toBe(true);

      expect((await admin().delete(`/oauth2/@me/authorizations/${app.id}?subject=${subject}`)).status).toBe(404);
      expect((await admin().delete(`/oauth2/@me/authorizations/${app.id}`)).status).toBe(400);
    });
  });

  describe('credentials and the bot', () => {
    it('POST /oauth2/applications/{id}/client-secret/reset answers a new secret; tokens issued before keep working', async () => {
      const app = await createApp();
      const tokens = await authorize(app, `user-${randomUUID()}`, 'identify offline_access');
      const res = await admin().post(`/oauth2/applications/${app.id}/client-secret/reset?owner=${app.owner}`).send(SUDO);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ id: app.id, client_secret: expect.any(String) }));
      expect(res.body.client_secret).not.toBe(app.secret);
      const rotated: App = { ...app, secret: res.body.client_secret };

      expect((await me(tokens.access_token)).status).toBe(200);
      expect((await introspect(rotated, tokens.access_token)).body.active).toBe(true);
      const refreshed = await token(rotated, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.access_token).toEqual(expect.any(String));
      expect((await token(rotated, { grant_type: 'client_credentials' })).status).toBe(200);
      expect((await admin().get(`/oauth2/applications/${app.id}?owner=${app.owner}`)).body).not.toHaveProperty('client_secret');
      expect((await admin().post(`/oauth2/applications/${app.id}/client-secret/reset?owner=someone-else`).send(SUDO)).status).toBe(404);
    });

    it('POST …/bot/reset-token gives a bot token for GET /applications/@me; a second reset retires the first at once', async () => {
      const app = await createApp(undefined, { name: 'Bot App' });
      const first = await resetBotToken(app);
      expect(first.status).toBe(200);
      expect(first.body).toEqual(expect.objectContaining({ token: expect.any(String), bot: expect.objectContaining({ id: app.id, username: expect.any(String) }) }));

      const seen = await botApplication(first.body.token);
      expect(seen.status).toBe(200);
      expect(seen.body).toEqual(expect.objectContaining({ id: app.id, name: 'Bot App', redirect_uris: [REDIRECT], bot_public: true, owner: expect.objectContaining({ id: app.owner }) }));
      expect(seen.body.bot).toEqual(expect.objectContaining({ id: app.id }));
      expect(seen.body).not.toHaveProperty('client_secret');

      const second = await resetBotToken(app);
      expect(second.status).toBe(200);
      expect(second.body.token).not.toBe(first.body.token);
      expectOAuthError(await botApplication(first.body.token), 401, 'invalid_token');
      expect((await botApplication(second.body.token)).status).toBe(200);
      expect((await pub().get('/applications/@me').set('Authorization', `Bearer ${second.body.token}`)).body.id).toBe(app.id);

      // A user's access token is no bot token.
      const userToken = (await authorize(app, `user-${randomUUID()}`, 'identify')).access_token;
      expectOAuthError(await botApplication(userToken), 401, 'invalid_token');
      expect((await pub().get('/applications/@me')).status).toBe(401);
    });

    it('PATCH /oauth2/applications/{id}/bot answers the bot profile with id and username', async () => {
      const app = await createApp();
      const res = await admin().patch(`/oauth2/applications/${app.id}/bot?owner=${app.owner}`).send({ username: 'helper-bot', bio: 'I help' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expect.objectContaining({ id: app.id, username: 'helper-bot', bio: 'I help' }));
      const read = await admin().get(`/oauth2/applications/${app.id}?owner=${app.owner}`);
      expect(read.body.bot).toEqual(expect.objectContaining({ id: app.id, username: 'helper-bot' }));
      expect((await admin().patch(`/oauth2/applications/${app.id}/bot?owner=someone-else`).send({ username: 'x' })).status).toBe(404);
    });
  });

  describe('DELETE /oauth2/applications/{id}', () => {
    it('answers 204 and every token the application issued or holds dies at once; its authorizations go', async () => {
      const app = await createApp();
      const inspector = await createApp();
      const subject = `user-${randomUUID()}`;
      const user = await authorize(app, subject, 'identify offline_access');
      const cc = (await token(app, { grant_type: 'client_credentials' })).body.access_token as string;
      const bot = (await resetBotToken(app)).body.token as string;
      expect((await introspect(inspector, user.access_token)).body.active).toBe(true);
      expect((await authorizations(subject)).body).toHaveLength(1);

      const res = await admin().delete(`/oauth2/applications/${app.id}?owner=${app.owner}`).send(SUDO);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');

      for (const t of [user.access_token, user.refresh_token!, cc, bot]) expect((await introspect(inspector, t)).body).toEqual({ active: false });
      expect((await me(user.access_token)).status).toBe(401);
      expect((await botApplication(bot)).status).toBe(401);
      expect((await token(app, { grant_type: 'refresh_token', refresh_token: user.refresh_token! })).status).toBe(401);
      expect((await authorizations(subject)).body).toEqual([]);
      expect((await admin().get(`/oauth2/applications/${app.id}?owner=${app.owner}`)).status).toBe(404);
      expect((await pub().get(`/oauth2/applications/${app.id}/public`)).status).toBe(404);
      expect(ids(await admin().get(`/oauth2/applications/@me?owner=${app.owner}`))).toEqual([]);
    });

    it('refuses another owner’s delete with 404 and leaves the application alone', async () => {
      const app = await createApp();
      expect((await admin().delete(`/oauth2/applications/${app.id}?owner=someone-else`).send(SUDO)).status).toBe(404);
      expect((await admin().get(`/oauth2/applications/${app.id}?owner=${app.owner}`)).status).toBe(200);
    });
  });
});
