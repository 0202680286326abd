/**
 * What a span may say about a request, a statement or an outbound call, and nothing more. Only these
 * attributes are ever set, and each is built here from a value that holds no secret: a method, a path
 * without its query (a query may carry a token, a code or a challenge), a status, a host name, a route
 * template, and SQL text with its placeholders (the parameters, which hold hashes, tokens and personal
 * data, are never read). Headers and bodies are never looked at.
 *
 * The names are OpenTelemetry's stable semantic conventions, spelled out here rather than imported from
 * @opentelemetry/semantic-conventions so that the code loaded with tracing off loads no OpenTelemetry package.
 */
export const ATTR = {
  httpRequestMethod: 'http.request.method',
  httpResponseStatusCode: 'http.response.status_code',
  httpRoute: 'http.route',
  urlPath: 'url.path',
  urlScheme: 'url.scheme',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  dbSystemName: 'db.system.name',
  dbQueryText: 'db.query.text',
  dbOperationName: 'db.operation.name',
} as const;

/** `/oauth2/token?code=…#x` -> `/oauth2/token`: the query and the fragment may hold credentials. */
export function pathWithoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/**
 * The first keyword of a statement (`SELECT`, `INSERT`, `WITH`), as the span's name and `db.operation.name`:
 * a name of few values, whatever the statement's text.
 */
export function operationOf(text: string): string {
  const match = /^\s*([A-Za-z]+)/.exec(text);
  return match ? match[1].toUpperCase() : 'SQL';
}

/** `sqlite` or `postgresql`, OpenTelemetry's names of the two dialects. */
export function dbSystemName(dialect: 'sqlite' | 'postgres'): string {
  return dialect === 'postgres' ? 'postgresql' : 'sqlite';
}

/** What an outbound call's span says of its target: never the query, the fragment or credentials in the URL. */
export function outboundTarget(target: string): Record<string, string | number> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return {}; // the call fails on it too; an unparsable URL is not echoed
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { [ATTR.serverAddress]: url.hostname, [ATTR.serverPort]: port, [ATTR.urlScheme]: url.protocol.replace(/:$/, ''), [ATTR.urlPath]: url.pathname };
}

/**
 * `error.type` of a failure: the error's class or its code (`OutboundFetchError`, `SQLITE_BUSY`, PostgreSQL's
 * `23505`), never its message, which may quote a value (PostgreSQL's "Key (id)=(…) already exists").
 */
export function errorType(error: unknown): string {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code === 'string' && /^[\w.-]{1,64}$/.test(code)) return code;
  if (typeof name === 'string' && /^\w{1,64}$/.test(name)) return name;
  return '_OTHER';
}
