import { randomUUID } from 'node:crypto';
import { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Browser, codeRequest, createClient, FlowServer, grantAll, introspect, startFlowServer, tokenRequest } from './support/browser-flow';
import { freePort } from './support/built-cli';
import { startLoopbackServer } from './support/loopback-server';

/**
 * Hydra's token hook (`oauth2.token_hook`) over HTTP: the token endpoint POSTs every grant it is about to
 * answer (authorization_code, refresh_token, client_credentials, jwt-bearer) to the operator's URL, with
 * Hydra's body and never a secret in it, and never at `/oauth2/auth`. Pinned here: that body and its API
 * key (header or cookie); what each answer does (200 replaces the claims of the access token's `ext` and
 * of the ID token, 204 keeps them, 403 is access_denied, anything else, a timeout or a connection error is
 * server_error, a 5xx or a connection error being tried twice more first); that a refused refresh keeps its
 * refresh token usable; and that a slow hook holds no database transaction.
 */

const REDIRECT = 'https://rp.example/callback';
const API = 'https://api.example.com';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

interface HookCall {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as sent, for "never contains" checks, and parsed. */
  text: string;
  body: any;
}
type Answer = (call: HookCall, res: ServerResponse) => void;

/** The operator's hook: records each call and answers it with `answer`, which a test replaces. */
interface Hook {
  url: string;
  calls: HookCall[];
  answer: Answer;
  close: () => Promise<void>;
}

const status = (code: number): Answer => (_call, res) => res.writeHead(code).end();
const claims = (session: Record<string, Record<string, unknown>>): Answer => (_call, res) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ session }));
const notJson: Answer = (_call, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops</html>');
const never: Answer = () => undefined;
const after = (ms: number, answer: Answer): Answer => (call, res) => setTimeout(() => answer(call, res), ms);
/** Drops the connection without an answer: a connection error for the caller. */
const hangUp: Answer = (_call, res) => res.socket?.destroy();
/** Answers the first calls with the first answers, and every later one with the last. */
function inTurn(...answers: Answer[]): Answer {
  let next = 0;
  return (call, res) => answers[Math.min(next++, answers.length - 1)](call, res);
}

async function startHook(): Promise<Hook> {
  const calls: HookCall[] = [];
  const server = await startLoopbackServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: left undefined
      }
      const call = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, text, body };
      calls.push(call);
      hook.answer(call, res);
    });
  });
  const hook: Hook = { url: `${server.origin}/token-hook`, calls, answer: status(204), close: server.close };
  return hook;
}

type Basic = { id: string; secret: string };

/** A confidential client of every grant the hook sees, with a redirect URI and audience API. */
async function newClient(env: FlowServer, body: Record<string, unknown> = {}): Promise<Basic> {
  const created = await createClient(env.adminUrl, {
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials', JWT_BEARER],
    response_types: ['code'],
    scope: 'openid offline_access profile read',
    audience: [API],
    redirect_uris: [REDIRECT],
    ...body,
  });
  return { id: created.client_id, secret: created.client_secret! };
}

/** Runs the browser part of a code flow for `subject`; the consent grants everything with `session`. */
async function authorize(env: FlowServer, client: Basic, session: Record<string, unknown> = {}, subject = 'alice') {
  const { url, verifier } = codeRequest(env.publicUrl, client.id, REDIRECT, { scope: 'openid offline_access profile', audience: API });
  const flow = await env.driver.run(new Browser(), url, { login: { accept: { subject } }, consent: grantAll({ session }) });
  return { code: flow.params.get('code')!, verifier, consentChallenge: flow.consentRequest!.challenge };
}

const exchange = (env: FlowServer, client: Basic, code: string, verifier: string) =>
  tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, client);

/** A whole code flow: the token response of the code exchange. */
async function codeFlow(env: FlowServer, client: Basic, session: Record<string, unknown> = {}) {
  const { code, verifier } = await authorize(env, client, session);
  const res = await exchange(env, client, code, verifier);
  expect(res.status).toBe(200);
  return res.body;
}

const refresh = (env: FlowServer, client: Basic, refreshToken: string) =>
  tokenRequest(env.publicUrl, { grant_type: 'refresh_token', refresh_token: refreshToken }, client);
