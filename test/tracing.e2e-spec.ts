import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Hydrant, eventually, freePorts, killAllChildren } from './support/hydrant-process';
import { LoopbackServer, startLoopbackServer } from './support/loopback-server';
import { createPostgresDatabase } from './support/test-database';
import { TEST_DIALECT } from './support/test-runtime';

/**
 * OpenTelemetry tracing of the built server (`node bin/hydrant.js serve all`, so `npm run build` first),
 * exporting OTLP as JSON to a receiver on loopback: one SERVER span per request on either port, named by
 * route, continuing the caller's `traceparent`; the SQL statements and the outbound calls (the token hook,
 * a client's jwks_uri) as its children in the same trace, the outbound calls carrying their own
 * `traceparent`; no secret, token or query string in any attribute; the last spans exported on SIGTERM;
 * and nothing at all sent when tracing is off. On PostgreSQL the server runs two workers, each with its
 * own SDK.
 */

jest.setTimeout(120_000);

const CLIENT_SECRET = `client-secret-${randomUUID()}`;
const SYSTEM_SECRET = 'tracing-e2e-system-secret-0123456789';
/** Put in query strings, where only a path may reach a span. */
const QUERY_MARKER = `query-marker-${randomUUID()}`;
const WORKERS = TEST_DIALECT === 'postgres' ? 2 : 1;
/** OTLP's span kinds. */
const SERVER = 2;
const CLIENT = 3;
const STATUS_ERROR = 2;

type AttributeValue = string | number | boolean | undefined;

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, AttributeValue>;
  status: { code?: number };
  resource: Record<string, AttributeValue>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpExport {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{ spans: Array<Omit<ExportedSpan, 'attributes' | 'resource'> & { attributes?: OtlpAttribute[] }> }>;
  }>;
}

