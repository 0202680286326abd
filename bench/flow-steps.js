// One sign-in, step by step, as bench/flows.js drives it: a browser (plain fetch with redirect: 'manual'
// and a cookie jar of its own per flow), a login and consent app, and a confidential client that redeems
// the code and checks the ID token. Against Hydrant the login app is the admin API's caller; against the
// peer it is the handler in servers/oidc-provider-flows.mjs, so the peer's flow has fewer HTTP requests.
'use strict';
const { createHash, randomBytes } = require('node:crypto');
const { createLocalJWKSet, jwtVerify } = require('jose');
const { basic } = require('./support');

const CLIENT_ID = 'bench-code-flow';
const SECRET = 'bench-client-secret-0123456789abcdef';
const REDIRECT = 'http://127.0.0.1:9/callback'; // discard port: never contacted
const SCOPE = 'openid offline_access';

class FlowError extends Error {}

/** A browser's cookies for one host, as much of RFC 6265 as these flows need: name=value, deletion. */
class Jar {
  constructor() {
    this.cookies = new Map();
  }
  store(res) {
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [k, v = ''] = a.split('=').map((s) => s.trim());
        return (k.toLowerCase() === 'max-age' && Number(v) <= 0) || (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now());
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * What a relying party learns once at start: the issuer and endpoints from discovery, and the signing
 * keys from jwks_uri, kept for every flow after (neither server rotates keys during a run).
 */
async function discover(base) {
  const config = await (await fetch(`${base}/.well-known/openid-configuration`)).json();
  const jwks = await (await fetch(config.jwks_uri)).json();
  if (!jwks.keys?.length) throw new Error(`${config.jwks_uri} has no keys`);
  return { issuer: config.issuer, authorize: config.authorization_endpoint, token: config.token_endpoint, keys: createLocalJWKSet(jwks) };
}

/** HTTP exchanges that count themselves in `stats` and fail the flow on an unexpected answer. */
function http(stats) {
  async function request(step, url, init, expect) {
    const started = performance.now();
    const res = await fetch(url, { redirect: 'manual', ...init });
    stats.requestDone(step, performance.now() - started);
    if (!expect.includes(res.status)) {
      const body = await res.text().catch(() => '');
      throw new FlowError(`${step}: ${res.status} (expected ${expect.join('/')}) ${body.slice(0, 200)}`);
    }
    return res;
  }

  /** The Location of a browser redirect, after storing its cookies. */
  async function browse(step, url, jar) {
    const cookie = jar.header();
    const res = await request(step, url, { headers: cookie ? { cookie } : {} }, [302, 303]);
    jar.store(res);
    await res.arrayBuffer(); // drain, so the connection goes back to the pool
    const location = res.headers.get('location');
    if (!location) throw new FlowError(`${step}: redirect without Location`);
    return new URL(location, url);
  }

  return { request, browse };
}

const param = (step, url, name) => {
  const value = url.searchParams.get(name);
  if (!value) throw new FlowError(`${step}: no ${name} in ${url.origin}${url.pathname} (error=${url.searchParams.get('error')} ${url.searchParams.get('error_description') ?? ''})`);
  return value;
};

/** A new authorization request: PKCE S256, state and nonce drawn for this flow only. */
function authorizationRequest(endpoint, extra = {}) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const url = new URL(endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT,
    scope: SCOPE,
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return { url, verifier, state, nonce };
}

/** The callback's code, once its state is the one this flow sent. */
function codeFrom(step, callback, state) {
  const code = param(step, callback, 'code');
  if (callback.searchParams.get('state') !== state) throw new FlowError(`${step}: state does not match`);
  return code;
}

/** The client's side: redeem the code, then check the ID token as a relying party must (OIDC Core §3.1.3.7). */
async function redeem(step, { request }, op, { code, verifier, nonce, subject }) {
  const res = await request(
    step,
    op.token,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic(CLIENT_ID, SECRET) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }).toString(),
    },
    [200],
  );
  const tokens = await res.json();
  if (!tokens.access_token || !tokens.refresh_token || !tokens.id_token) throw new FlowError(`${step}: a token is missing`);
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(tokens.id_token, op.keys, { issuer: op.issuer, audience: CLIENT_ID, algorithms: ['RS256'] }));
  } catch (e) {
    throw new FlowError(`${step}: ID token rejected: ${e.code ?? ''} ${e.message}`);
  }
  if (claims.nonce !== nonce) throw new FlowError(`${step}: ID token nonce does not match`);
  if (claims.sub !== subject) throw new FlowError(`${step}: ID token sub ${claims.sub} is not ${subject}`);
}

