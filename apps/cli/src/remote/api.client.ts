import http from 'node:http';
import https from 'node:https';
import { CliError } from './cli.error';

/** An answer of Hydrant's (or Hydra's) HTTP API. */
export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface ApiRequest {
  method?: string;
  path: string;
  query?: Record<string, string | undefined>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  /** Status codes that are not failures (default: every 2xx). */
  accept?: (status: number) => boolean;
}

export interface ApiClientOptions {
  endpoint: string;
  headers?: Record<string, string>;
  skipTlsVerify?: boolean;
  /** Whole-request deadline, so that an unreachable endpoint fails well within 15 seconds. */
  timeoutMs?: number;
}

// Short enough that, with the command line's own start, an unreachable endpoint fails within 15 seconds.
const DEFAULT_TIMEOUT_MS = 8_000;

/**
 * The one small HTTP client the remote commands use: they call Hydrant's own API, as any other client
 * would. Failures become a CliError whose message is one line: the API's error and description, or why
 * the endpoint could not be reached.
 */
export class ApiClient {
  private readonly base: URL;

  constructor(private readonly options: ApiClientOptions) {
    try {
      this.base = new URL(options.endpoint.endsWith('/') ? options.endpoint : `${options.endpoint}/`);
    } catch {
      throw new CliError(`--endpoint: "${options.endpoint}" is not a URL`);
    }
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new CliError(`--endpoint: "${options.endpoint}" is not an http(s) URL`);
  }

  url(path: string, query?: Record<string, string | undefined>): URL {
    const url = new URL(path.replace(/^\//, ''), this.base);
    for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    return url;
  }

  async request(request: ApiRequest): Promise<ApiResponse> {
    const response = await this.send(request);
    const accept = request.accept ?? ((status: number) => status >= 200 && status < 300);
    if (!accept(response.status)) throw new CliError(describeFailure(request, response));
    if (response.body !== undefined && (typeof response.body !== 'object' || response.body === null)) {
      // A web page at the endpoint: most likely the wrong URL (the public port for the admin one, a proxy's page).
      throw new CliError(`${request.method ?? 'GET'} ${request.path}: ${this.base.origin} answered ${response.status} without JSON; is --endpoint the right API's URL?`);
    }
    return response;
  }

  private send(request: ApiRequest): Promise<ApiResponse> {
    const url = this.url(request.path, request.query);
    const headers: Record<string, string> = { Accept: 'application/json', ...this.options.headers, ...request.headers };
    let payload: string | undefined;
    if (request.json !== undefined) {
      payload = JSON.stringify(request.json);
      headers['Content-Type'] = 'application/json';
    } else if (request.form !== undefined) {
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(request.form)) if (value !== undefined) form.set(name, value);
      payload = form.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const transport = url.protocol === 'https:' ? https : http;
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    return new Promise<ApiResponse>((resolve, reject) => {
      const req = transport.request(url, {
        method: request.method ?? 'GET',
        headers,
        rejectUnauthorized: !this.options.skipTlsVerify,
      });
      const deadline = setTimeout(() => req.destroy(new CliError(`${url.origin} did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
      req.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(deadline);
        reject(e instanceof CliError ? e : new CliError(`cannot reach ${url.origin}: ${e.code ?? e.message}`));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(deadline);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if (text && /json/i.test(res.headers['content-type'] ?? '')) {
            try {
              body = JSON.parse(text);
            } catch {
              // reported as text
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? body : undefined });
        });
      });
      req.end(payload);
    });
  }
}

/** "POST /admin/clients: 400 invalid_client_metadata: …", in one line. */
function describeFailure(request: ApiRequest, response: ApiResponse): string {
  const body = response.body as { error?: unknown; error_description?: unknown; message?: unknown } | string | undefined;
  let reason = '';
  if (body && typeof body === 'object') {
    const error = typeof body.error === 'object' && body.error !== null ? (body.error as { message?: unknown; reason?: unknown }) : undefined;
    const parts = [
      typeof body.error === 'string' ? body.error : error?.message,
      typeof body.error_description === 'string' ? body.error_description : error?.reason,
      typeof body.message === 'string' ? body.message : undefined,
    ].filter((p): p is string => typeof p === 'string' && p.length > 0);
    reason = parts.join(': ');
  } else if (typeof body === 'string') {
    reason = body.slice(0, 200);
  }
  const line = `${request.method ?? 'GET'} ${request.path.split('?')[0]}: the server answered ${response.status}${reason ? ` ${reason}` : ''}`;
  return line.replace(/\s+/g, ' ').trim();
}
