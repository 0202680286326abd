import { Agent as HttpAgent, IncomingHttpHeaders, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Socket } from 'node:net';
import { rootCertificates } from 'node:tls';
import { HydrantConfig } from '../../config/hydrant.config';
import { Logger } from '../../logging/logger';
import { activeTracing } from '../../tracing/active-tracing';
import { traceOutbound } from '../../tracing/outbound-span';
import { HYDRANT_VERSION } from '../../version';
import { readBoundedBody } from './bounded-body.reader';
import { OutboundFetchError } from './outbound-fetch.error';
import { PrivateAddressRule } from './private-address.rule';

/** Connecting (DNS and TCP) gets this long at most, and never longer than the whole call. */
const CONNECT_TIMEOUT_MS = 3_000;

export interface OutboundHttpOptions {
  /** CLIENTS_HTTP_TIMEOUT: how long a call may take in all, from connecting to the body's last byte. */
  timeoutMs: number;
  /** How long connecting may take; default the lesser of 3 s and `timeoutMs`. */
  connectTimeoutMs?: number;
  rule: PrivateAddressRule;
  /** Certificates to trust besides Node's bundled ones (a loopback https server in tests, a private CA). */
  ca?: string | Buffer | Array<string | Buffer>;
  logger?: Logger;
}

export interface OutboundRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** The largest body to accept, counted after decompression. */
  maxBodyBytes: number;
  /** Answer any status with its body instead of failing on all but 2xx (the token hook reads 403); redirects are still not followed. */
  anyStatus?: boolean;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface AgentPair {
  'http:': HttpAgent;
  'https:': HttpsAgent;
}

/**
 * The one HTTP client for everything Hydrant fetches from or sends to a URL a client registered
 * (`jwks_uri`, `sector_identifier_uri`, `backchannel_logout_uri`). Such a URL is the registrant's choice,
 * so every call is bounded: a connect and a total timeout, a body cap counted after decompression, no
 * redirects (a 3xx fails), only 2xx succeeds, and the private-address rule checked on the address
 * connected to. Sockets are pooled and kept alive per agent. Every failure is one OutboundFetchError.
 */
export class OutboundHttpClient {
  /** Calls the rule applies to connect through `guarded`, whose lookup refuses non-public addresses; the rest through `open`. */
  private readonly guarded: AgentPair;
  private readonly open: AgentPair;

  constructor(private readonly options: OutboundHttpOptions) {
    this.guarded = agents(options, options.rule.lookup);
    this.open = agents(options);
  }

  static fromConfig(config: HydrantConfig, extra: Pick<OutboundHttpOptions, 'ca' | 'logger'> = {}): OutboundHttpClient {
    const rule = new PrivateAddressRule(config.clientsHttpDisallowPrivateIpRanges, config.clientsHttpPrivateIpExceptionUrls);
    return new OutboundHttpClient({ timeoutMs: config.clientsHttpTimeout, rule, ...extra });
  }

  /** With tracing on, the call is a span of its own, and the request carries its `traceparent` (outbound-span.ts). */
  async request(target: string, request: OutboundRequest): Promise<OutboundResponse> {
    if (!activeTracing()) return this.attempt(target, request);
    return traceOutbound(request.method ?? 'GET', target, (traceHeaders) => this.attempt(target, { ...request, headers: { ...request.headers, ...traceHeaders } }));
  }

  private async attempt(target: string, request: OutboundRequest): Promise<OutboundResponse> {
    try {
      return await this.send(target, request);
    } catch (e) {
      const error = e instanceof OutboundFetchError ? e : new OutboundFetchError(describe(e));
      this.options.logger?.debug({ url: target, detail: error.detail }, 'an outbound call failed');
      throw error;
    }
  }