/** Hydrant: eight HTTP requests, the login and consent app reading and accepting over the admin API. */
function hydrantFlow(op, admin, stats) {
  const h = http(stats);
  const flowsApi = `${admin}/admin/oauth2/auth/requests`;
  const json = { 'content-type': 'application/json' };

  async function read(step, kind, challenge) {
    const res = await h.request(step, `${flowsApi}/${kind}?${kind}_challenge=${encodeURIComponent(challenge)}`, {}, [200]);
    return res.json();
  }
  async function accept(step, kind, challenge, body) {
    const url = `${flowsApi}/${kind}/accept?${kind}_challenge=${encodeURIComponent(challenge)}`;
    const res = await h.request(step, url, { method: 'PUT', headers: json, body: JSON.stringify(body) }, [200]);
    const { redirect_to } = await res.json();
    if (!redirect_to) throw new FlowError(`${step}: no redirect_to`);
    return redirect_to;
  }

  return async function flow(subject) {
    const jar = new Jar();
    const { url, verifier, state, nonce } = authorizationRequest(op.authorize);
    const loginChallenge = param('1 GET /oauth2/auth', await h.browse('1 GET /oauth2/auth', url, jar), 'login_challenge');
    const login = await read('2 GET login request', 'login', loginChallenge);
    if (login.client?.client_id !== CLIENT_ID) throw new FlowError('2 GET login request: not this client');
    const afterLogin = await accept('3 PUT login/accept', 'login', loginChallenge, { subject, remember: false });
    const consentChallenge = param('4 GET login redirect_to', await h.browse('4 GET login redirect_to', afterLogin, jar), 'consent_challenge');
    const consent = await read('5 GET consent request', 'consent', consentChallenge);
    if (consent.subject !== subject) throw new FlowError(`5 GET consent request: subject ${consent.subject}`);
    const afterConsent = await accept('6 PUT consent/accept', 'consent', consentChallenge, {
      grant_scope: consent.requested_scope,
      session: { id_token: { name: 'Bench User' } },
    });
    const code = codeFrom('7 GET consent redirect_to', await h.browse('7 GET consent redirect_to', afterConsent, jar), state);
    await redeem('8 POST /oauth2/token', h, op, { code, verifier, nonce, subject });
  };
}
hydrantFlow.requests = 8;

/**
 * The peer: six HTTP requests, its login and consent app answering in the request that shows it. The
 * subject travels as login_hint (the password form a real app would post is not part of either count),
 * and prompt=consent is sent because oidc-provider drops offline_access without it (OIDC Core §11).
 */
function peerFlow(op, stats) {
  const h = http(stats);
  return async function flow(subject) {
    const jar = new Jar();
    const { url, verifier, state, nonce } = authorizationRequest(op.authorize, { prompt: 'consent', login_hint: subject });
    const toLogin = await h.browse('1 GET /auth', url, jar);
    if (!toLogin.pathname.startsWith('/interaction/')) throw new FlowError(`1 GET /auth: redirected to ${toLogin.pathname}`);
    const resumeLogin = await h.browse('2 GET interaction (login)', toLogin, jar);
    const toConsent = await h.browse('3 GET /auth resume', resumeLogin, jar);
    if (!toConsent.pathname.startsWith('/interaction/')) throw new FlowError(`3 GET /auth resume: redirected to ${toConsent.pathname}`);
    const resumeConsent = await h.browse('4 GET interaction (consent)', toConsent, jar);
    const code = codeFrom('5 GET /auth resume', await h.browse('5 GET /auth resume', resumeConsent, jar), state);
    await redeem('6 POST /token', h, op, { code, verifier, nonce, subject });
  };
}
peerFlow.requests = 6;

module.exports = { CLIENT_ID, SECRET, REDIRECT, SCOPE, FlowError, Jar, discover, hydrantFlow, peerFlow };
