import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { Configuration, OAuth2Api } from '@ory/hydra-client';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { Browser, codeRequest, createClient, FlowServer, grantAll, Hop, random, startFlowServer, tokenRequest } from './support/browser-flow';
import { parseSamples, sumOf } from './support/prometheus-text';

/**
 * OIDC RP-Initiated Logout 1.0 at `/oauth2/sessions/logout` with the logout challenge of the admin API
 * (Hydra v2: getOAuth2LogoutRequest, accept…, reject…), and what ending a session tells the clients:
 * back-channel logout tokens (OIDC Back-Channel Logout 1.0) and front-channel iframes (OIDC
 * Front-Channel Logout 1.0).
 */

const REDIRECT = 'https://rp.example/callback';
const LOGGED_OUT = 'https://rp.example/logged-out';
const LOGOUT_URL = 'http://logout.test/logout';
const DEFAULT_POST_LOGOUT = 'http://logout.test/signed-out';
const SESSION_COOKIE = 'hydrant_authentication_session';
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

interface Caught {
  path: string;
  contentType: string | undefined;
  form: URLSearchParams;
}

/** A relying party's back-channel logout endpoint: records every POST. */
async function startCatcher(): Promise<{ url: string; caught: Caught[]; close: () => Promise<void> }> {
  const caught: Caught[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      if (req.method === 'POST') caught.push({ path: req.url ?? '', contentType: req.headers['content-type'], form: new URLSearchParams(body) });
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, caught, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('RP-initiated logout', () => {
  let env: FlowServer;
  let catcher: Awaited<ReturnType<typeof startCatcher>>;
  let hydra: OAuth2Api;

  beforeAll(async () => {
    env = await startFlowServer({ URLS_LOGOUT: LOGOUT_URL, URLS_POST_LOGOUT_REDIRECT: DEFAULT_POST_LOGOUT });
    catcher = await startCatcher();
    hydra = new OAuth2Api(new Configuration({ basePath: env.adminUrl }));
  });
  afterAll(async () => {
    await catcher?.close();
    await env?.close();
  });

  interface Rp {
    id: string;
    secret: string;
    /** The path on the catcher its back-channel logout tokens arrive at. */
    backchannelPath: string;
  }

  async function rp(body: Record<string, unknown> = {}): Promise<Rp> {
    const backchannelPath = `/backchannel/${randomUUID()}`;
    const created = await createClient(env.adminUrl, {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline_access',
      redirect_uris: [REDIRECT],
      post_logout_redirect_uris: [LOGGED_OUT],
      backchannel_logout_uri: `${catcher.url}${backchannelPath}`,
      ...body,
    });
    return { id: created.client_id, secret: created.client_secret!, backchannelPath };
  }

  const caughtFor = (client: Rp) => catcher.caught.filter((c) => c.path === client.backchannelPath);

  /** A whole code flow in `browser`; the login is remembered unless told otherwise. Returns the ID token and whether login was skipped. */
  async function signIn(browser: Browser, client: Rp, subject: string, remember = true): Promise<{ idToken: string; sid: string; loginSkipped: boolean }> {
    const { url, verifier } = codeRequest(env.publicUrl, client.id, REDIRECT);
    const flow = await env.driver.run(browser, url, {
      login: (request) => ({ accept: { subject: request.skip ? request.subject : subject, remember, remember_for: 3600 } }),
      consent: grantAll(),
    });
    const code = flow.params.get('code');
    if (!code) throw new Error(`no code: ${flow.callback.href}`);
    const tokens = await tokenRequest(env.publicUrl, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, { id: client.id, secret: client.secret });
    expect(tokens.status).toBe(200);
    const idToken = tokens.body.id_token as string;
    return { idToken, sid: decodeJwt(idToken).sid as string, loginSkipped: flow.loginRequest!.skip };
  }

  function logoutUrl(params: Record<string, string | undefined>): URL {
    const url = new URL(`${env.publicUrl}/oauth2/sessions/logout`);
    for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
    return url;
  }

  /** Starts a logout in `browser` and expects the logout app; returns the challenge. */
  async function startLogout(browser: Browser, params: Record<string, string | undefined>): Promise<string> {
    const hop = await browser.get(logoutUrl(params));
    expect(hop.status).toBe(302);
    expect(`${hop.location!.origin}${hop.location!.pathname}`).toBe(LOGOUT_URL);
    const challenge = hop.location!.searchParams.get('logout_challenge');
    expect(challenge).toEqual(expect.any(String));
    return challenge!;
  }

  const admin = (path: string, challenge: string, method = 'GET') =>
    fetch(`${env.adminUrl}/admin/oauth2/auth/requests/logout${path}?logout_challenge=${encodeURIComponent(challenge)}`, { method });

  /** A 4xx HTML error page, and no redirect anywhere. */
  function expectErrorPage(hop: Hop, status: number): void {
    expect(hop.status).toBe(status);
    expect(hop.location).toBeUndefined();
    expect(hop.headers.get('content-type')).toMatch(/^text\/html/);
  }

  async function verifyLogoutToken(token: string, client: Rp, subject: string, sid: string, idToken: string) {
    const jwks = createRemoteJWKSet(new URL(`${env.publicUrl}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: env.issuer, audience: client.id, typ: 'logout+jwt' });
    expect(protectedHeader.kid).toBe(decodeProtectedHeader(idToken).kid);
    expect(protectedHeader.alg).toBe(decodeProtectedHeader(idToken).alg);
    expect(payload).toMatchObject({ iss: env.issuer, aud: [client.id], sub: subject, sid, events: { [BACKCHANNEL_EVENT]: {} } });
    expect(payload.jti).toEqual(expect.any(String));
    expect(payload.iat).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 60);
    // §2.4: a logout token never carries a nonce.
    expect(payload).not.toHaveProperty('nonce');
    return payload;
  }

  it('runs the whole logout: challenge, accept, session ended, back-channel token, post-logout redirect with state', async () => {
    const client = await rp();
    const browser = new Browser();
    const subject = `alice-${randomUUID()}`;
    const { idToken, sid } = await signIn(browser, client, subject);
    expect(browser.jar.get(SESSION_COOKIE)).toBeDefined();
    expect((await signIn(browser, client, subject)).loginSkipped).toBe(true);

    const state = random();
    const params = { id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state };
    const challenge = await startLogout(browser, params);

    // The logout app reads the request.
    const read = await admin('', challenge);
    expect(read.status).toBe(200);
    const request = (await read.json()) as Record<string, any>;
    expect(request).toMatchObject({ challenge, subject, sid, rp_initiated: true });
    expect(request.client).toMatchObject({ client_id: client.id });
    expect(request.client).not.toHaveProperty('client_secret');
    const requestUrl = new URL(request.request_url);
    expect(`${requestUrl.origin}${requestUrl.pathname}`).toBe(`${env.publicUrl}/oauth2/sessions/logout`);
    expect(requestUrl.searchParams.get('post_logout_redirect_uri')).toBe(LOGGED_OUT);
    expect(requestUrl.searchParams.get('state')).toBe(state);

    const accepted = await admin('/accept', challenge, 'PUT');
    expect(accepted.status).toBe(200);
    const redirectTo = new URL(((await accepted.json()) as { redirect_to: string }).redirect_to);
    expect(`${redirectTo.origin}${redirectTo.pathname}`).toBe(`${env.issuer}oauth2/sessions/logout`);
    expect(redirectTo.searchParams.get('logout_verifier')).toEqual(expect.any(String));

    // Handled: reading or accepting again is a 410 pointing at the post-logout URI.
    for (const [path, method] of [['', 'GET'], ['/accept', 'PUT']]) {
      const again = await admin(path, challenge, method);
      expect(again.status).toBe(410);
      expect(((await again.json()) as { redirect_to: string }).redirect_to).toEqual(expect.any(String));
    }

    // The verifier works only in the browser holding that session.
    const stranger = await new Browser().get(redirectTo);
    expectErrorPage(stranger, 403);
    const otherSession = new Browser();
    await signIn(otherSession, client, `mallory-${randomUUID()}`);
    expectErrorPage(await otherSession.get(redirectTo), 403);
    expect(caughtFor(client)).toHaveLength(0);

    const done = await browser.get(redirectTo);
    expect(done.status).toBe(302);
    expect(`${done.location!.origin}${done.location!.pathname}`).toBe(LOGGED_OUT);
    expect(done.location!.searchParams.get('state')).toBe(state);
    expect(done.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
    expect(browser.jar.get(SESSION_COOKIE)).toBeUndefined();

    // One back-channel logout token for the client, for this session.
    const tokens = caughtFor(client);
    expect(tokens).toHaveLength(1);
    expect(tokens[0].contentType).toMatch(/^application\/x-www-form-urlencoded/);
    const logoutToken = tokens[0].form.get('logout_token')!;
    await verifyLogoutToken(logoutToken, client, subject, sid, idToken);

    // The verifier is spent, even with the session cookie put back.
    const replay = await browser.get(redirectTo);
    expect(replay.location).toBeUndefined();
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(replay.status).toBeLessThan(500);

    // The login session is over: the next flow asks the login app again.
    expect((await signIn(browser, client, subject)).loginSkipped).toBe(false);
  });

  it('does not accept a spent verifier even from the browser that still has its old session cookie', async () => {
    const client = await rp();
    const browser = new Browser();
    await signIn(browser, client, `replay-${randomUUID()}`);
    const saved = browser.jar.get(SESSION_COOKIE)!;
    const challenge = await startLogout(browser, {});
    const redirectTo = new URL(((await (await admin('/accept', challenge, 'PUT')).json()) as { redirect_to: string }).redirect_to);
    const done = await browser.get(redirectTo);
    expect(done.status).toBe(302);
    expect(done.location!.href).toBe(DEFAULT_POST_LOGOUT);
    browser.jar.add(saved);
    const replay = await browser.get(redirectTo);
    expect(replay.location).toBeUndefined();
    expect(replay.status).toBeGreaterThanOrEqual(400);
    expect(replay.status).toBeLessThan(500);
    expect(caughtFor(client)).toHaveLength(1);
  });

  it('accepts the logout by POST as well, and without a hint it is not rp_initiated', async () => {
    const client = await rp();
    const browser = new Browser();
    const subject = `post-${randomUUID()}`;
    await signIn(browser, client, subject);
    const hop = await browser.postForm(`${env.publicUrl}/oauth2/sessions/logout`, {});
    expect(hop.status).toBe(302);
    const challenge = hop.location!.searchParams.get('logout_challenge')!;
    expect(`${hop.location!.origin}${hop.location!.pathname}`).toBe(LOGOUT_URL);
    const request = (await (await admin('', challenge)).json()) as Record<string, unknown>;
    expect(request).toMatchObject({ challenge, subject, rp_initiated: false, client: null });

    // With the hint by POST.
    const { idToken } = await signIn(browser, client, subject);
    const hinted = await browser.postForm(`${env.publicUrl}/oauth2/sessions/logout`, { id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'xyz' });
    expect(hinted.status).toBe(302);
    const hintedChallenge = hinted.location!.searchParams.get('logout_challenge')!;
    expect((await (await admin('', hintedChallenge)).json()) as Record<string, unknown>).toMatchObject({ rp_initiated: true, client: { client_id: client.id } });
    const redirectTo = ((await (await admin('/accept', hintedChallenge, 'PUT')).json()) as { redirect_to: string }).redirect_to;
    const done = await browser.get(redirectTo);
    expect(done.status).toBe(302);
    expect(done.location!.href).toBe(`${LOGGED_OUT}?state=xyz`);
  });

  it('rejecting keeps the session; the rejected request is gone (410), unknown ones are 404', async () => {
    const client = await rp();
    const browser = new Browser();
    const subject = `bob-${randomUUID()}`;
    const { idToken } = await signIn(browser, client, subject);
    const challenge = await startLogout(browser, { id_token_hint: idToken });

    const rejected = await admin('/reject', challenge, 'PUT');
    expect(rejected.status).toBe(204);
    expect(await rejected.text()).toBe('');
    const again = await admin('', challenge);
    expect(again.status).toBe(410);
    expect((await again.json()) as Record<string, unknown>).toMatchObject({ redirect_to: expect.any(String) });
    const acceptAfter = await admin('/accept', challenge, 'PUT');
    expect(acceptAfter.status).toBe(410);

    expect(browser.jar.get(SESSION_COOKIE)).toBeDefined();
    expect((await signIn(browser, client, subject)).loginSkipped).toBe(true);
    expect(caughtFor(client)).toHaveLength(0);

    for (const [path, method] of [['', 'GET'], ['/accept', 'PUT'], ['/reject', 'PUT']]) {
      const unknown = await admin(path, `no-such-${randomUUID()}`, method);
      expect({ path, status: unknown.status }).toEqual({ path, status: 404 });
      expect((await unknown.json()) as Record<string, unknown>).toHaveProperty('error');
    }
  });

  it('counts each logout decision once in hydrant_flow_outcomes_total, and none taken again', async () => {
    const outcomes = async () => {
      const samples = parseSamples(await (await fetch(`${env.adminUrl}/metrics/prometheus`)).text());
      return { accepted: sumOf(samples, 'hydrant_flow_outcomes_total', { flow: 'logout', outcome: 'accepted' }), rejected: sumOf(samples, 'hydrant_flow_outcomes_total', { flow: 'logout', outcome: 'rejected' }) };
    };
    const client = await rp();
    const browser = new Browser();
    const { idToken } = await signIn(browser, client, `carol-${randomUUID()}`);
    const before = await outcomes();
    const first = await startLogout(browser, { id_token_hint: idToken });
    expect((await admin('/reject', first, 'PUT')).status).toBe(204);
    expect((await admin('/reject', first, 'PUT')).status).toBe(410);
    const second = await startLogout(browser, { id_token_hint: idToken });
    expect((await admin('/accept', second, 'PUT')).status).toBe(200);
    expect((await admin('/accept', second, 'PUT')).status).toBe(410);
    expect(await outcomes()).toEqual({ accepted: before.accepted + 1, rejected: before.rejected + 1 });
  });

  describe('without a login session', () => {
    it('goes straight to the registered post_logout_redirect_uri with state, given an id_token_hint', async () => {
      const client = await rp();
      const { idToken } = await signIn(new Browser(), client, `carol-${randomUUID()}`);
      const browser = new Browser();

      const byHint = await browser.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'abc' }));
      expect(byHint.status).toBe(302);
      expect(byHint.location!.href).toBe(`${LOGGED_OUT}?state=abc`);

      // A client_id proves nothing (RP-Initiated Logout §3): without a hint the default page, as Hydra.
      const byClientId = await browser.get(logoutUrl({ client_id: client.id, post_logout_redirect_uri: LOGGED_OUT, state: 'def' }));
      expect(byClientId.status).toBe(302);
      expect(byClientId.location!.href).toBe(DEFAULT_POST_LOGOUT);

      const byPost = await browser.postForm(`${env.publicUrl}/oauth2/sessions/logout`, { id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'ghi' });
      expect(byPost.status).toBe(302);
      expect(byPost.location!.href).toBe(`${LOGGED_OUT}?state=ghi`);

      const noState = await browser.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT }));
      expect(noState.status).toBe(302);
      expect(noState.location!.href).toBe(LOGGED_OUT);
    });

    it('goes to URLS_POST_LOGOUT_REDIRECT without a post_logout_redirect_uri', async () => {
      const client = await rp();
      const { idToken } = await signIn(new Browser(), client, `dan-${randomUUID()}`);
      const bare = await new Browser().get(logoutUrl({}));
      expect(bare.status).toBe(302);
      expect(bare.location!.href).toBe(DEFAULT_POST_LOGOUT);
      const hintOnly = await new Browser().get(logoutUrl({ id_token_hint: idToken, state: 'ignored' }));
      expect(hintOnly.status).toBe(302);
      expect(hintOnly.location!.href).toBe(DEFAULT_POST_LOGOUT);
    });

    it('ignores a session cookie of an ended session (and clears it)', async () => {
      const client = await rp();
      const browser = new Browser();
      const subject = `erin-${randomUUID()}`;
      const { idToken } = await signIn(browser, client, subject);
      expect((await fetch(`${env.adminUrl}/admin/oauth2/auth/sessions/login?subject=${encodeURIComponent(subject)}`, { method: 'DELETE' })).status).toBe(204);
      const hop = await browser.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 's' }));
      expect(hop.status).toBe(302);
      expect(hop.location!.href).toBe(`${LOGGED_OUT}?state=s`);
      expect(browser.jar.get(SESSION_COOKIE)).toBeUndefined();
    });
  });

  describe('refuses with an error page, redirecting nowhere', () => {
    let client: Rp;
    let idToken: string;

    beforeAll(async () => {
      client = await rp();
      ({ idToken } = await signIn(new Browser(), client, `frank-${randomUUID()}`));
    });

    it.each([
      ['an unregistered post_logout_redirect_uri', () => ({ id_token_hint: idToken, post_logout_redirect_uri: 'https://evil.example/', state: 'x' })],
      ['an unregistered post_logout_redirect_uri with client_id', () => ({ id_token_hint: idToken, client_id: client.id, post_logout_redirect_uri: `${LOGGED_OUT}/elsewhere` })],
    ])('%s', async (_name, params) => {
      expectErrorPage(await new Browser().get(logoutUrl(params())), 400);
      // A browser with a session gets no logout request either.
      const signedIn = new Browser();
      await signIn(signedIn, client, `frank-${randomUUID()}`);
      expectErrorPage(await signedIn.get(logoutUrl(params())), 400);
    });

    it('a forged id_token_hint (payload altered, or signed by another key)', async () => {
      const [header, , signature] = idToken.split('.');
      const claims = decodeJwt(idToken);
      const altered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${signature}`;
      const { privateKey } = await generateKeyPair('RS256');
      const foreign = await new SignJWT({ ...claims }).setProtectedHeader(decodeProtectedHeader(idToken) as { alg: string }).sign(privateKey);
      for (const hint of [altered, foreign, 'not-a-jwt']) {
        expectErrorPage(await new Browser().get(logoutUrl({ id_token_hint: hint, post_logout_redirect_uri: LOGGED_OUT, state: 'x' })), 400);
        expectErrorPage(await new Browser().get(logoutUrl({ id_token_hint: hint })), 400);
      }
    });
  });

  it('answers front-channel iframes (iss and sid when required) and still sends back-channel tokens', async () => {
    const withSid = await rp({ frontchannel_logout_uri: 'https://fc-one.example/logout', frontchannel_logout_session_required: true });
    const plain = await rp({ frontchannel_logout_uri: 'https://fc-two.example/logout?x=1', frontchannel_logout_session_required: false });
    const browser = new Browser();
    const subject = `gina-${randomUUID()}`;
    const first = await signIn(browser, withSid, subject);
    const second = await signIn(browser, plain, subject);
    expect(second.loginSkipped).toBe(true);
    expect(second.sid).toBe(first.sid);

    const challenge = await startLogout(browser, { id_token_hint: first.idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'fc' });
    const redirectTo = ((await (await admin('/accept', challenge, 'PUT')).json()) as { redirect_to: string }).redirect_to;
    const page = await browser.get(redirectTo);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(browser.jar.get(SESSION_COOKIE)).toBeUndefined();

    const srcs = [...page.body.matchAll(/<iframe[^>]*\ssrc="([^"]*)"/g)].map((m) => new URL(m[1].replace(/&amp;/g, '&')));
    expect(srcs).toHaveLength(2);
    const one = srcs.find((u) => u.host === 'fc-one.example')!;
    expect(one.pathname).toBe('/logout');
    expect(one.searchParams.get('iss')).toBe(env.issuer);
    expect(one.searchParams.get('sid')).toBe(first.sid);
    const two = srcs.find((u) => u.host === 'fc-two.example')!;
    expect(two.searchParams.get('x')).toBe('1');
    expect(two.searchParams.has('sid')).toBe(false);
    expect(two.searchParams.has('iss')).toBe(false);
    // The page moves on to the post-logout URI.
    expect(page.body.replace(/&amp;/g, '&')).toContain(`${LOGGED_OUT}?state=fc`);

    for (const client of [withSid, plain]) {
      const caught = caughtFor(client);
      expect(caught).toHaveLength(1);
      await verifyLogoutToken(caught[0].form.get('logout_token')!, client, subject, first.sid, first.idToken);
    }
  });

  it('sends back-channel logout tokens when the admin API ends the login sessions of a subject', async () => {
    const a = await rp();
    const b = await rp();
    const bystander = await rp();
    const subject = `hank-${randomUUID()}`;
    const browser1 = new Browser();
    const one = await signIn(browser1, a, subject);
    await signIn(browser1, b, subject);
    const browser2 = new Browser();
    const two = await signIn(browser2, a, subject);
    expect(two.sid).not.toBe(one.sid);
    await signIn(new Browser(), bystander, `other-${randomUUID()}`);

    expect((await fetch(`${env.adminUrl}/admin/oauth2/auth/sessions/login?subject=${encodeURIComponent(subject)}`, { method: 'DELETE' })).status).toBe(204);

    const forA = caughtFor(a);
    expect(forA).toHaveLength(2);
    const sidsA = [];
    for (const c of forA) sidsA.push((await verifyLogoutToken(c.form.get('logout_token')!, a, subject, expect.any(String) as unknown as string, one.idToken)).sid);
    expect(sidsA.sort()).toEqual([one.sid, two.sid].sort());
    const forB = caughtFor(b);
    expect(forB).toHaveLength(1);
    await verifyLogoutToken(forB[0].form.get('logout_token')!, b, subject, one.sid, one.idToken);
    expect(caughtFor(bystander)).toHaveLength(0);

    expect((await signIn(browser1, a, subject)).loginSkipped).toBe(false);
    expect((await signIn(browser2, a, subject)).loginSkipped).toBe(false);
  });

  it('works with Hydra\'s SDK: getOAuth2LogoutRequest, acceptOAuth2LogoutRequest, rejectOAuth2LogoutRequest', async () => {
    const client = await rp();
    const browser = new Browser();
    const subject = `ivy-${randomUUID()}`;
    const { idToken, sid } = await signIn(browser, client, subject);

    const rejectChallenge = await startLogout(browser, { id_token_hint: idToken });
    const rejected = await hydra.rejectOAuth2LogoutRequest({ logoutChallenge: rejectChallenge });
    expect(rejected.status).toBe(204);

    const challenge = await startLogout(browser, { id_token_hint: idToken, post_logout_redirect_uri: LOGGED_OUT, state: 'sdk' });
    const { data: request } = await hydra.getOAuth2LogoutRequest({ logoutChallenge: challenge });
    expect(request).toMatchObject({ challenge, subject, sid, rp_initiated: true, client: { client_id: client.id } });
    expect(request.request_url).toEqual(expect.any(String));
    const { data: accepted } = await hydra.acceptOAuth2LogoutRequest({ logoutChallenge: challenge });
    expect(accepted.redirect_to).toMatch(new RegExp(`^${env.issuer.replace(/[.]/g, '\\.')}oauth2/sessions/logout\\?logout_verifier=`));
    const done = await browser.get(accepted.redirect_to);
    expect(done.location!.href).toBe(`${LOGGED_OUT}?state=sdk`);

    await expect(hydra.getOAuth2LogoutRequest({ logoutChallenge: challenge })).rejects.toMatchObject({ response: { status: 410 } });
    await expect(hydra.getOAuth2LogoutRequest({ logoutChallenge: 'unknown' })).rejects.toMatchObject({ response: { status: 404 } });
  });
});
