import { createHash, randomBytes } from 'node:crypto';
import { baseUrl, startTestServer, TestServer } from './test-runtime';

/**
 * A tiny browser for the authorization code flow: a cookie jar, GETs and form POSTs that never follow
 * redirects on their own, and a driver that walks one flow through Hydrant's login and consent
 * challenges by calling the admin API the way a login/consent app does. Each step is usable alone, so a
 * spec can poke in between (replay a verifier, drop a cookie, visit a handled request).
 */

// ---------------------------------------------------------------------------------------------------
// Cookies (RFC 6265, what a test needs of it)
// ---------------------------------------------------------------------------------------------------

export interface Cookie {
  name: string;
  value: string;
  /** Lower-case host name the cookie belongs to (ports are not part of a cookie's scope). */
  domain: string;
  /** true when the cookie had no Domain attribute: sent to exactly that host only. */
  hostOnly: boolean;
  path: string;
  /** Epoch milliseconds; undefined for a session cookie. */
  expires?: number;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
}

/** RFC 6265 §5.1.4: the directory of the request path, the default Path of a cookie. */
function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith('/') || path.lastIndexOf('/') === 0) return '/';
  return path.slice(0, path.lastIndexOf('/'));
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

function domainMatches(host: string, cookie: Cookie): boolean {
  if (cookie.hostOnly) return host === cookie.domain;
  return host === cookie.domain || host.endsWith(`.${cookie.domain}`);
}

/** Browsers treat loopback http as a secure context, so `Secure` cookies of a local test server flow. */
function isSecureContext(url: URL): boolean {
  return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export class CookieJar {
  private cookies: Cookie[] = [];

  /** Stores the Set-Cookie headers of a response to `url`; an expired cookie deletes its namesake. */
  store(url: URL, setCookieHeaders: string[], now = Date.now()): void {
    for (const header of setCookieHeaders) {
      const cookie = parseSetCookie(url, header, now);
      if (!cookie) continue;
      this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path));
      if (cookie.expires === undefined || cookie.expires > now) this.cookies.push(cookie);
    }
  }

  /** The live cookies a request to `url` carries, longest path first (RFC 6265 §5.4). */
  matching(url: URL, now = Date.now()): Cookie[] {
    const host = url.hostname.toLowerCase();
    return this.live(now)
      .filter((c) => domainMatches(host, c) && pathMatches(url.pathname || '/', c.path) && (!c.secure || isSecureContext(url)))
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** The Cookie header for `url`, or undefined when no cookie applies. */
  header(url: URL): string | undefined {
    const cookies = this.matching(url);
    return cookies.length ? cookies.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  /** Every live cookie, optionally only those whose name starts with `prefix`. */
  all(prefix = ''): Cookie[] {
    return this.live().filter((c) => c.name.startsWith(prefix));
  }

  get(name: string): Cookie | undefined {
    return this.live().find((c) => c.name === name);
  }

  /** Drops the cookies for which `which` holds (all of them without an argument). */
  remove(which: (c: Cookie) => boolean = () => true): void {
    this.cookies = this.cookies.filter((c) => !which(c));
  }

  /** Puts a cookie in as another browser would have it (e.g. one copied from a second jar). */
  add(cookie: Cookie): void {
    this.cookies = this.cookies.filter((c) => !(c.name === cookie.name && c.domain === cookie.domain && c.path === cookie.path));
    this.cookies.push({ ...cookie });
  }

  private live(now = Date.now()): Cookie[] {
    this.cookies = this.cookies.filter((c) => c.expires === undefined || c.expires > now);
    return this.cookies;
  }
}

/** Parses one Set-Cookie header value as received from `url` (RFC 6265 §5.2), or undefined if ignored. */
export function parseSetCookie(url: URL, header: string, now = Date.now()): Cookie | undefined {
  const [pair, ...attributes] = header.split(';');
  const eq = pair.indexOf('=');
  if (eq <= 0) return undefined;
  const cookie: Cookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    domain: url.hostname.toLowerCase(),
    hostOnly: true,
    path: defaultPath(url),
    secure: false,
    httpOnly: false,
  };
  let maxAge: number | undefined;
  let expires: number | undefined;
  for (const attribute of attributes) {
    const i = attribute.indexOf('=');
    const key = (i < 0 ? attribute : attribute.slice(0, i)).trim().toLowerCase();
    const value = i < 0 ? '' : attribute.slice(i + 1).trim();
    if (key === 'max-age' && /^-?\d+$/.test(value)) maxAge = Number(value);
    else if (key === 'expires' && !Number.isNaN(Date.parse(value))) expires = Date.parse(value);
    else if (key === 'path' && value.startsWith('/')) cookie.path = value;
    else if (key === 'domain' && value) {
      const domain = value.replace(/^\./, '').toLowerCase();
      if (!domainMatches(url.hostname.toLowerCase(), { ...cookie, domain, hostOnly: false })) return undefined;
      cookie.domain = domain;
      cookie.hostOnly = false;
    } else if (key === 'secure') cookie.secure = true;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'samesite') cookie.sameSite = value.toLowerCase();
  }
  if (cookie.secure && !isSecureContext(url)) return undefined;
  // Max-Age wins over Expires; zero or less means "expired now".
  if (maxAge !== undefined) cookie.expires = maxAge <= 0 ? now - 1 : now + maxAge * 1000;
  else if (expires !== undefined) cookie.expires = expires;
  return cookie;
}

