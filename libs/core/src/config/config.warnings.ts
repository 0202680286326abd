import { closest, distance } from 'fastest-levenshtein';
import { CONFIG_KEYS } from './config.keys';
import { readConfigFile } from './config.loader';

/** Environment variables that look like configuration: these are checked, the rest of the environment is not. */
const CONFIG_PREFIXES = ['SERVE_', 'URLS_', 'OAUTH2_', 'TTL_', 'SECRETS_', 'OIDC_', 'STRATEGIES_', 'LOG_', 'DB_', 'TRACING_'];

/**
 * Hydra's keys (and groups of keys) that Hydrant deliberately does not implement: named as such, and
 * ignored. TLS and sockets belong to the proxy in front; the admin port never answers CORS.
 */
const HYDRA_ONLY = [
  'SERVE_COOKIES_', 'SERVE_TLS_', 'SERVE_PUBLIC_TLS_', 'SERVE_ADMIN_TLS_', 'SERVE_PUBLIC_SOCKET_', 'SERVE_ADMIN_SOCKET_',
  'SERVE_PUBLIC_REQUEST_LOG_', 'SERVE_ADMIN_REQUEST_LOG_', 'SERVE_ADMIN_CORS_', 'SERVE_PUBLIC_CORS_ALLOWED_METHODS',
  'SERVE_PUBLIC_CORS_ALLOWED_HEADERS', 'SERVE_PUBLIC_CORS_EXPOSED_HEADERS', 'SERVE_PUBLIC_CORS_ALLOW_CREDENTIALS',
  'SERVE_PUBLIC_CORS_MAX_AGE', 'SERVE_PUBLIC_CORS_DEBUG', 'LOG_REDACTION_TEXT',
  'OAUTH2_EXPOSE_INTERNAL_ERRORS', 'OAUTH2_INCLUDE_LEGACY_ERROR_FIELDS', 'OAUTH2_HASHERS_', 'OAUTH2_SESSION_',
  'OAUTH2_ALLOWED_TOP_LEVEL_CLAIMS', 'OAUTH2_MIRROR_TOP_LEVEL_CLAIMS', 'OAUTH2_CLIENT_CREDENTIALS_', 'OAUTH2_REFRESH_TOKEN_HOOK',
  'URLS_SELF_PUBLIC', 'URLS_SELF_ADMIN', 'URLS_IDENTITY_PROVIDER_', 'URLS_REGISTRATION', 'STRATEGIES_JWT_', 'SECRETS_PAGINATION',
  'WEBFINGER_', 'TRACING_PROVIDERS_JAEGER_', 'TRACING_PROVIDERS_ZIPKIN_', 'SQA_', 'CGROUPS_', 'FEATURE_FLAGS_', 'HSM_', 'PROFILING', 'DEV', 'VERSION',
];

const KNOWN = new Set<string>(CONFIG_KEYS.map((k) => k.key));

/**
 * What is wrong with the configuration's keys, though not with their values: each unknown
 * configuration-looking environment variable, and each unknown key of the `--config` file, named in one
 * line, with the known key it is closest to when one is close ("did you mean"), or as one of Hydra's keys
 * Hydrant does not implement. Values are never shown. Loading does not fail on any of these.
 */
export function configWarnings(options: { env?: NodeJS.ProcessEnv; file?: string } = {}): string[] {
  const env = options.env ?? process.env;
  const fromEnv = Object.keys(env).filter((key) => CONFIG_PREFIXES.some((p) => key.startsWith(p)) && !KNOWN.has(key));
  const fromFile = options.file ? Object.keys(readConfigFile(options.file)).filter((key) => !KNOWN.has(key)) : [];
  return [
    ...fromEnv.sort().map((key) => describe(key, 'environment variable')),
    ...fromFile.sort().map((key) => describe(key, `key of ${options.file}`)),
  ];
}

function describe(key: string, where: string): string {
  if (HYDRA_ONLY.some((hydra) => key === hydra || (hydra.endsWith('_') && key.startsWith(hydra)))) {
    return `${where} ${key} is one of Hydra's settings that Hydrant does not implement; it is ignored`;
  }
  const near = nearestKnown(key);
  return `unknown ${where} ${key} is ignored${near ? `; did you mean ${near}?` : ''}`;
}

/** The known key closest to `key` (fastest-levenshtein), if it is within a few edits: a typo, a dropped letter. */
function nearestKnown(key: string): string | undefined {
  const candidate = closest(key, [...KNOWN]);
  return distance(key, candidate) <= Math.max(2, Math.floor(key.length / 8)) ? candidate : undefined;
}