const clientCredentials = (env: FlowServer, client: Basic) =>
  tokenRequest(env.publicUrl, { grant_type: 'client_credentials', scope: 'read', audience: API }, client);

function expectError(res: { status: number; body: Record<string, any> }, expected: number, error: string): void {
  expect({ status: res.status, error: res.body.error }).toEqual({ status: expected, error });
  expect(res.body.access_token).toBeUndefined();
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

/** The session part of the body for a grant without a user's consent (client_credentials, jwt-bearer). */
const sessionWithoutConsent = (subject: string, clientId: string) => ({
  id_token: { id_token_claims: { sub: subject, ext: {} }, headers: { extra: {} }, username: '', subject },
  extra: {},
  client_id: clientId,
  consent_challenge: '',
  exclude_not_before_claim: false,
  allowed_top_level_claims: [],
});

/** For the enclosing describe: a hook, and a flow server configured with its URL by `config`; each test starts with a hook that answers 204. */
function hookedServer(config: (hookUrl: string) => Record<string, string>): { hook: Hook; env: FlowServer } {
  const t = {} as { hook: Hook; env: FlowServer };
  beforeAll(async () => {
    t.hook = await startHook();
    t.env = await startFlowServer(config(t.hook.url));
  });
  afterAll(async () => {
    await t.env?.close();
    await t.hook?.close();
  });
  beforeEach(() => {
    t.hook.calls.length = 0;
    t.hook.answer = status(204);
  });
  return t;
}

describe('OAUTH2_TOKEN_HOOK', () => {
  const t = hookedServer((url) => ({ OAUTH2_TOKEN_HOOK: url }));

  describe('what the hook receives', () => {
    it('gets a JSON POST for the code exchange with the consent, the granted scopes, and no code, verifier, redirect URI or secret', async () => {
      const client = await newClient(t.env, { token_endpoint_auth_method: 'client_secret_post' });
      const session = { access_token: { department: 'research' }, id_token: { nickname: 'al' } };
      const { code, verifier, consentChallenge } = await authorize(t.env, client, session);
      const res = await tokenRequest(t.env.publicUrl, {
        grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, client_id: client.id, client_secret: client.secret,
      });
      expect(res.status).toBe(200);

      expect(t.hook.calls.length).toBe(1);
      const [call] = t.hook.calls;
      expect({ method: call.method, url: call.url, type: call.headers['content-type'] }).toEqual({ method: 'POST', url: '/token-hook', type: 'application/json' });
      const scopes = ['openid', 'offline_access', 'profile'];
      expect(call.body).toEqual({
        session: {
          id_token: { id_token_claims: { sub: 'alice', ext: { nickname: 'al' } }, headers: { extra: {} }, username: '', subject: 'alice' },
          extra: { department: 'research' },
          client_id: client.id,
          consent_challenge: consentChallenge,
          exclude_not_before_claim: false,
          allowed_top_level_claims: [],
        },
        request: {
          client_id: client.id,
          requested_scopes: scopes,
          granted_scopes: scopes,
          requested_audience: [API],
          granted_audience: [API],
          grant_types: ['authorization_code'],
          // client_secret_post: the form's client_id is in the payload, its secret is not.
          payload: { grant_type: ['authorization_code'], client_id: [client.id] },
        },
      });
      for (const secret of [code, verifier, REDIRECT, client.secret]) expect(call.text).not.toContain(secret);
    });

    it('gets the claims its last answer gave as session.extra at each refresh, and never the refresh token', async () => {
      const client = await newClient(t.env);
      t.hook.answer = claims({ access_token: { tier: 'gold' } });
      const first = await codeFlow(t.env, client, { access_token: { department: 'research' } });

      t.hook.answer = claims({ access_token: { tier: 'platinum' } });
      const second = await refresh(t.env, client, first.refresh_token);
      expect(second.status).toBe(200);
      t.hook.answer = status(204);
      expect((await refresh(t.env, client, second.body.refresh_token)).status).toBe(200);

      const [, atFirstRefresh, atSecondRefresh] = t.hook.calls;
      expect(t.hook.calls.length).toBe(3);
      expect(atFirstRefresh.body).toMatchObject({
        session: { extra: { tier: 'gold' }, client_id: client.id, id_token: { subject: 'alice' } },
        request: { client_id: client.id, grant_types: ['refresh_token'], granted_scopes: ['openid', 'offline_access', 'profile'], payload: { grant_type: ['refresh_token'] } },
      });
      expect(atFirstRefresh.body.request.payload).toEqual({ grant_type: ['refresh_token'] });
      expect(atSecondRefresh.body.session.extra).toEqual({ tier: 'platinum' });
      expect(atFirstRefresh.text).not.toContain(first.refresh_token);
      expect(atSecondRefresh.text).not.toContain(second.body.refresh_token);
      expect(atFirstRefresh.text).not.toContain(client.secret);
    });

    it('gets the client as subject for client_credentials, and no audience parameter or secret', async () => {
      const client = await newClient(t.env);
      expect((await clientCredentials(t.env, client)).status).toBe(200);
      expect(t.hook.calls.length).toBe(1);
      expect(t.hook.calls[0].body).toEqual({
        session: sessionWithoutConsent(client.id, client.id),
        request: {
          client_id: client.id,
          requested_scopes: ['read'],
          granted_scopes: ['read'],
          requested_audience: [API],
          granted_audience: [API],
          grant_types: ['client_credentials'],
          payload: { grant_type: ['client_credentials'], scope: ['read'] },
        },
      });
      expect(t.hook.calls[0].text).not.toContain(client.secret);
    });

    it('gets the assertion\'s subject and the assertion itself for the jwt-bearer grant', async () => {
      const client = await newClient(t.env);
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const kid = randomUUID();
      const issuer = `https://${randomUUID()}.idp.example`;
      const trusted = await fetch(`${t.env.adminUrl}/admin/trust/grants/jwt-bearer/issuers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ issuer, subject: 'bob@example.com', scope: ['read'], jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }, expires_at: '2099-01-01T00:00:00Z' }),
      });
      expect(trusted.status).toBe(201);
      const assertion = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(issuer)
        .setSubject('bob@example.com')
        .setAudience(`${t.env.publicUrl}/oauth2/token`)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);

      t.hook.answer = claims({ access_token: { workload: 'batch' } });
      const res = await tokenRequest(t.env.publicUrl, { grant_type: JWT_BEARER, assertion, scope: 'read' }, client);
      expect(res.status).toBe(200);
      expect(t.hook.calls.length).toBe(1);
      expect(t.hook.calls[0].body).toEqual({
        session: sessionWithoutConsent('bob@example.com', client.id),
        request: {
          client_id: client.id,
          requested_scopes: ['read'],
          granted_scopes: ['read'],
          requested_audience: [],
          granted_audience: [],
          grant_types: [JWT_BEARER],
          payload: { grant_type: [JWT_BEARER], scope: ['read'], assertion: [assertion] },
        },
      });
      expect(t.hook.calls[0].text).not.toContain(client.secret);
      expect((await introspect(t.env.adminUrl, res.body.access_token)).ext).toEqual({ workload: 'batch' });
    });

    it('is not called at /oauth2/auth, nor for a token request that fails its own checks', async () => {
      const client = await newClient(t.env);
      const { code, verifier } = await authorize(t.env, client);
      expect(t.hook.calls.length).toBe(0);

      expectError(await exchange(t.env, client, 'hy_ac_unknown.code', verifier), 400, 'invalid_grant');
      expectError(await tokenRequest(t.env.publicUrl, { grant_type: 'client_credentials', scope: 'admin' }, client), 400, 'invalid_scope');
      expect(t.hook.calls.length).toBe(0);

      expect((await exchange(t.env, client, code, verifier)).status).toBe(200);
      expect(t.hook.calls.map((c) => c.body.request.grant_types)).toEqual([['authorization_code']]);
    });
  });

  describe('what its answer does', () => {
    it('200: its access token claims become ext (introspection), its ID token claims top-level claims of the ID token', async () => {
      const client = await newClient(t.env);
      t.hook.answer = claims({ access_token: { tier: 'gold' }, id_token: { nickname: 'goldie' } });
      const tokens = await codeFlow(t.env, client, { access_token: { department: 'research' }, id_token: { nickname: 'al' } });
      expect(await introspect(t.env.adminUrl, tokens.access_token)).toMatchObject({ active: true, sub: 'alice', ext: { tier: 'gold' } });
      expect((await introspect(t.env.adminUrl, tokens.access_token)).ext).toEqual({ tier: 'gold' });
      expect(decodeJwt(tokens.id_token)).toMatchObject({ sub: 'alice', nickname: 'goldie' });

      // What the hook gave is stored with the refreshed tokens too.
      t.hook.answer = claims({ access_token: { tier: 'silver' } });
      const refreshed = await refresh(t.env, client, tokens.refresh_token);
      expect((await introspect(t.env.adminUrl, refreshed.body.access_token)).ext).toEqual({ tier: 'silver' });
    });

    it('200: a JWT access token carries its access token claims under ext', async () => {
      const client = await newClient(t.env, { access_token_strategy: 'jwt' });
      t.hook.answer = claims({ access_token: { tier: 'gold' }, id_token: {} });
      const tokens = await codeFlow(t.env, client, { access_token: { department: 'research' } });
      expect(decodeJwt(tokens.access_token)).toMatchObject({ sub: 'alice', client_id: client.id, ext: { tier: 'gold' } });
      expect(decodeJwt(tokens.access_token).ext).toEqual({ tier: 'gold' });

      const cc = await clientCredentials(t.env, client);
      expect(decodeJwt(cc.body.access_token)).toMatchObject({ sub: client.id, ext: { tier: 'gold' } });
    });

    it('204: issues the tokens unchanged, with the consent\'s claims', async () => {
      const client = await newClient(t.env);
      const tokens = await codeFlow(t.env, client, { access_token: { department: 'research' }, id_token: { nickname: 'al' } });
      expect((await introspect(t.env.adminUrl, tokens.access_token)).ext).toEqual({ department: 'research' });
      expect(decodeJwt(tokens.id_token)).toMatchObject({ sub: 'alice', nickname: 'al' });
      expect(t.hook.calls.length).toBe(1);
    });

    it('403: the token endpoint answers 403 access_denied, for every grant', async () => {
      const client = await newClient(t.env);
      const { code, verifier } = await authorize(t.env, client);
      t.hook.answer = status(403);
      expectError(await exchange(t.env, client, code, verifier), 403, 'access_denied');
      expectError(await clientCredentials(t.env, client), 403, 'access_denied');
      expect(t.hook.calls.length).toBe(2);
    });

    it.each([
      ['400', status(400)],
      ['401', status(401)],
      ['302', status(302)],
      ['a 200 that is not JSON', notJson],
    ])('%s: the token endpoint answers 500 server_error, without trying again', async (_name, answer) => {
      const client = await newClient(t.env);
      t.hook.answer = answer;
      expectError(await clientCredentials(t.env, client), 500, 'server_error');
      expect(t.hook.calls.length).toBe(1);
    });

    it('5xx: tries twice more, then answers 500 server_error (3 calls)', async () => {
      const client = await newClient(t.env);
      t.hook.answer = status(500);
      expectError(await clientCredentials(t.env, client), 500, 'server_error');
      expect(t.hook.calls.length).toBe(3);
    });

    it('a 500 once, then 204: the token request succeeds on the second call', async () => {
      const client = await newClient(t.env);
      t.hook.answer = inTurn(status(500), status(204));
      expect((await clientCredentials(t.env, client)).status).toBe(200);
      expect(t.hook.calls.length).toBe(2);
    });

    it('a dropped connection once, then 204: the token request succeeds on the second call', async () => {
      const client = await newClient(t.env);
      t.hook.answer = inTurn(hangUp, status(204));
      expect((await clientCredentials(t.env, client)).status).toBe(200);
      expect(t.hook.calls.length).toBe(2);
    });

    it('a refused or failed refresh leaves its refresh token usable', async () => {
      const client = await newClient(t.env);
      const tokens = await codeFlow(t.env, client);
      t.hook.answer = status(403);
      expectError(await refresh(t.env, client, tokens.refresh_token), 403, 'access_denied');
      t.hook.answer = status(401);
      expectError(await refresh(t.env, client, tokens.refresh_token), 500, 'server_error');
      expect((await introspect(t.env.adminUrl, tokens.access_token)).active).toBe(true);

      t.hook.answer = status(204);
      const refreshed = await refresh(t.env, client, tokens.refresh_token);
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refresh_token).toEqual(expect.any(String));
    });
  });
});

describe('OAUTH2_TOKEN_HOOK_TIMEOUT (500ms here)', () => {
  const t = hookedServer((url) => ({ OAUTH2_TOKEN_HOOK: url, OAUTH2_TOKEN_HOOK_TIMEOUT: '500ms' }));

  it.each([
    ['never answers', never],
    ['answers after 2 s', after(2000, claims({ access_token: { late: true } }))],
  ])('a hook that %s: 500 server_error after one call, not tried again', async (_name, answer) => {
    t.hook.answer = answer;
    const client = await newClient(t.env);
    expectError(await clientCredentials(t.env, client), 500, 'server_error');
    expect(t.hook.calls.length).toBe(1);
  });
});

describe('a token hook that cannot be reached (a closed port)', () => {
  let env: FlowServer;

  beforeAll(async () => {
    env = await startFlowServer({ OAUTH2_TOKEN_HOOK: `http://127.0.0.1:${await freePort()}/token-hook` });
  });
  afterAll(() => env?.close());

  it('answers 500 server_error, for the code exchange and client_credentials alike', async () => {
    const client = await newClient(env);
    const { code, verifier } = await authorize(env, client);
    expectError(await exchange(env, client, code, verifier), 500, 'server_error');
    expectError(await clientCredentials(env, client), 500, 'server_error');
  });
});

describe.each([
  ['header', (call: HookCall) => call.headers['x-hook-key'], (call: HookCall) => call.headers.cookie],
  ['cookie', (call: HookCall) => call.headers.cookie, (call: HookCall) => call.headers['x-hook-key']],
])('OAUTH2_TOKEN_HOOK_URL with an api_key in a %s', (where, sent, notSent) => {
  const t = hookedServer((url) => ({
    OAUTH2_TOKEN_HOOK_URL: url,
    OAUTH2_TOKEN_HOOK_AUTH_TYPE: 'api_key',
    OAUTH2_TOKEN_HOOK_AUTH_CONFIG_IN: where,
    OAUTH2_TOKEN_HOOK_AUTH_CONFIG_NAME: where === 'header' ? 'X-Hook-Key' : 'hook_key',
    OAUTH2_TOKEN_HOOK_AUTH_CONFIG_VALUE: 'k3y-0f-the-0perator',
  }));

  it(`calls the URL with the key in a ${where}`, async () => {
    t.hook.answer = claims({ access_token: { keyed: true } });
    const client = await newClient(t.env);
    const res = await clientCredentials(t.env, client);
    expect(res.status).toBe(200);
    expect(t.hook.calls.length).toBe(1);
    expect(sent(t.hook.calls[0])).toBe(where === 'header' ? 'k3y-0f-the-0perator' : 'hook_key=k3y-0f-the-0perator');
    expect(notSent(t.hook.calls[0])).toBeUndefined();
    expect((await introspect(t.env.adminUrl, res.body.access_token)).ext).toEqual({ keyed: true });
  });
});

describe('a slow token hook (DB_POOL_SIZE 2 on PostgreSQL)', () => {
  const t = hookedServer((url) => ({ OAUTH2_TOKEN_HOOK: url, DB_POOL_SIZE: '2' }));

  it('holds no database transaction: other token requests complete while it makes two refreshes wait', async () => {
    const users = [await newClient(t.env), await newClient(t.env)];
    const other = await newClient(t.env);
    const tokens = [await codeFlow(t.env, users[0]), await codeFlow(t.env, users[1])];
    t.hook.calls.length = 0; // the code exchanges' calls
    t.hook.answer = (call, res) => (call.body.request.grant_types[0] === 'refresh_token' ? after(1000, status(204)) : status(204))(call, res);

    // Two held refreshes would hold every pooled connection on PostgreSQL (and SQLite's one) if the hook ran in a transaction.
    const finished: string[] = [];
    const slow = users.map((user, i) => refresh(t.env, user, tokens[i].refresh_token).then((res) => (finished.push('refresh_token'), res)));
    await until(() => t.hook.calls.length === 2);
    const fast = await Promise.all([1, 2, 3].map(() => clientCredentials(t.env, other).then((res) => (finished.push('client_credentials'), res))));
    const refreshed = await Promise.all(slow);

    expect([...fast, ...refreshed].map((res) => res.status)).toEqual([200, 200, 200, 200, 200]);
    expect(finished).toEqual(['client_credentials', 'client_credentials', 'client_credentials', 'refresh_token', 'refresh_token']);
  });
});