const valueOf = (v: OtlpValue): AttributeValue => v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue));
const attributes = (list: OtlpAttribute[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/** An OTLP/HTTP receiver: every export's raw body, and its spans flattened. */
class OtlpReceiver {
  readonly bodies: string[] = [];
  readonly spans: ExportedSpan[] = [];
  readonly contentTypes = new Set<string>();
  private server!: LoopbackServer;

  async start(): Promise<this> {
    this.server = await startLoopbackServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        this.bodies.push(text);
        this.contentTypes.add(String(req.headers['content-type']));
        if (req.url === '/v1/traces') this.collect(JSON.parse(text) as OtlpExport);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    return this;
  }

  get url(): string {
    return `${this.server.origin}/v1/traces`;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  /** The server span named `name`, once exported, and the trace it is in. */
  async serverSpan(match: (span: ExportedSpan) => boolean): Promise<ExportedSpan> {
    await eventually(() => this.spans.some((s) => s.kind === SERVER && match(s)), 15_000, 'a server span');
    return this.spans.find((s) => s.kind === SERVER && match(s))!;
  }

  childrenOf(parent: ExportedSpan): ExportedSpan[] {
    return this.spans.filter((s) => s.parentSpanId === parent.spanId && s.traceId === parent.traceId);
  }

  private collect(body: OtlpExport): void {
    for (const rs of body.resourceSpans) {
      const resource = attributes(rs.resource.attributes);
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) this.spans.push({ ...span, attributes: attributes(span.attributes), status: span.status ?? {}, resource });
      }
    }
  }
}

/** The token hook and a client's jwks_uri, on one loopback server that records each call's traceparent. */
class RelyingParty {
  readonly calls: Array<{ path: string; traceparent?: string }> = [];
  jwks: unknown = { keys: [] };
  private server!: LoopbackServer;

  async start(): Promise<this> {
    this.server = await startLoopbackServer((req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? '').split('?')[0];
      this.calls.push({ path, traceparent: req.headers.traceparent as string | undefined });
      req.resume();
      req.on('end', () => {
        if (path === '/jwks.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.jwks));
        else res.writeHead(204).end(); // the token hook: keep the claims
      });
    });
    return this;
  }

  url(path: string): string {
    return `${this.server.origin}${path}`;
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const traceparentOf = (span: ExportedSpan) => `00-${span.traceId}-${span.spanId}-01`;

describe('tracing (OpenTelemetry)', () => {
  let dir: string;
  let dsn: string;
  let dropDatabase: (() => Promise<void>) | undefined;
  let receiver: OtlpReceiver;
  let rp: RelyingParty;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hydrant-tracing-e2e-'));
    if (TEST_DIALECT === 'postgres') {
      const pg = await createPostgresDatabase();
      dsn = pg.dsn;
      dropDatabase = pg.drop;
    } else {
      dsn = `sqlite://${path.join(dir, 'hydrant.sqlite')}`;
    }
    receiver = await new OtlpReceiver().start();
    rp = await new RelyingParty().start();
  });

  afterEach(() => killAllChildren());

  afterAll(async () => {
    killAllChildren();
    await receiver.close();
    await rp.close();
    await dropDatabase?.();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `hydrant serve all` on fresh ports with `env`, once every worker listens. */
  async function serve(env: Record<string, string>): Promise<{ hydrant: Hydrant; publicUrl: string; adminUrl: string }> {
    const [pub, adm] = await freePorts(2);
    const hydrant = new Hydrant(
      ['serve', 'all', '--workers', String(WORKERS)],
      {
        DSN: dsn,
        SECRETS_SYSTEM: SYSTEM_SECRET,
        SERVE_PUBLIC_PORT: String(pub),
        SERVE_ADMIN_PORT: String(adm),
        URLS_SELF_ISSUER: `http://127.0.0.1:${pub}/`,
        OAUTH2_TOKEN_HOOK: rp.url('/token-hook'),
        ...env,
      },
      { cwd: dir },
    );
    // Generous: workers start slowly on a machine busy with other suites. A child that dies instead fails at once.
    const died = hydrant.exited.then((exit) => Promise.reject(new Error(`hydrant exited before it listened: ${JSON.stringify(exit)}`)));
    died.catch(() => undefined);
    await Promise.race([
      died,
      Promise.all([
        hydrant.waitForLogs((l) => l.msg === 'admin API listening', WORKERS, 60_000),
        hydrant.waitForLogs((l) => l.msg === 'public API listening', WORKERS, 60_000),
      ]),
    ]);
    return { hydrant, publicUrl: `http://127.0.0.1:${pub}`, adminUrl: `http://127.0.0.1:${adm}` };
  }

  const tracingOn = (extra: Record<string, string> = {}) => ({
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    TRACING_SERVICE_NAME: 'hydrant-e2e',
    ...extra,
  });

  async function createClient(adminUrl: string, body: Record<string, unknown>): Promise<string> {
    const res = await fetch(`${adminUrl}/admin/clients`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return ((await res.json()) as { client_id: string }).client_id;
  }

  it('exports a span per request, with its statements and outbound calls as children, and no secret', async () => {
    const { hydrant, publicUrl, adminUrl } = await serve(tracingOn());
    const clientId = await createClient(adminUrl, { client_secret: CLIENT_SECRET, grant_types: ['client_credentials'], scope: 'read' });

    // A client_credentials grant, sent with the caller's own trace context.
    const callerTrace = randomUUID().replace(/-/g, '');
    const callerSpan = randomUUID().replace(/-/g, '').slice(0, 16);
    const tokenRes = await fetch(`${publicUrl}/oauth2/token?probe=${QUERY_MARKER}`, {
      method: 'POST',
      headers: { authorization: basic(clientId, CLIENT_SECRET), traceparent: `00-${callerTrace}-${callerSpan}-01` },
      body: form({ grant_type: 'client_credentials', scope: 'read' }),
    });
    expect(tokenRes.status).toBe(200);
    const accessToken = ((await tokenRes.json()) as { access_token: string }).access_token;

    const introspection = await fetch(`${adminUrl}/admin/oauth2/introspect`, { method: 'POST', body: form({ token: accessToken }) });
    expect(((await introspection.json()) as { active: boolean }).active).toBe(true);

    const refused = await fetch(`${publicUrl}/oauth2/token?probe=${QUERY_MARKER}`, {
      method: 'POST',
      headers: { authorization: basic(clientId, `${CLIENT_SECRET}-wrong`) },
      body: form({ grant_type: 'client_credentials' }),
    });
    expect(refused.status).toBe(401);

    const unknownClient = await fetch(`${adminUrl}/admin/clients/does-not-exist?probe=${QUERY_MARKER}`);
    expect(unknownClient.status).toBe(404);

    // Refused before any route: a NUL in the path.
    const nul = await fetch(`${publicUrl}/oauth2/auth%00?probe=${QUERY_MARKER}`);
    expect(nul.status).toBe(400);

    // private_key_jwt with keys at a jwks_uri: Hydrant fetches the client's key set.
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    rp.jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', use: 'sig', alg: 'ES256' }] };
    const jwtClientId = await createClient(adminUrl, {
      grant_types: ['client_credentials'],
      scope: 'read',
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks_uri: rp.url(`/jwks.json`),
    });
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({ iss: jwtClientId, sub: jwtClientId, aud: `${publicUrl}/oauth2/token`, jti: randomUUID(), iat: now, exp: now + 300 })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey);
    const jwtTokenRes = await fetch(`${publicUrl}/oauth2/token`, {
      method: 'POST',
      body: form({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }),
    });
    expect(jwtTokenRes.status).toBe(200);
    const jwtAccessToken = ((await jwtTokenRes.json()) as { access_token: string }).access_token;

    // The token request: its span continues the caller's trace, as a child of the caller's span.
    const token = await receiver.serverSpan((s) => s.traceId === callerTrace);
    expect(token).toMatchObject({ name: 'POST /oauth2/token', parentSpanId: callerSpan });
    expect(token.attributes).toEqual({ 'http.request.method': 'POST', 'url.path': '/oauth2/token', 'http.response.status_code': 200 });
    expect(token.resource).toMatchObject({ 'service.name': 'hydrant-e2e' });

    // Its statements and its call of the token hook are its children, in the same trace.
    await eventually(() => receiver.childrenOf(token).some((s) => s.attributes['db.system.name']), 10_000, 'statement spans');
    const children = receiver.childrenOf(token);
    const statements = children.filter((s) => s.attributes['db.system.name'] !== undefined);
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      expect(statement.kind).toBe(CLIENT);
      expect(statement.attributes['db.system.name']).toBe(TEST_DIALECT === 'postgres' ? 'postgresql' : 'sqlite');
      expect(statement.attributes['db.query.text']).toMatch(/^(SELECT|INSERT|UPDATE|DELETE|WITH)\b/);
    }
    expect(statements.some((s) => /^INSERT\b/.test(String(s.attributes['db.query.text'])))).toBe(true);
    const hookCall = children.find((s) => s.attributes['url.path'] === '/token-hook')!;
    expect(hookCall).toMatchObject({ name: 'POST', kind: CLIENT });
    expect(hookCall.attributes).toMatchObject({ 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'http.response.status_code': 204 });
    // …and the hook was called with that span's traceparent.
    expect(rp.calls.filter((c) => c.path === '/token-hook').map((c) => c.traceparent)).toContain(traceparentOf(hookCall));

    // The other requests: each its own server span, on either port, named by route or path.
    const introspect = await receiver.serverSpan((s) => s.name === 'POST /admin/oauth2/introspect');
    expect(introspect.attributes).toMatchObject({ 'http.response.status_code': 200, 'url.path': '/admin/oauth2/introspect' });
    expect(introspect.parentSpanId).toBeFalsy();
    expect(receiver.childrenOf(introspect).some((s) => s.attributes['db.system.name'])).toBe(true);
    const failed = await receiver.serverSpan((s) => s.attributes['http.response.status_code'] === 401);
    expect(failed).toMatchObject({ name: 'POST /oauth2/token', attributes: expect.objectContaining({ 'url.path': '/oauth2/token' }) });
    expect(failed.status.code).not.toBe(STATUS_ERROR); // a 4xx is the caller's error, not the server's
    const created = await receiver.serverSpan((s) => s.name === 'POST /admin/clients');
    expect(created.attributes).toMatchObject({ 'http.route': '/admin/clients', 'http.response.status_code': 201 });
    const refusedEarly = await receiver.serverSpan((s) => s.attributes['http.response.status_code'] === 400);
    expect(refusedEarly).toMatchObject({ name: 'GET /oauth2/auth%00', attributes: expect.objectContaining({ 'url.path': '/oauth2/auth%00' }) });
    const notFound = await receiver.serverSpan((s) => s.attributes['http.response.status_code'] === 404);
    expect(notFound).toMatchObject({ name: 'GET /admin/clients/:id', attributes: expect.objectContaining({ 'url.path': '/admin/clients/does-not-exist', 'http.route': '/admin/clients/:id' }) });

    // The private_key_jwt grant fetched the client's jwks_uri under its own span, with its traceparent.
    await eventually(() => receiver.spans.some((s) => s.kind === CLIENT && s.attributes['url.path'] === '/jwks.json'), 10_000, 'the jwks_uri span');
    const jwksCall = receiver.spans.find((s) => s.kind === CLIENT && s.attributes['url.path'] === '/jwks.json')!;
    expect(jwksCall.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200 });
    const jwtToken = receiver.spans.find((s) => s.spanId === jwksCall.parentSpanId && s.traceId === jwksCall.traceId)!;
    expect(jwtToken).toMatchObject({ name: 'POST /oauth2/token', kind: SERVER });
    expect(rp.calls.find((c) => c.path === '/jwks.json')?.traceparent).toBe(traceparentOf(jwksCall));

    // Nothing secret anywhere in what was exported: not the client secret, a token, an assertion or a query string.
    await hydrant.kill();
    const exported = receiver.bodies.join('\n');
    for (const secret of [CLIENT_SECRET, accessToken, jwtAccessToken, assertion, QUERY_MARKER, SYSTEM_SECRET]) expect(exported).not.toContain(secret);
    for (const span of receiver.spans) {
      for (const [key, value] of Object.entries(span.attributes)) {
        // SQLite's placeholders are `?`; anywhere else a `?` would be the start of a query string.
        expect(String(value)).not.toMatch(key === 'db.query.text' ? /probe=|Basic |Bearer / : /[?]|probe=|Basic |Bearer /);
      }
    }
    expect([...receiver.contentTypes]).toEqual(['application/json']);
  });

  it('exports the spans still queued when it is stopped with SIGTERM', async () => {
    // A batch delay far beyond the test: only the shutdown can have sent the span.
    const { hydrant, publicUrl } = await serve(tracingOn({ OTEL_BSP_SCHEDULE_DELAY: '600000', TRACING_SERVICE_NAME: 'hydrant-e2e-shutdown' }));
    const traceId = randomUUID().replace(/-/g, '');
    const res = await fetch(`${publicUrl}/health/alive`, { headers: { traceparent: `00-${traceId}-${'1'.repeat(16)}-01` } });
    expect(res.status).toBe(200);
    hydrant.signal('SIGTERM');
    expect((await hydrant.waitForExit(20_000)).code).toBe(0);
    const alive = await receiver.serverSpan((s) => s.traceId === traceId);
    expect(alive).toMatchObject({ name: 'GET /health/alive', resource: expect.objectContaining({ 'service.name': 'hydrant-e2e-shutdown' }) });
  });

  it('sends nothing and adds no traceparent when tracing is off', async () => {
    const before = receiver.bodies.length;
    rp.calls.length = 0;
    // The exporter's endpoint and delay are set, but no exporter is: tracing stays off.
    const { hydrant, publicUrl, adminUrl } = await serve({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100' });
    const clientId = await createClient(adminUrl, { client_secret: CLIENT_SECRET, grant_types: ['client_credentials'], scope: 'read' });
    const res = await fetch(`${publicUrl}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic(clientId, CLIENT_SECRET), traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` },
      body: form({ grant_type: 'client_credentials', scope: 'read' }),
    });
    expect(res.status).toBe(200);
    expect(hydrant.logs.some((l) => l.msg === 'tracing is on')).toBe(false);
    hydrant.signal('SIGTERM');
    expect((await hydrant.waitForExit(20_000)).code).toBe(0);
    expect(receiver.bodies.length).toBe(before);
    expect(rp.calls.filter((c) => c.path === '/token-hook')).toHaveLength(1);
    expect(rp.calls[0].traceparent).toBeUndefined();
  });
});
