import { randomUUID } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { Browser, codeRequest, createClient, FlowServer, random, startFlowServer, tokenRequest } from './support/browser-flow';

/**
 * The seed document hydra-legacy-oauth2-api.md (Hydra v0's OAuth2Api, 16 endpoints), walked with its own
 * requests: the operator's endpoints on the admin port at v0's paths (no `/admin` prefix: `/clients`,
 * `/oauth2/flush`, `/oauth2/introspect`, `/oauth2/consent/requests/{id}`), what browsers and clients call
 * on the public port. v0's consent requests are the consent challenges of flows whose login was accepted
 * through the v2 admin API.
 */

const REDIRECT = 'https://rp.example/callback';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** One call by fetch, JSON or form; the body parsed when it is JSON. */
async function call(method: string, url: string, init: { headers?: Record<string, string>; json?: unknown; form?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  let body: string | undefined;
  if (init.json !== undefined) [headers['content-type'], body] = ['application/json', JSON.stringify(init.json)];
  if (init.form !== undefined) [headers['content-type'], body] = ['application/x-www-form-urlencoded', new URLSearchParams(init.form).toString()];
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });

describe('Hydra v0 OAuth2Api (hydra-legacy-oauth2-api.md)', () => {
  let env: FlowServer;

  beforeAll(async () => {
    env = await startFlowServer();
  });
  afterAll(() => env?.close());

  /** The admin port at v0's paths, without the `/admin` prefix. */
  const admin = (method: string, path: string, init: Parameters<typeof call>[2] = {}) => call(method, `${env.adminUrl}${path}`, init);
  const pub = (method: string, path: string, init: Parameters<typeof call>[2] = {}) => call(method, `${env.publicUrl}${path}`, init);
  const introspectV0 = (form: Record<string, string>) => admin('POST', '/oauth2/introspect', { form });

  /** A client_credentials token of `client` (client_secret_basic), or undefined when refused. */
  async function clientToken(id: string, secret: string): Promise<string | undefined> {
    const res = await tokenRequest(env.publicUrl, { grant_type: 'client_credentials', scope: 'read' }, { id, secret });
    return res.status === 200 ? res.body.access_token : undefined;
  }

  const machineClient = (body: Record<string, unknown> = {}) => admin('POST', '/clients', { json: { grant_types: ['client_credentials'], scope: 'read write', ...body } });

  describe('/clients', () => {
    it('POST /clients creates a client and returns the secret it was given, or a generated one', async () => {
      const chosen = await machineClient({ client_id: `v0-${randomUUID()}`, client_name: 'v0 machine', client_secret: 'a-chosen-secret-0123456789abcdef' });
      expect(chosen.status).toBe(201);
      expect(chosen.body).toMatchObject({ client_name: 'v0 machine', client_secret: 'a-chosen-secret-0123456789abcdef', grant_types: ['client_credentials'], scope: 'read write' });
      expect(await clientToken(chosen.body.client_id, 'a-chosen-secret-0123456789abcdef')).toEqual(expect.any(String));

      const generated = await machineClient();
      expect(generated.status).toBe(201);
      expect(generated.body.client_id).toEqual(expect.any(String));
      expect(generated.body.client_secret).toEqual(expect.any(String));
      expect(await clientToken(generated.body.client_id, generated.body.client_secret)).toEqual(expect.any(String));
    });

    it('GET /clients lists clients without secrets, paged by limit and offset', async () => {
      for (let i = 0; i < 4; i++) expect((await machineClient({ client_name: `listed-${i}` })).status).toBe(201);
      const all = await admin('GET', '/clients?limit=1000');
      expect(all.status).toBe(200);
      expect(all.body.length).toBeGreaterThanOrEqual(4);
      for (const client of all.body) expect(client).not.toHaveProperty('client_secret');
      const ids = (list: { client_id: string }[]) => list.map((c) => c.client_id);
      const first = await admin('GET', '/clients?limit=2&offset=0');
      const second = await admin('GET', '/clients?limit=2&offset=2');
      expect(ids(first.body)).toEqual(ids(all.body).slice(0, 2));
      expect(ids(second.body)).toEqual(ids(all.body).slice(2, 4));
      expect((await admin('GET', `/clients?limit=1000&offset=${all.body.length}`)).body).toEqual([]);
    });

    it('GET /clients/{id} answers the client, never its secret; an unknown id is 404', async () => {
      const created = await machineClient({ client_name: 'read me' });
      const res = await admin('GET', `/clients/${created.body.client_id}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ client_id: created.body.client_id, client_name: 'read me' });
      expect(res.body).not.toHaveProperty('client_secret');
      expect(res.text).not.toContain(created.body.client_secret);
      expect((await admin('GET', `/clients/no-such-${randomUUID()}`)).status).toBe(404);
    });

    it('PUT /clients/{id} updates the client; without client_secret the secret stays, with one it is replaced and returned', async () => {
      const created = (await machineClient({ client_name: 'before' })).body;
      const kept = await admin('PUT', `/clients/${created.client_id}`, { json: { client_name: 'after', grant_types: ['client_credentials'], scope: 'read' } });
      expect(kept.status).toBe(200);
      expect(kept.body).toMatchObject({ client_id: created.client_id, client_name: 'after', scope: 'read' });
      expect(kept.body).not.toHaveProperty('client_secret');
      expect(await clientToken(created.client_id, created.client_secret)).toEqual(expect.any(String));

      const secret = `replaced-${randomUUID()}`;
      const replaced = await admin('PUT', `/clients/${created.client_id}`, { json: { client_name: 'after', grant_types: ['client_credentials'], scope: 'read', client_secret: secret } });
      expect(replaced.status).toBe(200);
      expect(replaced.body.client_secret).toBe(secret);
      expect(await clientToken(created.client_id, secret)).toEqual(expect.any(String));
      expect(await clientToken(created.client_id, created.client_secret)).toBeUndefined();
    });

    it('DELETE /clients/{id} deletes the client and its tokens', async () => {
      const created = (await machineClient()).body;
      const token = (await clientToken(created.client_id, created.client_secret))!;
      const res = await admin('DELETE', `/clients/${created.client_id}`);
      expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
      expect((await admin('GET', `/clients/${created.client_id}`)).status).toBe(404);
      expect((await introspectV0({ token })).body).toEqual({ active: false });
      expect(await clientToken(created.client_id, created.client_secret)).toBeUndefined();
      expect((await admin('DELETE', `/clients/${created.client_id}`)).status).toBe(404);
    });
  });

  describe('POST /oauth2/flush', () => {
    /** How many token rows of `clientId` the database holds. */
    async function storedTokens(clientId: string): Promise<number> {
      const ds = env.server.runtime.dataSource;
      const rows = await ds.query(`SELECT COUNT(*) AS n FROM "hydrant_token" WHERE "client_id" = ${ds.options.type === 'postgres' ? '$1' : '?'}`, [clientId]);
      return Number(rows[0].n);
    }

    it('deletes inactive tokens from the database, sparing those after notAfter, and keeps live tokens', async () => {
      const client = (await machineClient()).body;
      const revoked = (await clientToken(client.client_id, client.client_secret))!;
      expect((await pub('POST', '/oauth2/revoke', { headers: basic(client.client_id, client.client_secret), form: { token: revoked } })).status).toBe(200);
      expect(await storedTokens(client.client_id)).toBe(1);

      // Revoked later than notAfter: kept (for auditing, as the document says).
      const hourAgo = new Date(Date.now() - 3600_000).toISOString();
      expect((await admin('POST', '/oauth2/flush', { json: { notAfter: hourAgo } })).status).toBe(204);
      expect(await storedTokens(client.client_id)).toBe(1);

      const live = (await clientToken(client.client_id, client.client_secret))!;
      const res = await admin('POST', '/oauth2/flush', { json: { notAfter: new Date(Date.now() + 60_000).toISOString() } });
      expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
      expect(await storedTokens(client.client_id)).toBe(1);
      expect((await introspectV0({ token: live })).body.active).toBe(true);
    });

    it('refuses a notAfter that is not a time with 400', async () => {
      const res = await admin('POST', '/oauth2/flush', { json: { notAfter: 'yesterday' } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_request', status_code: 400 });
    });
  });

  describe('POST /oauth2/introspect (admin, form)', () => {
    it('answers an active token with its details, honours the optional scope, and calls anything else inactive', async () => {
      const client = (await machineClient()).body;
      const token = (await clientToken(client.client_id, client.client_secret))!;
      const res = await introspectV0({ token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ active: true, client_id: client.client_id, scope: 'read', exp: expect.any(Number), iat: expect.any(Number) });
      expect((await introspectV0({ token, scope: 'read' })).body.active).toBe(true);
      expect((await introspectV0({ token, scope: 'write' })).body).toEqual({ active: false });
      expect((await introspectV0({ token: 'no-such-token' })).body).toEqual({ active: false });
      expect((await introspectV0({})).status).toBe(400);
    });
  });

  describe('GET /.well-known/openid-configuration and /.well-known/jwks.json (public)', () => {
    it('publishes the issuer, its endpoints and public signing keys', async () => {
      const wellKnown = await pub('GET', '/.well-known/openid-configuration');
      expect(wellKnown.status).toBe(200);
      expect(wellKnown.body).toMatchObject({
        issuer: env.issuer,
        authorization_endpoint: `${env.issuer}oauth2/auth`,
        token_endpoint: `${env.issuer}oauth2/token`,
        jwks_uri: `${env.issuer}.well-known/jwks.json`,
        userinfo_endpoint: `${env.issuer}userinfo`,
      });
      const jwks = await pub('GET', '/.well-known/jwks.json');
      expect(jwks.status).toBe(200);
      expect(jwks.body.keys.length).toBeGreaterThan(0);
      for (const key of jwks.body.keys) {
        expect(key).toMatchObject({ kid: expect.any(String), use: 'sig' });
        for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(secret);
      }
    });
  });

  // The consent flow: a browser at /oauth2/auth, its login accepted through the v2 admin API, waiting for consent.

  interface Pending {
    browser: Browser;
    client: { id: string; secret: string };
    consentId: string;
    verifier: string;
    state: string;
  }

  /** A flow at `/oauth2/auth` whose login `subject` accepted through the v2 admin API; `consentId` is its consent challenge. */
  async function pendingConsent(subject: string, scope = 'openid offline_access email'): Promise<Pending> {
    const created = await createClient(env.adminUrl, {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline_access email profile',
      redirect_uris: [REDIRECT],
    });
    const browser = new Browser();
    const state = random();
    const { url, verifier } = codeRequest(env.publicUrl, created.client_id, REDIRECT, { scope, state });
    const login = await env.driver.visit(browser, url);
    if (login.at !== 'login') throw new Error(`expected the login app, the browser is at ${login.at}`);
    const redirectTo = await env.admin.redirectTo('login', { accept: { subject } }, login.challenge);
    const consent = await env.driver.visit(browser, redirectTo);
    if (consent.at !== 'consent') throw new Error(`expected the consent app, the browser is at ${consent.at}`);
    return { browser, client: { id: created.client_id, secret: created.client_secret! }, consentId: consent.challenge, verifier, state };
  }

  const consentRequest = (id: string) => admin('GET', `/oauth2/consent/requests/${encodeURIComponent(id)}`);
  const decide = (id: string, action: 'accept' | 'reject', json: Record<string, unknown>) =>
    admin('PATCH', `/oauth2/consent/requests/${encodeURIComponent(id)}/${action}`, { json });

  /** The consent app sent the browser to redirectUrl: the query it arrives at the client with. */
  async function follow(pending: Pending, redirectUrl: string): Promise<URLSearchParams> {
    const landing = await env.driver.visit(pending.browser, redirectUrl);
    if (landing.at !== 'client') throw new Error(`expected the client, the browser is at ${landing.at}`);
    expect(`${landing.url.origin}${landing.url.pathname}`).toBe(REDIRECT);
    return landing.params;
  }

  /** A whole v0 authorization of `subject`: accepted with `acceptance`, the code redeemed at /oauth2/token. */
  async function authorize(subject: string, acceptance: Record<string, unknown> = {}) {
    const pending = await pendingConsent(subject);
    const { redirectUrl } = (await consentRequest(pending.consentId)).body;
    expect((await decide(pending.consentId, 'accept', { subject, grantScopes: ['openid', 'offline_access'], ...acceptance })).status).toBe(204);
    const params = await follow(pending, redirectUrl);
    const form = { grant_type: 'authorization_code', code: params.get('code') ?? '', redirect_uri: REDIRECT, code_verifier: pending.verifier };
    const res = await tokenRequest(env.publicUrl, form, pending.client);
    expect(res.status).toBe(200);
    return { pending, params, tokens: res.body as Record<string, string> };
  }

  function expectHandled(res: Answer): void {
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject({ error: 'request_already_handled', status_code: 410 });
  }

  describe('GET /oauth2/consent/requests/{id}', () => {
    it('answers the v0 shape: id, requestedScopes, clientId, redirectUrl, expiresAt', async () => {
      const pending = await pendingConsent(`reader-${randomUUID()}`);
      const res = await consentRequest(pending.consentId);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: pending.consentId, requestedScopes: ['openid', 'offline_access', 'email'], clientId: pending.client.id });
      expect(res.body.redirectUrl.startsWith(`${env.publicUrl}/oauth2/auth?`)).toBe(true);
      expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now());
    });

    it('answers 404 for an unknown id and for a login challenge', async () => {
      expect((await consentRequest(`unknown-${randomUUID()}`)).status).toBe(404);
      const created = await createClient(env.adminUrl, { grant_types: ['authorization_code'], response_types: ['code'], scope: 'openid', redirect_uris: [REDIRECT] });
      const login = await env.driver.visit(new Browser(), codeRequest(env.publicUrl, created.client_id, REDIRECT, { scope: 'openid' }).url);
      if (login.at !== 'login') throw new Error(`expected the login app, the browser is at ${login.at}`);
      expect((await consentRequest(login.challenge)).status).toBe(404);
    });

    it('answers 404 once the request expired, to reading and deciding alike', async () => {
      const pending = await pendingConsent(`late-${randomUUID()}`, 'openid');
      const ds = env.server.runtime.dataSource;
      const [at, id] = ds.options.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
      await ds.query(`UPDATE "hydrant_flow" SET "expires_at" = ${at} WHERE "id" = ${id}`, [Date.now() - 1000, pending.consentId.split('.')[0]]);
      expect((await consentRequest(pending.consentId)).status).toBe(404);
      expect((await decide(pending.consentId, 'accept', { grantScopes: ['openid'] })).status).toBe(404);
      expect((await decide(pending.consentId, 'reject', { reason: 'no' })).status).toBe(404);
    });
  });

  describe('PATCH /oauth2/consent/requests/{id}/accept', () => {
    it('answers 204; the browser reaches the client with a code for exactly grantScopes, the extras in the tokens', async () => {
      const subject = `alice-${randomUUID()}`;
      const pending = await pendingConsent(subject);
      const { redirectUrl } = (await consentRequest(pending.consentId)).body;
      const accepted = await decide(pending.consentId, 'accept', {
        subject,
        grantScopes: ['openid', 'offline_access'],
        accessTokenExtra: { tier: 'gold' },
        idTokenExtra: { tenant: 'acme' },
      });
      expect({ status: accepted.status, text: accepted.text }).toEqual({ status: 204, text: '' });

      const params = await follow(pending, redirectUrl);
      expect(params.get('state')).toBe(pending.state);
      expect(params.get('scope')).toBe('openid offline_access');
      const form = { grant_type: 'authorization_code', code: params.get('code')!, redirect_uri: REDIRECT, code_verifier: pending.verifier };
      const tokens = await tokenRequest(env.publicUrl, form, pending.client);
      expect(tokens.status).toBe(200);
      expect(tokens.body.scope).toBe('openid offline_access');

      const introspected = await introspectV0({ token: tokens.body.access_token });
      expect(introspected.body).toMatchObject({ active: true, sub: subject, client_id: pending.client.id, scope: 'openid offline_access', ext: { tier: 'gold' } });
      const jwks = createRemoteJWKSet(new URL(`${env.publicUrl}/.well-known/jwks.json`));
      const { payload } = await jwtVerify(tokens.body.id_token, jwks, { issuer: env.issuer, audience: pending.client.id });
      expect(payload).toMatchObject({ sub: subject, tenant: 'acme' });

      // Decided once: reading or deciding again is 410.
      expectHandled(await consentRequest(pending.consentId));
      expectHandled(await decide(pending.consentId, 'accept', { subject, grantScopes: ['openid', 'email'] }));
      expectHandled(await decide(pending.consentId, 'reject', { reason: 'too late' }));
    });

    it('refuses a subject other than the one who logged in with 400, and leaves the request open', async () => {
      const subject = `carol-${randomUUID()}`;
      const pending = await pendingConsent(subject, 'openid');
      const res = await decide(pending.consentId, 'accept', { subject: 'mallory', grantScopes: ['openid'] });
      expect(res.status).toBe(400);
      expect(res.body.status_code).toBe(400);
      const { redirectUrl } = (await consentRequest(pending.consentId)).body;
      expect((await decide(pending.consentId, 'accept', { subject, grantScopes: ['openid'] })).status).toBe(204);
      expect((await follow(pending, redirectUrl)).get('code')).toEqual(expect.any(String));
    });

    it('answers 404 for an unknown id', async () => {
      expect((await decide(`unknown-${randomUUID()}`, 'accept', { grantScopes: ['openid'] })).status).toBe(404);
    });
  });

  describe('PATCH /oauth2/consent/requests/{id}/reject', () => {
    it('answers 204; the client gets access_denied with its state and the reason', async () => {
      const pending = await pendingConsent(`bob-${randomUUID()}`);
      const { redirectUrl } = (await consentRequest(pending.consentId)).body;
      const rejected = await decide(pending.consentId, 'reject', { reason: 'The user said no' });
      expect({ status: rejected.status, text: rejected.text }).toEqual({ status: 204, text: '' });
      const params = await follow(pending, redirectUrl);
      expect(params.get('error')).toBe('access_denied');
      expect(params.get('error_description')).toContain('The user said no');
      expect(params.get('state')).toBe(pending.state);
      expect(params.get('code')).toBeNull();
      expectHandled(await decide(pending.consentId, 'reject', { reason: 'again' }));
      expectHandled(await decide(pending.consentId, 'accept', { grantScopes: ['openid'] }));
    });

    it('answers 404 for an unknown id', async () => {
      expect((await decide(`unknown-${randomUUID()}`, 'reject', { reason: 'no' })).status).toBe(404);
    });
  });

  describe('GET /oauth2/auth and POST /oauth2/token (public)', () => {
    it('issues tokens for a v0 consent, and the refresh token refreshes', async () => {
      const { params, pending, tokens } = await authorize(`erin-${randomUUID()}`);
      expect(params.get('iss')).toBe(env.issuer);
      expect(tokens).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), id_token: expect.any(String) });
      const refreshed = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, pending.client);
      expect(refreshed.status).toBe(200);
      expect((await introspectV0({ token: refreshed.body.access_token })).body.active).toBe(true);
    });

    it('refuses an unknown client on an error page, never a redirect', async () => {
      const hop = await new Browser().get(codeRequest(env.publicUrl, `unknown-${randomUUID()}`, REDIRECT).url);
      expect({ status: hop.status, location: hop.location }).toEqual({ status: 400, location: undefined });
    });
  });

  describe('POST /oauth2/revoke (public)', () => {
    const revoke = (client: { id: string; secret: string }, token: string) => pub('POST', '/oauth2/revoke', { headers: basic(client.id, client.secret), form: { token } });

    it('makes a revoked access token invalid', async () => {
      const { pending, tokens } = await authorize(`dave-${randomUUID()}`);
      expect((await revoke(pending.client, tokens.access_token)).status).toBe(200);
      expect((await introspectV0({ token: tokens.access_token })).body).toEqual({ active: false });
      expect((await pub('POST', '/userinfo', { headers: { authorization: `Bearer ${tokens.access_token}` } })).status).toBe(401);
    });

    it('makes a revoked refresh token unusable, and the access token created with it invalid', async () => {
      const { pending, tokens } = await authorize(`frank-${randomUUID()}`);
      expect((await revoke(pending.client, tokens.refresh_token)).status).toBe(200);
      const refreshed = await tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token }, pending.client);
      expect(refreshed.body.error).toBe('invalid_grant');
      expect((await introspectV0({ token: tokens.access_token })).body).toEqual({ active: false });
    });
  });

  describe('POST /userinfo (public)', () => {
    it('answers the ID token payload with the idTokenExtra values, for the token in the header or the form', async () => {
      const subject = `grace-${randomUUID()}`;
      const { tokens } = await authorize(subject, { idTokenExtra: { tenant: 'acme' } });
      const viaHeader = await pub('POST', '/userinfo', { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(viaHeader.status).toBe(200);
      expect(viaHeader.body).toEqual({ sub: subject, tenant: 'acme' });
      expect((await pub('POST', '/userinfo', { form: { access_token: tokens.access_token } })).body).toEqual({ sub: subject, tenant: 'acme' });
    });

    it('answers 401 invalid_token with a Bearer challenge for a bad token', async () => {
      const res = await pub('POST', '/userinfo', { headers: { authorization: 'Bearer not-a-token' } });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_token');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b.*error="invalid_token"/);
    });
  });
});