// ---------------------------------------------------------------------------------------------------
// The browser
// ---------------------------------------------------------------------------------------------------

/** One HTTP exchange, never followed: where a redirect points is in `location`. */
export interface Hop {
  url: URL;
  status: number;
  headers: Headers;
  /** The Location header resolved against `url`; undefined when there is none. */
  location?: URL;
  body: string;
}

export class Browser {
  constructor(readonly jar: CookieJar = new CookieJar()) {}

  get(url: string | URL, headers: Record<string, string> = {}): Promise<Hop> {
    return this.send(new URL(url), { method: 'GET', headers });
  }

  /** A form POST (application/x-www-form-urlencoded), as an HTML form submits it. */
  postForm(url: string | URL, form: Record<string, string> | URLSearchParams, headers: Record<string, string> = {}): Promise<Hop> {
    const body = form instanceof URLSearchParams ? form : new URLSearchParams(form);
    return this.send(new URL(url), { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  private async send(url: URL, init: { method: string; body?: string; headers: Record<string, string> }): Promise<Hop> {
    const cookie = this.jar.header(url);
    const res = await fetch(url, { ...init, headers: { ...(cookie ? { cookie } : {}), ...init.headers }, redirect: 'manual' });
    this.jar.store(url, res.headers.getSetCookie());
    const location = res.headers.get('location');
    return { url, status: res.status, headers: res.headers, location: location === null ? undefined : new URL(location, url), body: await res.text() };
  }
}

// ---------------------------------------------------------------------------------------------------
// The admin API of the challenge protocol, as a login/consent app calls it (plain fetch)
// ---------------------------------------------------------------------------------------------------

export type ChallengeKind = 'login' | 'consent';

export interface AdminAnswer<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** The fields of Hydra's OAuth2LoginRequest / OAuth2ConsentRequest that the driver and specs read. */
export interface ChallengeRequest {
  challenge: string;
  skip: boolean;
  subject: string;
  requested_scope: string[];
  requested_access_token_audience: string[];
  session_id?: string;
  login_session_id?: string;
  [field: string]: unknown;
}

export class ChallengeAdmin {
  constructor(readonly adminUrl: string) {}

  /** `GET /admin/oauth2/auth/requests/{kind}?{kind}_challenge=` */
  async fetchRequest(kind: ChallengeKind, challenge: string): Promise<AdminAnswer<ChallengeRequest>> {
    const res = await fetch(`${this.adminUrl}/admin/oauth2/auth/requests/${kind}?${kind}_challenge=${encodeURIComponent(challenge)}`);
    return { status: res.status, body: (await res.json()) as ChallengeRequest };
  }

  /** `PUT /admin/oauth2/auth/requests/{kind}/{accept|reject}?{kind}_challenge=` with a JSON body. */
  async decide(kind: ChallengeKind, action: 'accept' | 'reject', challenge: string, body: unknown): Promise<AdminAnswer<{ redirect_to?: string } & Record<string, unknown>>> {
    const res = await fetch(`${this.adminUrl}/admin/oauth2/auth/requests/${kind}/${action}?${kind}_challenge=${encodeURIComponent(challenge)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
  }

  async request(kind: ChallengeKind, challenge: string): Promise<ChallengeRequest> {
    const answer = await this.fetchRequest(kind, challenge);
    if (answer.status !== 200) throw new Error(`GET ${kind} request answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** Accepts or rejects and returns `redirect_to`, failing unless the admin API answered 200. */
  async redirectTo(kind: ChallengeKind, decision: Decision, challenge: string): Promise<URL> {
    const [action, body] = 'reject' in decision ? (['reject', decision.reject] as const) : (['accept', decision.accept] as const);
    const answer = await this.decide(kind, action, challenge, body);
    if (answer.status !== 200 || typeof answer.body.redirect_to !== 'string') {
      throw new Error(`${action} ${kind} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    }
    return new URL(answer.body.redirect_to);
  }
}

// ---------------------------------------------------------------------------------------------------
// Walking a flow
// ---------------------------------------------------------------------------------------------------

/** What a login or consent app decides: an accept body or a reject body, for Hydrant's admin API. */
export type Decision = { accept: Record<string, unknown> } | { reject: Record<string, unknown> };
/** A decision, or how to make one from the request the app read. */
export type Decider = Decision | ((request: ChallengeRequest) => Decision);

/** Where the browser stopped: at the login app, the consent app, the client, or on a page of Hydrant. */
export type Landing =
  | { at: 'login' | 'consent'; challenge: string; hop: Hop }
  | { at: 'client'; url: URL; params: URLSearchParams; hop: Hop }
  | { at: 'hydrant'; hop: Hop };

export interface FlowResult {
  /** The URL the browser was sent to at the client (the redirect_uri with `code` or `error`). */
  callback: URL;
  params: URLSearchParams;
  loginRequest?: ChallengeRequest;
  consentRequest?: ChallengeRequest;
  /** The URLs the login and consent apps were told to send the browser to (they carry the verifiers). */
  loginRedirect?: URL;
  consentRedirect?: URL;
}

/** Accepts consent for everything requested, as a consent app whose user clicks "allow". */
export const grantAll =
  (extra: Record<string, unknown> = {}): Decider =>
  (request) => ({ accept: { grant_scope: request.requested_scope, grant_access_token_audience: request.requested_access_token_audience, ...extra } });

export class FlowDriver {
  constructor(
    readonly admin: ChallengeAdmin,
    readonly loginUrl: string,
    readonly consentUrl: string,
  ) {}

  /**
   * Sends the browser to `url` and follows redirects while they stay on Hydrant's own origin; classifies
   * where it stopped.
   */
  async visit(browser: Browser, url: string | URL): Promise<Landing> {
    let hop = await browser.get(url);
    for (let i = 0; i < 10 && hop.location && hop.location.origin === hop.url.origin && this.page(hop.location) === undefined; i++) {
      hop = await browser.get(hop.location);
    }
    if (!hop.location || hop.status < 300 || hop.status > 399) return { at: 'hydrant', hop };
    const page = this.page(hop.location);
    if (page) {
      const challenge = hop.location.searchParams.get(`${page}_challenge`);
      if (!challenge) throw new Error(`redirected to the ${page} app without a challenge: ${hop.location.href}`);
      return { at: page, challenge, hop };
    }
    return { at: 'client', url: hop.location, params: hop.location.searchParams, hop };
  }

  /** Reads the request, decides, and sends the browser to `redirect_to`. */
  async decide(browser: Browser, landing: Landing, decider: Decider): Promise<{ request: ChallengeRequest; redirectTo: URL; next: Landing }> {
    if (landing.at !== 'login' && landing.at !== 'consent') throw new Error(`expected a challenge, the browser is at ${describeLanding(landing)}`);
    const request = await this.admin.request(landing.at, landing.challenge);
    const decision = typeof decider === 'function' ? decider(request) : decider;
    const redirectTo = await this.admin.redirectTo(landing.at, decision, landing.challenge);
    return { request, redirectTo, next: await this.visit(browser, redirectTo) };
  }

  /**
   * Runs a whole flow from an authorization URL to the client: the login app decides with `login`, the
   * consent app with `consent` (default: grant everything requested). Ends wherever Hydrant sends the
   * browser to the client, which may be before login (e.g. `prompt=none` without a session).
   */
  async run(browser: Browser, authorizationUrl: string | URL, deciders: { login?: Decider; consent?: Decider } = {}): Promise<FlowResult> {
    let landing = await this.visit(browser, authorizationUrl);
    const result: Partial<FlowResult> = {};
    if (landing.at === 'login') {
      if (!deciders.login) throw new Error('the flow asked for a login, but the test gave no login decision');
      const step = await this.decide(browser, landing, deciders.login);
      result.loginRequest = step.request;
      result.loginRedirect = step.redirectTo;
      landing = step.next;
    }
    if (landing.at === 'consent') {
      const step = await this.decide(browser, landing, deciders.consent ?? grantAll());
      result.consentRequest = step.request;
      result.consentRedirect = step.redirectTo;
      landing = step.next;
    }
    if (landing.at !== 'client') throw new Error(`expected the browser at the client, it is at ${describeLanding(landing)}`);
    return { ...result, callback: landing.url, params: landing.params };
  }

  private page(url: URL): ChallengeKind | undefined {
    const at = `${url.origin}${url.pathname}`;
    if (at === this.loginUrl) return 'login';
    if (at === this.consentUrl) return 'consent';
    return undefined;
  }
}

export function describeLanding(landing: Landing): string {
  if (landing.at === 'hydrant') return `Hydrant (${landing.hop.status} ${landing.hop.url.href}: ${landing.hop.body.slice(0, 300)})`;
  if (landing.at === 'client') return `the client (${landing.url.href})`;
  return `the ${landing.at} app`;
}

// ---------------------------------------------------------------------------------------------------
// A server to run flows against
// ---------------------------------------------------------------------------------------------------

export const LOGIN_URL = 'http://login.test/login';
export const CONSENT_URL = 'http://consent.test/consent';

export interface FlowServer {
  server: TestServer;
  /** The issuer, `http://127.0.0.1:PORT/` (the listening public URL). */
  issuer: string;
  publicUrl: string;
  adminUrl: string;
  admin: ChallengeAdmin;
  driver: FlowDriver;
  close: () => Promise<void>;
}

/** Both apps listening, the issuer being the public URL, login and consent pages at fixed test URLs. */
export async function startFlowServer(env: Record<string, string> = {}): Promise<FlowServer> {
  const server = await startTestServer({ URLS_LOGIN: LOGIN_URL, URLS_CONSENT: CONSENT_URL, ...env }, { listen: true, issuerIsPublicUrl: true });
  const publicUrl = await baseUrl(server.publicApp);
  const adminUrl = await baseUrl(server.adminApp);
  const admin = new ChallengeAdmin(adminUrl);
  return { server, issuer: `${publicUrl}/`, publicUrl, adminUrl, admin, driver: new FlowDriver(admin, LOGIN_URL, CONSENT_URL), close: () => server.close() };
}

/** Registers a client through the admin API; `client_secret` is undefined for public clients. */
export async function createClient(adminUrl: string, body: Record<string, unknown>): Promise<{ client_id: string; client_secret?: string } & Record<string, unknown>> {
  const res = await fetch(`${adminUrl}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const created = (await res.json()) as { client_id: string; client_secret?: string } & Record<string, unknown>;
  if (res.status !== 201) throw new Error(`creating a client answered ${res.status}: ${JSON.stringify(created)}`);
  return created;
}

/** `POST /admin/oauth2/introspect` */
export async function introspect(adminUrl: string, token: string): Promise<Record<string, unknown> & { active: boolean }> {
  const res = await fetch(`${adminUrl}/admin/oauth2/introspect`, { method: 'POST', body: new URLSearchParams({ token }) });
  if (res.status !== 200) throw new Error(`introspection answered ${res.status}`);
  return (await res.json()) as Record<string, unknown> & { active: boolean };
}

/** A token endpoint call as a client makes it; `basic` authenticates with client_secret_basic. */
export async function tokenRequest(
  publicUrl: string,
  form: Record<string, string>,
  basic?: { id: string; secret: string },
): Promise<{ status: number; headers: Headers; body: Record<string, any> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(basic.id)}:${encodeURIComponent(basic.secret)}`).toString('base64')}`;
  const res = await fetch(`${publicUrl}/oauth2/token`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  const text = await res.text();
  let body: Record<string, any>;
  try {
    body = JSON.parse(text);
  } catch {
    body = { unparsed: text };
  }
  return { status: res.status, headers: res.headers, body };
}

/** A PKCE pair (RFC 7636, S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A random state or nonce. */
export function random(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * A code request of `clientId` to `redirectUri`: PKCE S256, a fresh state and nonce, scope
 * `openid offline_access`, each replaceable through `params`. Returns the URL and the PKCE verifier.
 */
export function codeRequest(publicUrl: string, clientId: string, redirectUri: string, params: Record<string, string> = {}): { url: URL; verifier: string } {
  const { verifier, challenge } = pkce();
  const url = authorizationUrl(publicUrl, {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'openid offline_access',
    state: random(),
    nonce: random(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...params,
  });
  return { url, verifier };
}

/** An authorization URL on `issuer` with these parameters (undefined values left out). */
export function authorizationUrl(publicUrl: string, params: Record<string, string | undefined>): URL {
  const url = new URL(`${publicUrl}/oauth2/auth`);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(key, value);
  return url;
}