  /** GET a JSON document of at most `maxBodyBytes`; a body that is not JSON fails like any other call. `size` is its length in bytes. */
  async getJson(target: string, maxBodyBytes: number, accept = 'application/json'): Promise<{ json: unknown; size: number }> {
    const res = await this.request(target, { headers: { accept }, maxBodyBytes });
    try {
      return { json: JSON.parse(res.body.toString('utf8')), size: res.body.length };
    } catch {
      const error = new OutboundFetchError('the body is not JSON');
      this.options.logger?.debug({ url: target, detail: error.detail }, 'an outbound call failed');
      throw error;
    }
  }

  /** Closes the pooled sockets (at shutdown). */
  close(): void {
    for (const agent of [this.guarded['http:'], this.guarded['https:'], this.open['http:'], this.open['https:']]) agent.destroy();
  }

  private send(target: string, request: OutboundRequest): Promise<OutboundResponse> {
    const url = parseUrl(target);
    const guarded = this.options.rule.appliesTo(url);
    if (guarded) this.options.rule.checkLiteralHost(url);
    const protocol = url.protocol as keyof AgentPair;
    const perform = protocol === 'https:' ? httpsRequest : httpRequest;
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers: Record<string, string> = {
      'user-agent': `Hydrant/${HYDRANT_VERSION.replace(/^v/, '')}`,
      'accept-encoding': 'gzip, deflate, br',
      ...request.headers,
      ...(body ? { 'content-length': String(body.length) } : {}),
    };
    const timeoutMs = this.options.timeoutMs;
    const connectTimeoutMs = Math.min(this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, timeoutMs);

    return new Promise<OutboundResponse>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      let settled = false;
      const settle = (error: Error | undefined, response?: OutboundResponse) => {
        if (settled) return;
        settled = true;
        timers.forEach(clearTimeout);
        if (error) {
          req.destroy();
          reject(error);
        } else {
          resolve(response!);
        }
      };
      const req = perform(url, { method: request.method ?? 'GET', headers, agent: (guarded ? this.guarded : this.open)[protocol] }, (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        if ((status < 200 || status > 299) && !request.anyStatus) {
          res.resume();
          const why = status >= 300 && status < 400 ? `answered ${status}, and redirects are not followed` : `answered ${status}`;
          return settle(new OutboundFetchError(why, false, status));
        }
        readBoundedBody(res, request.maxBodyBytes).then(
          (bytes) => settle(undefined, { status, headers: res.headers, body: bytes }),
          (e: Error) => settle(e),
        );
      });
      timers.push(setTimeout(() => settle(new OutboundFetchError(`no complete answer within ${timeoutMs} ms`, true)), timeoutMs));
      req.on('socket', (socket: Socket) => {
        if (!socket.connecting) return;
        const connectTimer = setTimeout(() => settle(new OutboundFetchError(`not connected within ${connectTimeoutMs} ms`)), connectTimeoutMs);
        timers.push(connectTimer);
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      req.on('error', (e) => settle(e instanceof OutboundFetchError ? e : new OutboundFetchError(describe(e))));
      req.end(body);
    });
  }
}

function agents(options: OutboundHttpOptions, lookup?: PrivateAddressRule['lookup']): AgentPair {
  const common = { keepAlive: true, maxSockets: 32, maxFreeSockets: 8, scheduling: 'lifo' as const, timeout: 30_000, ...(lookup ? { lookup } : {}) };
  // A `ca` replaces Node's bundled roots, so extra certificates are added to them, not put in their place.
  const ca = options.ca ? { ca: [...rootCertificates, ...[options.ca].flat()] } : {};
  return { 'http:': new HttpAgent(common), 'https:': new HttpsAgent({ ...common, ...ca }) };
}

function parseUrl(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new OutboundFetchError('the URL is not valid');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundFetchError(`the scheme ${url.protocol} is not http or https`);
  if (url.username || url.password) throw new OutboundFetchError('the URL carries credentials');
  return url;
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `${err.code}: ${err.message}` : String(err?.message ?? e);
}
