import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { CONFIG_KEYS } from './config.keys';
import { ConfigError, flattenConfigFile, loadConfig, propertyOf } from './config.loader';
import { HydrantConfig } from './hydrant.config';

const SECRET_A = 'system-secret-aaaaaaaaaaaa';
const SECRET_B = 'system-secret-bbbbbbbbbbbb';

/** Runs `fn`, expecting a ConfigError, and returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, but the configuration loaded');
}

describe('loadConfig', () => {
  let dir: string;
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hydrant-config-spec-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('defaults', () => {
    /** What each documented default becomes once parsed: durations in ms, lists split on commas. */
    const EXPECTED: Record<string, unknown> = {
      DSN: 'sqlite://./data/hydrant.sqlite',
      DB_MIGRATE_ON_START: true,
      DB_BUSY_TIMEOUT: 5_000,
      DB_POOL_SIZE: 10,
      URLS_SELF_ISSUER: 'http://127.0.0.1:4444/',
      URLS_LOGIN: 'http://127.0.0.1:3000/login',
      URLS_CONSENT: 'http://127.0.0.1:3000/consent',
      URLS_LOGOUT: 'http://127.0.0.1:3000/logout',
      URLS_ERROR: 'http://127.0.0.1:3000/error',
      URLS_POST_LOGOUT_REDIRECT: 'http://127.0.0.1:3000/logged-out',
      URLS_DEVICE_VERIFICATION: 'http://127.0.0.1:3000/device',
      URLS_DEVICE_SUCCESS: 'http://127.0.0.1:3000/device/success',
      SECRETS_SYSTEM: [],
      SECRETS_COOKIE: [],
      SERVE_PUBLIC_PORT: 4444,
      SERVE_PUBLIC_HOST: '0.0.0.0',
      SERVE_ADMIN_PORT: 4445,
      SERVE_ADMIN_HOST: '127.0.0.1',
      SERVE_ADMIN_API_KEYS: [],
      SERVE_ADMIN_DOCS_ENABLED: true,
      SERVE_REQUEST_BODY_LIMIT: 524_288,
      SERVE_TRUST_PROXY: false,
      SERVE_PUBLIC_CORS_ENABLED: false,
      SERVE_PUBLIC_CORS_ALLOWED_ORIGINS: [],
      STRATEGIES_ACCESS_TOKEN: 'opaque',
      STRATEGIES_SCOPE: 'wildcard',
      TTL_ACCESS_TOKEN: 3_600_000,
      TTL_REFRESH_TOKEN: 720 * 3_600_000,
      TTL_ID_TOKEN: 3_600_000,
      TTL_AUTH_CODE: 600_000,
      TTL_LOGIN_CONSENT_REQUEST: 1_800_000,
      TTL_DEVICE_USER_CODE: 600_000,
      TTL_PERSONAL_ACCESS_TOKEN: 720 * 3_600_000,
      OAUTH2_PKCE_ENFORCED: false,
      OAUTH2_PKCE_ENFORCED_FOR_PUBLIC_CLIENTS: true,
      OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD: 0,
      OAUTH2_CLIENT_SECRET_ROTATION_KEEP: 5,
      OAUTH2_GRANT_JWT_JTI_OPTIONAL: false,
      OAUTH2_GRANT_JWT_IAT_OPTIONAL: false,
      OAUTH2_GRANT_JWT_MAX_TTL: 720 * 3_600_000,
      OAUTH2_TOKEN_HOOK: undefined,
      OAUTH2_TOKEN_HOOK_URL: undefined,
      OAUTH2_TOKEN_HOOK_AUTH_TYPE: undefined,
      OAUTH2_TOKEN_HOOK_AUTH_CONFIG_IN: 'header',
      OAUTH2_TOKEN_HOOK_AUTH_CONFIG_NAME: undefined,
      OAUTH2_TOKEN_HOOK_AUTH_CONFIG_VALUE: undefined,
      OAUTH2_TOKEN_HOOK_TIMEOUT: 5000,
      OAUTH2_TOKEN_HOOK_RETRIES: 2,
      OAUTH2_DEVICE_AUTHORIZATION_TOKEN_POLLING_INTERVAL: 5000,
      OAUTH2_DEVICE_AUTHORIZATION_USER_CODE_ENTROPY_PRESET: 'high',
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: false,
      OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT: 10,
      OIDC_DYNAMIC_CLIENT_REGISTRATION_RATE_LIMIT_WINDOW: 3_600_000,
      OIDC_DYNAMIC_CLIENT_REGISTRATION_DEFAULT_SCOPE: ['openid', 'offline_access', 'offline'],
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_SCOPE: ['openid', 'offline_access', 'offline'],
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_GRANT_TYPES: ['authorization_code', 'refresh_token'],
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_AUDIENCE: [],
      OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: ['public'],
      OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: '',
      OAUTH2_CLIENT_AUTHENTICATION_FAILURE_LIMIT: 20,
      OAUTH2_CLIENT_AUTHENTICATION_FAILURE_WINDOW: 60_000,
      CLIENTS_HTTP_DISALLOW_PRIVATE_IP_RANGES: false,
      CLIENTS_HTTP_PRIVATE_IP_EXCEPTION_URLS: [],
      CLIENTS_HTTP_TIMEOUT: 5_000,
      JANITOR_INTERVAL: 3_600_000,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      LOG_LEAK_SENSITIVE_VALUES: false,
      TRACING_PROVIDER: undefined,
      TRACING_SERVICE_NAME: 'hydrant',
      TRACING_DEPLOYMENT_ENVIRONMENT: undefined,
      TRACING_PROVIDERS_OTLP_SERVER_URL: undefined,
      TRACING_PROVIDERS_OTLP_INSECURE: false,
      TRACING_PROVIDERS_OTLP_SAMPLING_SAMPLING_RATIO: 1,
      TRACING_PROVIDERS_OTLP_AUTHORIZATION_HEADER: undefined,
    };

    it('has an expectation for every configuration key (and none for unknown keys)', () => {
      expect(Object.keys(EXPECTED).sort()).toEqual(CONFIG_KEYS.map((d) => d.key).sort());
    });

    it.each(CONFIG_KEYS.map((d) => d.key))('applies the default of %s', (key) => {
      const config = loadConfig({ env: {} });
      expect(config[propertyOf(key)]).toEqual(EXPECTED[key]);
    });

    it('does not read process.env when an env is given', () => {
      const saved = process.env.SERVE_PUBLIC_PORT;
      process.env.SERVE_PUBLIC_PORT = '5555';
      try {
        expect(loadConfig({ env: {} }).servePublicPort).toBe(4444);
        expect(loadConfig().servePublicPort).toBe(5555);
      } finally {
        if (saved === undefined) delete process.env.SERVE_PUBLIC_PORT;
        else process.env.SERVE_PUBLIC_PORT = saved;
      }
    });

    it('is not in dev mode unless asked', () => {
      expect(loadConfig({ env: {} }).dev).toBe(false);
      expect(loadConfig({ env: {}, dev: true }).dev).toBe(true);
    });

    it('returns a HydrantConfig', () => {
      expect(loadConfig({ env: {} })).toBeInstanceOf(HydrantConfig);
    });
  });

  describe('parsing values from the environment', () => {
    it('parses integers, booleans, durations and lists', () => {
      const config = loadConfig({
        env: {
          SERVE_PUBLIC_PORT: '8080',
          SERVE_TRUST_PROXY: 'TRUE',
          OAUTH2_PKCE_ENFORCED: '1',
          OAUTH2_PKCE_ENFORCED_FOR_PUBLIC_CLIENTS: '0',
          TTL_ACCESS_TOKEN: '1h30m',
          TTL_AUTH_CODE: '90s',
          SECRETS_SYSTEM: ` ${SECRET_A} ,${SECRET_B},, `,
          OIDC_DYNAMIC_CLIENT_REGISTRATION_DEFAULT_SCOPE: 'openid,email',
        },
      });
      expect(config.servePublicPort).toBe(8080);
      expect(config.serveTrustProxy).toBe(true);
      expect(config.oauth2PkceEnforced).toBe(true);
      expect(config.oauth2PkceEnforcedForPublicClients).toBe(false);
      expect(config.ttlAccessToken).toBe(5_400_000);
      expect(config.ttlAuthCode).toBe(90_000);
      expect(config.secretsSystem).toEqual([SECRET_A, SECRET_B]);
      expect(config.oidcDynamicClientRegistrationDefaultScope).toEqual(['openid', 'email']);
    });

    it('reads SERVE_TRUST_PROXY as Express takes it: a boolean, a hop count, or proxies\' addresses and CIDRs, also from a YAML list', () => {
      expect(loadConfig({ env: { SERVE_TRUST_PROXY: '2' } }).serveTrustProxy).toBe(2);
      expect(loadConfig({ env: { SERVE_TRUST_PROXY: '10.0.0.0/8,loopback' } }).serveTrustProxy).toEqual(['10.0.0.0/8', 'loopback']);
      const yaml = file('trust-proxy.yaml', 'serve:\n  trust_proxy: [10.1.2.3, "fd00::/8"]\n');
      expect(loadConfig({ env: {}, file: yaml }).serveTrustProxy).toEqual(['10.1.2.3', 'fd00::/8']);
      expect(configError(() => loadConfig({ env: { SERVE_TRUST_PROXY: '10.0.0.0/40' } })).problems).toEqual([
        expect.stringMatching(/^SERVE_TRUST_PROXY: "10\.0\.0\.0\/40" is not true, false, a number of hops/),
      ]);
    });

    it('defaults SECRETS_COOKIE to SECRETS_SYSTEM', () => {
      const config = loadConfig({ env: { SECRETS_SYSTEM: `${SECRET_A},${SECRET_B}` } });
      expect(config.secretsCookie).toEqual([SECRET_A, SECRET_B]);
    });

    it('refuses private addresses for outbound calls by default once registration is open, unless told otherwise', () => {
      expect(loadConfig({ env: { OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true' } }).clientsHttpDisallowPrivateIpRanges).toBe(true);
      expect(loadConfig({ env: { OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true', CLIENTS_HTTP_DISALLOW_PRIVATE_IP_RANGES: 'false' } }).clientsHttpDisallowPrivateIpRanges).toBe(false);
      expect(loadConfig({ env: { CLIENTS_HTTP_DISALLOW_PRIVATE_IP_RANGES: 'true' } }).clientsHttpDisallowPrivateIpRanges).toBe(true);
    });

    it('lets registering clients ask for the default registration scope unless the allowed scope is set', () => {
      expect(loadConfig({ env: { OIDC_DYNAMIC_CLIENT_REGISTRATION_DEFAULT_SCOPE: 'openid,email' } }).oidcDynamicClientRegistrationAllowedScope).toEqual(['openid', 'email']);
      expect(loadConfig({ env: { OIDC_DYNAMIC_CLIENT_REGISTRATION_ALLOWED_SCOPE: 'openid,profile' } }).oidcDynamicClientRegistrationAllowedScope).toEqual(['openid', 'profile']);
    });

    it('keeps an explicit SECRETS_COOKIE apart from SECRETS_SYSTEM', () => {
      const cookie = 'cookie-secret-cccccccccccc';
      const config = loadConfig({ env: { SECRETS_SYSTEM: SECRET_A, SECRETS_COOKIE: cookie } });
      expect(config.secretsSystem).toEqual([SECRET_A]);
      expect(config.secretsCookie).toEqual([cookie]);
    });

    it('accepts pairwise subjects with a salt of 16 characters or more', () => {
      const config = loadConfig({
        env: { OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public,pairwise', OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: 'a-salt-of-16-chr' },
      });
      expect(config.oidcSubjectIdentifiersSupportedTypes).toEqual(['public', 'pairwise']);
      expect(config.oidcSubjectIdentifiersPairwiseSalt).toBe('a-salt-of-16-chr');
    });
  });

  describe('precedence', () => {
    it('takes the environment over the file, and the file over the default', () => {
      const path = file(
        'precedence.yaml',
        ['serve:', '  public:', '    port: 5000', '  admin:', '    port: 5001', 'log:', '  level: debug', ''].join('\n'),
      );
      const config = loadConfig({ file: path, env: { SERVE_PUBLIC_PORT: '6000' } });
      expect(config.servePublicPort).toBe(6000); // env beats file
      expect(config.serveAdminPort).toBe(5001); // file beats default
      expect(config.logLevel).toBe('debug'); // file beats default
      expect(config.logFormat).toBe('json'); // default
    });

    it('validates a value from the environment even when the file holds a good one', () => {
      const path = file('good-port.yaml', 'serve:\n  public:\n    port: 5000\n');
      const error = configError(() => loadConfig({ file: path, env: { SERVE_PUBLIC_PORT: 'x' } }));
      expect(error.message).toMatch(/SERVE_PUBLIC_PORT: "x" is not a whole number/);
    });
  });

  describe('configuration files', () => {
    it('reads Hydra\'s token hook in both of its nested forms: a URL, or a URL with an API key', () => {
      const plain = loadConfig({ file: file('hook.yaml', 'oauth2:\n  token_hook: http://hooks.internal/token\n'), env: {} });
      expect(plain.oauth2TokenHook).toBe('http://hooks.internal/token');
      const keyed = loadConfig({
        file: file('hook-key.yaml', ['oauth2:', '  token_hook:', '    url: http://hooks.internal/token', '    auth:', '      type: api_key',
          '      config:', '        in: cookie', '        name: hook-key', '        value: s3cret', ''].join('\n')),
        env: {},
      });
      expect([keyed.oauth2TokenHookUrl, keyed.oauth2TokenHookAuthType, keyed.oauth2TokenHookAuthConfigIn, keyed.oauth2TokenHookAuthConfigName, keyed.oauth2TokenHookAuthConfigValue])
        .toEqual(['http://hooks.internal/token', 'api_key', 'cookie', 'hook-key', 's3cret']);
      expect(configError(() => loadConfig({ env: { OAUTH2_TOKEN_HOOK_URL: 'http://h/', OAUTH2_TOKEN_HOOK_AUTH_TYPE: 'api_key' } })).message).toMatch(/OAUTH2_TOKEN_HOOK_AUTH_CONFIG_NAME/);
    });

    it('reads nested YAML keys, lists and scalars', () => {
      const path = file(
        'hydrant.yaml',
        [
          'dsn: memory',
          'urls:',
          '  self:',
          '    issuer: https://auth.example.com/',
          '  login: https://app.example.com/login',
          'secrets:',
          '  system:',
          `    - ${SECRET_A}`,
          `    - ${SECRET_B}`,
          'oauth2:',
          '  pkce:',
          '    enforced: true',
          'ttl:',
          '  access_token: 2h',
          'oidc:',
          '  subject_identifiers:',
          '    supported_types: [public, pairwise]',
          '    pairwise:',
          '      salt: a-salt-that-is-long-enough',
          '',
        ].join('\n'),
      );
      const config = loadConfig({ file: path, env: {} });
      expect(config.dsn).toBe('memory');
      expect(config.urlsSelfIssuer).toBe('https://auth.example.com/');
      expect(config.urlsLogin).toBe('https://app.example.com/login');
      expect(config.secretsSystem).toEqual([SECRET_A, SECRET_B]);
      expect(config.secretsCookie).toEqual([SECRET_A, SECRET_B]);
      expect(config.oauth2PkceEnforced).toBe(true);
      expect(config.ttlAccessToken).toBe(7_200_000);
      expect(config.oidcSubjectIdentifiersSupportedTypes).toEqual(['public', 'pairwise']);
      expect(config.oidcSubjectIdentifiersPairwiseSalt).toBe('a-salt-that-is-long-enough');
    });

    it('reads JSON files', () => {
      const path = file(
        'hydrant.json',
        JSON.stringify({
          serve: { public: { port: 9000 }, admin: { api_keys: ['admin-key-0123456789', 'admin-key-9876543210'] } },
          strategies: { access_token: 'jwt', scope: 'exact' },
          log: { format: 'text', leak_sensitive_values: true },
        }),
      );
      const config = loadConfig({ file: path, env: {} });
      expect(config.servePublicPort).toBe(9000);
      expect(config.serveAdminApiKeys).toEqual(['admin-key-0123456789', 'admin-key-9876543210']);
      expect(config.strategiesAccessToken).toBe('jwt');
      expect(config.strategiesScope).toBe('exact');
      expect(config.logFormat).toBe('text');
      expect(config.logLeakSensitiveValues).toBe(true);
    });

    it('validates values read from the file and names the key', () => {
      const path = file('bad.yaml', 'serve:\n  admin:\n    port: 70000\n');
      const error = configError(() => loadConfig({ file: path, env: {} }));
      expect(error.message).toMatch(/SERVE_ADMIN_PORT: .*65535/);
    });

    it('takes an empty file for no settings', () => {
      const path = file('empty.yaml', '');
      expect(loadConfig({ file: path, env: {} }).servePublicPort).toBe(4444);
    });

    it('reports an unreadable file with its path', () => {
      const path = join(dir, 'does-not-exist.yaml');
      const error = configError(() => loadConfig({ file: path, env: {} }));
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/cannot read/);
    });

    it('reports a file that is neither YAML nor JSON with its path', () => {
      const path = file('broken.yaml', 'serve: [unclosed\n  public: {');
      const error = configError(() => loadConfig({ file: path, env: {} }));
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/neither YAML nor JSON/);
    });
  });

  describe('bad values', () => {
    it.each<[string, Record<string, string>, RegExp]>([
      ['a non-integer port', { SERVE_PUBLIC_PORT: '44a4' }, /SERVE_PUBLIC_PORT: "44a4" is not a whole number/],
      ['a fractional port', { SERVE_ADMIN_PORT: '4445.5' }, /SERVE_ADMIN_PORT: "4445.5" is not a whole number/],
      ['port 70000', { SERVE_PUBLIC_PORT: '70000' }, /SERVE_PUBLIC_PORT: must not be greater than 65535/],
      ['a negative port', { SERVE_ADMIN_PORT: '-1' }, /SERVE_ADMIN_PORT: must not be less than 0/],
      ['a bad boolean', { OAUTH2_PKCE_ENFORCED: 'yes' }, /OAUTH2_PKCE_ENFORCED: "yes" is not true or false/],
      ['a bad duration', { TTL_ACCESS_TOKEN: '1d' }, /TTL_ACCESS_TOKEN: "1d" is not a duration/],
      ['a duration too short', { TTL_ID_TOKEN: '10ms' }, /TTL_ID_TOKEN: must not be less than 1000/],
      ['STRATEGIES_SCOPE=regex', { STRATEGIES_SCOPE: 'regex' }, /STRATEGIES_SCOPE: must be one of the following values: exact, wildcard/],
      ['an unknown access token strategy', { STRATEGIES_ACCESS_TOKEN: 'jwe' }, /STRATEGIES_ACCESS_TOKEN: must be one of the following values: opaque, jwt/],
      ['a short SECRETS_SYSTEM entry', { SECRETS_SYSTEM: `${SECRET_A},short` }, /SECRETS_SYSTEM: each secret must be at least 16 characters long/],
      ['a short SECRETS_COOKIE entry', { SECRETS_COOKIE: 'short' }, /SECRETS_COOKIE: each secret must be at least 16 characters long/],
      ['a short admin API key', { SERVE_ADMIN_API_KEYS: 'short' }, /SERVE_ADMIN_API_KEYS: each admin API key must be at least 16 characters long/],
      ['a bad DSN', { DSN: 'mysql://root@localhost/hydra' }, /DSN: must be "memory", "sqlite:\/\/PATH" or "postgres:\/\//],
      ['a non-URL issuer', { URLS_SELF_ISSUER: 'auth.example.com' }, /URLS_SELF_ISSUER: must be a URL address/],
      ['a non-http issuer', { URLS_SELF_ISSUER: 'ftp://auth.example.com/' }, /URLS_SELF_ISSUER: must be a URL address/],
      ['a non-URL login page', { URLS_LOGIN: '/login' }, /URLS_LOGIN: must be a URL address/],
      ['an issuer with a query', { URLS_SELF_ISSUER: 'https://auth.example.com/?tenant=1' }, /URLS_SELF_ISSUER: must not have a query or a fragment/],
      ['an unknown log level', { LOG_LEVEL: 'verbose' }, /LOG_LEVEL: must be one of the following values/],
      ['an unknown subject type', { OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public,secret' }, /OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: each value in/],
      ['no subject type at all', { OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: ',' }, /OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: should not be empty/],
      ['pool size 1', { DB_POOL_SIZE: '1' }, /DB_POOL_SIZE: must not be less than 2/],
    ])('refuses %s, naming the key and the reason', (_, env, message) => {
      const error = configError(() => loadConfig({ env }));
      expect(error.name).toBe('ConfigError');
      expect(error.message).toMatch(/^invalid configuration:/);
      expect(error.message).toMatch(message);
      expect(error.problems).toHaveLength(1);
    });

    it('refuses pairwise subjects without a salt', () => {
      const error = configError(() => loadConfig({ env: { OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public,pairwise' } }));
      expect(error.problems).toEqual([expect.stringMatching(/^OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: must be at least 16 characters/)]);
    });

    it('refuses pairwise subjects with a short salt', () => {
      const error = configError(() =>
        loadConfig({ env: { OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'pairwise', OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: '15-characters!!' } }),
      );
      expect(error.message).toMatch(/OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT/);
    });

    it('reports a short SECRETS_SYSTEM entry once, against SECRETS_SYSTEM (not the SECRETS_COOKIE it defaults)', () => {
      const error = configError(() => loadConfig({ env: { SECRETS_SYSTEM: 'short' } }));
      expect(error.problems).toEqual(['SECRETS_SYSTEM: each secret must be at least 16 characters long']);
    });

    it('checks the pairwise salt even when other keys are bad', () => {
      const error = configError(() =>
        loadConfig({ env: { OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'pairwise', SERVE_PUBLIC_PORT: 'abc' } }),
      );
      expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT', 'SERVE_PUBLIC_PORT']);
    });

    it('reports several parse problems at once', () => {
      const error = configError(() =>
        loadConfig({ env: { SERVE_PUBLIC_PORT: 'abc', SERVE_TRUST_PROXY: 'maybe', TTL_AUTH_CODE: 'soon' } }),
      );
      expect(error.problems).toHaveLength(3);
      expect(error.message).toMatch(/SERVE_PUBLIC_PORT/);
      expect(error.message).toMatch(/SERVE_TRUST_PROXY/);
      expect(error.message).toMatch(/TTL_AUTH_CODE/);
    });

    it('reports several validation problems at once', () => {
      const error = configError(() =>
        loadConfig({ env: { STRATEGIES_SCOPE: 'regex', DSN: 'oracle://db', SERVE_ADMIN_PORT: '70000' } }),
      );
      expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['DSN', 'SERVE_ADMIN_PORT', 'STRATEGIES_SCOPE']);
    });

    it('reports parse and validation problems together, and nothing about keys that are fine', () => {
      const error = configError(() =>
        loadConfig({ env: { SERVE_PUBLIC_PORT: 'abc', DSN: 'oracle://db', URLS_SELF_ISSUER: 'http://auth.example.com/' } }),
      );
      expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['DSN', 'SERVE_PUBLIC_PORT', 'URLS_SELF_ISSUER']);
    });
  });

  describe('the issuer', () => {
    it('is checked even when other keys are bad', () => {
      const error = configError(() => loadConfig({ env: { URLS_SELF_ISSUER: 'http://auth.example.com/', LOG_LEVEL: 'loud' } }));
      expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'URLS_SELF_ISSUER']);
    });

    it('refuses plain http on a public host without --dev', () => {
      const error = configError(() => loadConfig({ env: { URLS_SELF_ISSUER: 'http://auth.example.com/' } }));
      expect(error.problems).toEqual(['URLS_SELF_ISSUER: must use https unless --dev is given or the host is a loopback address']);
    });

    it('allows plain http on a public host with --dev', () => {
      const config = loadConfig({ env: { URLS_SELF_ISSUER: 'http://auth.example.com/' }, dev: true });
      expect(config.urlsSelfIssuer).toBe('http://auth.example.com/');
      expect(config.dev).toBe(true);
    });

    it.each(['http://127.0.0.1:4444/', 'http://127.1.2.3/', 'http://localhost:4444', 'http://[::1]:4444/'])(
      'allows plain http on the loopback address %s',
      (issuer) => expect(loadConfig({ env: { URLS_SELF_ISSUER: issuer } }).urlsSelfIssuer).toBe(issuer),
    );

    it('does not take a public host that merely starts with 127 for loopback', () => {
      expect(() => loadConfig({ env: { URLS_SELF_ISSUER: 'http://127.0.0.1.example.com/' } })).toThrow(/must use https/);
    });

    it('allows https anywhere', () => {
      expect(loadConfig({ env: { URLS_SELF_ISSUER: 'https://auth.example.com/tenant' } }).urlsSelfIssuer).toBe('https://auth.example.com/tenant');
    });
  });
});

describe('flattenConfigFile', () => {
  it('joins nested names with underscores in upper case', () => {
    expect(flattenConfigFile({ urls: { self: { issuer: 'https://a.example/' } }, dsn: 'memory' })).toEqual({
      URLS_SELF_ISSUER: 'https://a.example/',
      DSN: 'memory',
    });
  });

  it('turns arrays into comma lists and scalars into strings', () => {
    expect(flattenConfigFile({ secrets: { system: ['a', 'b'] }, serve: { public: { port: 4444 } }, flag: false })).toEqual({
      SECRETS_SYSTEM: 'a,b',
      SERVE_PUBLIC_PORT: '4444',
      FLAG: 'false',
    });
  });

  it('maps dots and dashes in names to underscores', () => {
    expect(flattenConfigFile({ 'urls.self.issuer': 'x', 'log-level': 'debug' })).toEqual({ URLS_SELF_ISSUER: 'x', LOG_LEVEL: 'debug' });
  });

  it('skips null values', () => {
    expect(flattenConfigFile({ dsn: null, log: { level: null, format: 'text' } })).toEqual({ LOG_FORMAT: 'text' });
  });

  it.each([null, undefined, 'text', 42, ['a']])('returns nothing for a non-object document (%p)', (tree) => {
    expect(flattenConfigFile(tree)).toEqual({});
  });
});

describe('propertyOf', () => {
  it.each([
    ['DSN', 'dsn'],
    ['URLS_SELF_ISSUER', 'urlsSelfIssuer'],
    ['OAUTH2_PKCE_ENFORCED_FOR_PUBLIC_CLIENTS', 'oauth2PkceEnforcedForPublicClients'],
    ['SECRETS_SYSTEM', 'secretsSystem'],
  ])('maps %s to %s', (key, property) => expect(propertyOf(key)).toBe(property));

  it('maps every configuration key to a validated property of HydrantConfig', () => {
    const validated = new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(HydrantConfig, '', true, false)
        .map((m) => m.propertyName),
    );
    const unvalidated = CONFIG_KEYS.map((d) => propertyOf(d.key)).filter((p) => !validated.has(p));
    expect(unvalidated).toEqual([]);
  });
});
