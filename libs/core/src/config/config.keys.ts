/**
 * Every configuration key Hydrant reads, with its default and the reason for it. Keys are Hydra's
 * environment variable names; a YAML/JSON file given with `--config` holds the same keys nested
 * (`urls.self.issuer` is `URLS_SELF_ISSUER`). The README's configuration reference lists exactly these
 * (a unit spec keeps the two in step).
 */
export type ConfigKind = 'string' | 'integer' | 'number' | 'boolean' | 'duration' | 'list' | 'trust-proxy';

export interface ConfigKeyDefinition {
  key: string;
  kind: ConfigKind;
  /** The default as it would be written in the environment; undefined means "not set". */
  default?: string;
  description: string;
}

const EXAMPLE_APP = 'http://127.0.0.1:3000';

export const CONFIG_KEYS = [
  { key: 'DSN', kind: 'string', default: 'sqlite://./data/hydrant.sqlite', description: '`sqlite://PATH`, `postgres://USER:PASS@HOST:PORT/DB`, or `memory` (SQLite in memory, one worker, for tests).' },
  { key: 'DB_MIGRATE_ON_START', kind: 'boolean', default: 'true', description: '`serve` applies pending migrations before it listens (once, under a lock). Turn off to run `hydrant migrate up` as a separate deploy step.' },
  { key: 'DB_BUSY_TIMEOUT', kind: 'duration', default: '5s', description: 'SQLite only: how long a writer waits for another process\'s write lock before failing.' },
  { key: 'DB_POOL_SIZE', kind: 'integer', default: '10', description: 'PostgreSQL only: connections per worker process; at least 2, since applying migrations holds a lock on one while it migrates on another.' },
  { key: 'URLS_SELF_ISSUER', kind: 'string', default: 'http://127.0.0.1:4444/', description: 'The issuer URL; must be https unless `--dev` is given or the host is a loopback address.' },
  { key: 'URLS_LOGIN', kind: 'string', default: `${EXAMPLE_APP}/login`, description: 'Where browsers are sent to log in (the example app by default).' },
  { key: 'URLS_CONSENT', kind: 'string', default: `${EXAMPLE_APP}/consent`, description: 'Where browsers are sent to give consent.' },
  { key: 'URLS_LOGOUT', kind: 'string', default: `${EXAMPLE_APP}/logout`, description: 'Where browsers are sent to confirm logout.' },
  { key: 'URLS_ERROR', kind: 'string', default: `${EXAMPLE_APP}/error`, description: 'Where browsers see errors that cannot be sent to a client.' },
  { key: 'URLS_POST_LOGOUT_REDIRECT', kind: 'string', default: `${EXAMPLE_APP}/logged-out`, description: 'Where browsers land after logout when the client named no post_logout_redirect_uri.' },
  { key: 'URLS_DEVICE_VERIFICATION', kind: 'string', default: `${EXAMPLE_APP}/device`, description: 'Where browsers enter a device\'s user code (RFC 8628): `/oauth2/device/verify` sends them here with a `device_challenge`.' },
  { key: 'URLS_DEVICE_SUCCESS', kind: 'string', default: `${EXAMPLE_APP}/device/success`, description: 'Where browsers land once they have approved a device.' },
  { key: 'SECRETS_SYSTEM', kind: 'list', description: 'Comma list, first is current, each at least 16 characters: HMAC of opaque tokens and encryption of keys at rest; older entries still verify. Required by `serve` unless `--dev` is given; with `--dev` and no value, one is generated on first start and stored in the database (`hydrant secrets migrate` moves off it).' },
  { key: 'SECRETS_COOKIE', kind: 'list', description: 'Comma list that signs CSRF and session cookies. Default: `SECRETS_SYSTEM`.' },
  { key: 'SERVE_PUBLIC_PORT', kind: 'integer', default: '4444', description: 'Port of the public listener.' },
  { key: 'SERVE_PUBLIC_HOST', kind: 'string', default: '0.0.0.0', description: 'Interface of the public listener (every interface, as Hydra).' },
  { key: 'SERVE_ADMIN_PORT', kind: 'integer', default: '4445', description: 'Port of the admin listener.' },
  { key: 'SERVE_ADMIN_HOST', kind: 'string', default: '127.0.0.1', description: 'Interface of the admin listener: loopback only, so that the admin API is never public by accident.' },
  { key: 'SERVE_ADMIN_API_KEYS', kind: 'list', default: '', description: 'Comma list; when set, every admin request except `/health/*` needs `Authorization: Bearer <one of them>`.' },
  { key: 'SERVE_ADMIN_DOCS_ENABLED', kind: 'boolean', default: 'true', description: 'Serve Swagger UI for the admin API at `/docs` on the admin port. `/openapi.json` is served on both ports either way, and the repository holds the same documents in `openapi/`.' },
  { key: 'SERVE_PUBLIC_CORS_ENABLED', kind: 'boolean', default: 'false', description: 'Answer CORS on the public token, revocation and userinfo endpoints, for browser-based clients. The admin port never does.' },
  { key: 'SERVE_PUBLIC_CORS_ALLOWED_ORIGINS', kind: 'list', default: '', description: 'Origins allowed for every client; a client\'s own `allowed_cors_origins` are allowed for that client\'s requests.' },
  { key: 'SERVE_REQUEST_BODY_LIMIT', kind: 'integer', default: '524288', description: 'Largest request body in bytes on either port; larger bodies get 413.' },
  { key: 'SERVE_TRUST_PROXY', kind: 'trust-proxy', default: 'false', description: 'Which hops of `X-Forwarded-For` to believe for the client address (rate limits), as Express\'s `trust proxy`: `false`, a number of proxies in front (`1`), or a comma list of the proxies\' addresses and CIDRs (`10.0.0.0/8`, `loopback`, `uniquelocal`); `true` believes every hop, which a client can forge.' },
  { key: 'STRATEGIES_ACCESS_TOKEN', kind: 'string', default: 'opaque', description: '`opaque` or `jwt` (RFC 9068); a client\'s `access_token_strategy` overrides.' },
  { key: 'STRATEGIES_SCOPE', kind: 'string', default: 'wildcard', description: '`exact` or `wildcard` (`photos.*` allows `photos.read`), Hydra\'s default.' },
  { key: 'TTL_ACCESS_TOKEN', kind: 'duration', default: '1h', description: 'Access token lifespan; a client\'s lifespan fields override.' },
  { key: 'TTL_REFRESH_TOKEN', kind: 'duration', default: '720h', description: 'Refresh token lifespan.' },
  { key: 'TTL_ID_TOKEN', kind: 'duration', default: '1h', description: 'ID token lifespan.' },
  { key: 'TTL_AUTH_CODE', kind: 'duration', default: '10m', description: 'Authorization code lifespan.' },
  { key: 'TTL_LOGIN_CONSENT_REQUEST', kind: 'duration', default: '30m', description: 'How long a login, consent or logout challenge stays usable.' },
  { key: 'TTL_DEVICE_USER_CODE', kind: 'duration', default: '10m', description: 'How long a device code and its user code stay usable (RFC 8628 `expires_in`).' },
  { key: 'TTL_PERSONAL_ACCESS_TOKEN', kind: 'duration', default: '720h', description: 'Lifespan of a personal access token issued without an `expires_at`.' },
  { key: 'OAUTH2_PKCE_ENFORCED', kind: 'boolean', default: 'false', description: 'Require PKCE (S256) from every client.' },
  { key: 'OAUTH2_PKCE_ENFORCED_FOR_PUBLIC_CLIENTS', kind: 'boolean', default: 'true', description: 'Require PKCE (S256) from public clients, as OAuth 2.1 does.' },
  { key: 'OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD', kind: 'duration', default: '0s', description: 'Reuse of a rotated refresh token within this period is not treated as theft.' },
  { key: 'OAUTH2_GRANT_JWT_JTI_OPTIONAL', kind: 'boolean', default: 'false', description: 'The JWT bearer grant (RFC 7523) accepts an assertion without `jti` (then nothing stops its replay until it expires).' },
  { key: 'OAUTH2_GRANT_JWT_IAT_OPTIONAL', kind: 'boolean', default: 'false', description: 'The JWT bearer grant accepts an assertion without `iat`.' },
  { key: 'OAUTH2_GRANT_JWT_MAX_TTL', kind: 'duration', default: '720h', description: 'The longest a JWT bearer assertion may live: `exp` minus `iat` (or now, without `iat`).' },
  { key: 'OAUTH2_TOKEN_HOOK', kind: 'string', description: 'A URL the token endpoint POSTs every grant to before it issues tokens (Hydra\'s token hook), to add claims or refuse. Unset: no hook.' },
  { key: 'OAUTH2_TOKEN_HOOK_URL', kind: 'string', description: 'The token hook\'s URL, as Hydra\'s nested form names it (`oauth2.token_hook.url`), for use with an API key.' },
  { key: 'OAUTH2_TOKEN_HOOK_AUTH_TYPE', kind: 'string', description: '`api_key`: the token hook gets the key below.' },
  { key: 'OAUTH2_TOKEN_HOOK_AUTH_CONFIG_IN', kind: 'string', default: 'header', description: 'Where the token hook\'s API key goes: `header` or `cookie`.' },
  { key: 'OAUTH2_TOKEN_HOOK_AUTH_CONFIG_NAME', kind: 'string', description: 'The name of the token hook\'s API key header or cookie.' },
  { key: 'OAUTH2_TOKEN_HOOK_AUTH_CONFIG_VALUE', kind: 'string', description: 'The token hook\'s API key.' },
  { key: 'OAUTH2_TOKEN_HOOK_TIMEOUT', kind: 'duration', default: '5s', description: 'How long one call of the token hook may take; a token request that times out answers 500.' },
  { key: 'OAUTH2_TOKEN_HOOK_RETRIES', kind: 'integer', default: '2', description: 'How often a token hook call that failed with a 5xx or a connection error is tried again (at most 5).' },
  { key: 'OAUTH2_DEVICE_AUTHORIZATION_TOKEN_POLLING_INTERVAL', kind: 'duration', default: '5s', description: 'How often a device may poll the token endpoint (RFC 8628 `interval`); faster polls get `slow_down`.' },
  { key: 'OAUTH2_DEVICE_AUTHORIZATION_USER_CODE_ENTROPY_PRESET', kind: 'string', default: 'high', description: 'User codes: `high` (8 characters of a 49-letter alphabet without look-alikes), `medium` (8 upper-case letters) or `low` (9 digits).' },
  { key: 'OAUTH2_CLIENT_SECRET_ROTATION_KEEP', kind: 'integer', default: '5', description: 'How many previous client secrets keep working after a rotation.' },
  { key: 'OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED', kind: 'boolean', default: 'false', description: 'Serve RFC 7591/7592 registration at `/oauth2/register`.' },
  { key: 'OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT', kind: 'integer', default: '10', description: 'Registrations allowed per source (an IPv4 address, an IPv6 /64) and window, and as many updates again; 0 turns the limit off.' },
  { key: 'OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT_WINDOW', kind: 'duration', default: '1h', description: 'The window of the registration rate limit.' },
  { key: 'OIDC_DYNAMIC_CLIENT_REGISTRATION_DEFAULT_SCOPE', kind: 'list', default: 'openid,offline_access,offline', description: 'Scope given to a registering client that asks for none.' },
  { key: 'OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_SCOPE', kind: 'list', description: 'Scopes a registering client may ask for; anything else is `invalid_client_metadata`. Default: `OIDC_DYNAMIC_CLIENT_REGISTRATION_DEFAULT_SCOPE`.' },
  { key: 'OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_GRANT_TYPES', kind: 'list', default: 'authorization_code,refresh_token', description: 'Grant types a registering client may ask for (no `client_credentials` unless listed).' },
  { key: 'OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_AUDIENCE', kind: 'list', default: '', description: 'Audiences a registering client may ask for; none unless listed.' },
  { key: 'OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES', kind: 'list', default: 'public', description: 'Subject types clients may choose; add `pairwise` for pairwise subjects.' },
  { key: 'OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT', kind: 'string', default: '', description: 'Salt of pairwise subject identifiers; required (16+ characters) when `pairwise` is supported.' },
  { key: 'OAUTH2_CLIENT_AUTHENTICATION_FAILURE_LIMIT', kind: 'integer', default: '20', description: 'Failed client authentications one source address may make per window before it gets 429; a client may fail ten times as often from all sources together. 0 turns the limit off.' },
  { key: 'OAUTH2_CLIENT_AUTHENTICATION_FAILURE_WINDOW', kind: 'duration', default: '1m', description: 'The window of the client authentication failure limit.' },
  { key: 'CLIENTS_HTTP_DISALLOW_PRIVATE_IP_RANGES', kind: 'boolean', description: 'Refuse outbound calls (`jwks_uri`, `sector_identifier_uri`, back-channel logout) to loopback, private, link-local and other non-public addresses, checked on the address connected to. Default: on when dynamic registration is enabled, else off (as Hydra).' },
  { key: 'CLIENTS_HTTP_PRIVATE_IP_EXCEPTION_URLS', kind: 'list', default: '', description: 'URLs that outbound calls may reach even at a private address (exact URLs, or prefixes ending in `/`).' },
  { key: 'CLIENTS_HTTP_TIMEOUT', kind: 'duration', default: '5s', description: 'How long one outbound call may take in all, connecting included.' },
  { key: 'JANITOR_INTERVAL', kind: 'duration', default: '1h', description: '`serve` runs the janitor (what `hydrant janitor` does) this often, in its primary process; `0s` turns it off.' },
  { key: 'LOG_LEVEL', kind: 'string', default: 'info', description: '`trace`, `debug`, `info`, `warn`, `error` or `fatal`.' },
  { key: 'LOG_FORMAT', kind: 'string', default: 'json', description: '`json` (one object a line) or `text`.' },
  { key: 'LOG_LEAK_SENSITIVE_VALUES', kind: 'boolean', default: 'false', description: 'Add `error_debug` to error responses. Never on in production.' },
  { key: 'TRACING_PROVIDER', kind: 'string', description: '`otel` (or `otlp`) turns OpenTelemetry tracing on with an OTLP exporter, as Hydra\'s `tracing.provider`. Hydra\'s `jaeger`, `zipkin` and other providers are refused: Jaeger and the OpenTelemetry Collector take OTLP. Unset: off, unless `OTEL_TRACES_EXPORTER` is `otlp` or `console` (see "Tracing").' },
  { key: 'TRACING_SERVICE_NAME', kind: 'string', default: 'hydrant', description: 'The traces\' `service.name`; `OTEL_SERVICE_NAME` wins.' },
  { key: 'TRACING_DEPLOYMENT_ENVIRONMENT', kind: 'string', description: 'The traces\' `deployment.environment.name`; `OTEL_RESOURCE_ATTRIBUTES` wins.' },
  { key: 'TRACING_PROVIDERS_OTLP_SERVER_URL', kind: 'string', description: 'The collector, as `host:port` (Hydra\'s form; `/v1/traces` is added). `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT` wins. Neither set: `http://localhost:4318`.' },
  { key: 'TRACING_PROVIDERS_OTLP_INSECURE', kind: 'boolean', default: 'false', description: 'Send to the server URL above over plain http instead of https.' },
  { key: 'TRACING_PROVIDERS_OTLP_SAMPLING_SAMPLING_RATIO', kind: 'number', default: '1', description: 'Share of new traces recorded, from 0 to 1; a request that arrives with a `traceparent` follows its caller\'s decision (parent-based). `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG` win.' },
  { key: 'TRACING_PROVIDERS_OTLP_AUTHORIZATION_HEADER', kind: 'string', description: 'An `Authorization` header for the collector; `OTEL_EXPORTER_OTLP_HEADERS` or `OTEL_EXPORTER_OTLP_TRACES_HEADERS` wins.' },
] as const satisfies readonly ConfigKeyDefinition[];

export type ConfigKey = (typeof CONFIG_KEYS)[number]['key'];
