import { OAuth2Error } from '../errors';
import { validateClientMetadata, withDefaults } from './client-metadata.validator';
import { ClientMetadata, defaultMetadata, LIFESPAN_FIELDS } from './client.metadata';

type Input = Partial<Record<keyof ClientMetadata, unknown>>;

const PUBLIC_ONLY = { subjectTypes: ['public'], dev: false };
const RSA_PUBLIC_JWK = { kty: 'RSA', n: 'sXchDaQebHnPiGvyDOAT4saGEUetSyo9MKLOoWFsueri23bOdgWp4Dy1WlUzewbgBHod5pcM9H95GQRV3JDXboIRROSBigeC5yjU1hGzHHyXss8UDprecbAYxknTcQkhslANGRUZmdTOQ5qTRsLAt6BTYuyvVRdhS8exSZEy_c4gs_7svlJJQ4H9_NxsiIoLwAEk7-Q3UXERGYw_75IDrGA84-lA_-Ct4eTlXHBIY2EaV7t7LjJaynVJCpkv4LKjTTAumiGUIuQhrNhZLuF_RJLqHpM2kgWFLU7-VTdL1VbC2tejvcI2BlMkEpk1BzBZI0KQB0GaDWFLN-aEAw3vRw', e: 'AQAB' };

/** Defaults applied, then validated; returns the metadata when valid. */
function validate(input: Input, rules = PUBLIC_ONLY): ClientMetadata {
  const metadata = withDefaults(input);
  validateClientMetadata(metadata, rules);
  return metadata;
}

/** The OAuth2Error that validating `input` throws. */
function rejection(input: Input, rules = PUBLIC_ONLY): OAuth2Error {
  try {
    validate(input, rules);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuth2Error);
    return e as OAuth2Error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('withDefaults', () => {
  it('gives an empty client Hydra\'s defaults', () => {
    const m = withDefaults({});
    expect(m).toEqual({ ...defaultMetadata(), response_types: ['code'] });
    expect(m.grant_types).toEqual(['authorization_code']);
    expect(m.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(m.scope).toBe('offline_access offline openid');
    expect(m.subject_type).toBe('public');
    expect(m.userinfo_signed_response_alg).toBe('none');
    expect(m.jwks).toBeNull();
    for (const field of LIFESPAN_FIELDS) expect(m[field]).toBeNull();
  });

  it('takes null for "the default"', () => {
    const m = withDefaults({ grant_types: null, scope: null, redirect_uris: null, jwks: null, token_endpoint_auth_method: null });
    expect(m.grant_types).toEqual(['authorization_code']);
    expect(m.scope).toBe('offline_access offline openid');
    expect(m.redirect_uris).toEqual([]);
    expect(m.token_endpoint_auth_method).toBe('client_secret_basic');
  });

  it('keeps the values given', () => {
    const m = withDefaults({ client_name: 'app', redirect_uris: ['https://app.example/cb'], skip_consent: true, metadata: { a: 1 } });
    expect(m.client_name).toBe('app');
    expect(m.redirect_uris).toEqual(['https://app.example/cb']);
    expect(m.skip_consent).toBe(true);
    expect(m.metadata).toEqual({ a: 1 });
  });

  it('drops fields that are not client metadata', () => {
    const m = withDefaults({ client_id: 'x', client_secret: 'y', surprise: true } as unknown as Input) as unknown as Record<string, unknown>;
    expect(m).not.toHaveProperty('client_id');
    expect(m).not.toHaveProperty('client_secret');
    expect(m).not.toHaveProperty('surprise');
  });

  it('defaults response_types to ["code"] when the client may use authorization_code', () => {
    expect(withDefaults({ grant_types: ['authorization_code', 'refresh_token'] }).response_types).toEqual(['code']);
  });

  it('defaults response_types to none when the client may not use authorization_code', () => {
    expect(withDefaults({ grant_types: ['client_credentials'] }).response_types).toEqual([]);
    expect(withDefaults({ grant_types: ['client_credentials'], response_types: null }).response_types).toEqual([]);
  });

  it('keeps response_types that were given', () => {
    expect(withDefaults({ grant_types: ['implicit'], response_types: ['id_token'] }).response_types).toEqual(['id_token']);
  });

  it('defaults the signing algorithm of private_key_jwt to RS256', () => {
    expect(withDefaults({ token_endpoint_auth_method: 'private_key_jwt' }).token_endpoint_auth_signing_alg).toBe('RS256');
    expect(withDefaults({ token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: '' }).token_endpoint_auth_signing_alg).toBe('RS256');
  });

  it('keeps the signing algorithm given for private_key_jwt', () => {
    expect(withDefaults({ token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256' }).token_endpoint_auth_signing_alg).toBe('ES256');
  });

  it('sets no signing algorithm for other authentication methods', () => {
    expect(withDefaults({ token_endpoint_auth_method: 'client_secret_post' }).token_endpoint_auth_signing_alg).toBe('');
  });

  it('normalises the whitespace of scope', () => {
    expect(withDefaults({ scope: '  openid \t profile\n\nemail  ' }).scope).toBe('openid profile email');
    expect(withDefaults({ scope: '   ' }).scope).toBe('');
  });

  it('takes jwks {} for no key set', () => {
    expect(withDefaults({ jwks: {} }).jwks).toBeNull();
  });

  it('keeps a JWKS with keys', () => {
    expect(withDefaults({ jwks: { keys: [RSA_PUBLIC_JWK] } }).jwks).toEqual({ keys: [RSA_PUBLIC_JWK] });
  });

  it('does not share default arrays between clients', () => {
    const first = withDefaults({});
    first.redirect_uris.push('https://evil.example/cb');
    first.grant_types.push('implicit');
    const second = withDefaults({});
    expect(second.redirect_uris).toEqual([]);
    expect(second.grant_types).toEqual(['authorization_code']);
  });

  it('does not modify its input', () => {
    const input: Input = { scope: ' a  b ', jwks: {}, token_endpoint_auth_method: 'private_key_jwt' };
    withDefaults(input);
    expect(input).toEqual({ scope: ' a  b ', jwks: {}, token_endpoint_auth_method: 'private_key_jwt' });
  });
});

describe('validateClientMetadata', () => {
  describe('valid clients', () => {
    it('accepts the defaults', () => {
      expect(() => validate({})).not.toThrow();
    });

    it('accepts a typical web client', () => {
      expect(() =>
        validate({
          client_name: 'Web app',
          redirect_uris: ['https://app.example.com/callback', 'http://localhost:3000/callback'],
          post_logout_redirect_uris: ['https://app.example.com/'],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          scope: 'openid offline_access photos.read',
          audience: ['https://api.example.com'],
          allowed_cors_origins: ['https://app.example.com', 'http://localhost:3000/'],
          client_uri: 'https://app.example.com/',
          logo_uri: 'http://cdn.example.com/logo.png',
          frontchannel_logout_uri: 'https://app.example.com/logout',
          backchannel_logout_uri: 'https://app.example.com/bc-logout',
          access_token_strategy: 'jwt',
          userinfo_signed_response_alg: 'RS256',
          request_object_signing_alg: 'none',
          request_uris: ['https://app.example.com/request.jwt'],
        }),
      ).not.toThrow();
    });

    it.each([['code id_token'], ['code token'], ['code id_token token'], ['id_token code'], ['token id_token code']])(
      'accepts the hybrid response type "%s" with both grant types',
      (responseType) => {
        expect(() => validate({ grant_types: ['authorization_code', 'implicit'], response_types: [responseType] })).not.toThrow();
      },
    );

    it('accepts several response types at once', () => {
      expect(() =>
        validate({ grant_types: ['authorization_code', 'implicit'], response_types: ['code', 'id_token', 'id_token token', 'code id_token'] }),
      ).not.toThrow();
    });

    it.each(['com.example.app:/oauth2redirect', 'com.example.app://callback', 'http://127.0.0.1:51004/cb', 'http://[::1]:8080/cb'])(
      'accepts the native redirect URI %s (RFC 8252)',
      (uri) => expect(() => validate({ redirect_uris: [uri] })).not.toThrow(),
    );

    it.each(['http://127.0.0.1:8080/jwks.json', 'http://localhost/jwks.json', 'http://[::1]/jwks.json', 'https://keys.example.com/jwks.json'])(
      'accepts the jwks_uri %s for private_key_jwt',
      (jwksUri) => {
        const m = validate({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: jwksUri });
        expect(m.token_endpoint_auth_signing_alg).toBe('RS256');
      },
    );

    it('accepts private_key_jwt with a JWKS of public keys', () => {
      expect(() => validate({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [RSA_PUBLIC_JWK] } })).not.toThrow();
    });

    it('accepts pairwise subjects when the server offers them', () => {
      expect(() => validate({ subject_type: 'pairwise' }, { subjectTypes: ['public', 'pairwise'], dev: false })).not.toThrow();
    });

    it('accepts a public client with authorization_code', () => {
      expect(() => validate({ token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] })).not.toThrow();
    });

    it('accepts a confidential client_credentials client', () => {
      expect(() => validate({ grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_post' })).not.toThrow();
    });

    it('accepts metadata of up to 64 KiB', () => {
      expect(() => validate({ metadata: { blob: 'x'.repeat(60_000) } })).not.toThrow();
    });
  });

  describe('redirect URIs: invalid_redirect_uri', () => {
    it.each<[string, string, RegExp]>([
      ['a relative URI', '/callback', /absolute/],
      ['a URI without a scheme', 'app.example.com/callback', /absolute/],
      ['a fragment', 'https://app.example.com/cb#frag', /fragment/],
      ['an empty fragment', 'https://app.example.com/cb#', /fragment/],
      ['javascript:', 'javascript:alert(1)', /javascript:/],
      ['javascript: in upper case', 'JavaScript:alert(1)', /javascript:/],
      ['data:', 'data:text/html,<script>alert(1)</script>', /data:/],
      ['vbscript:', 'vbscript:msgbox(1)', /vbscript:/],
      ['a NUL', 'https://app.example.com/cb\u0000', /control characters/],
      ['a newline, which URL parsing drops', 'https://app.exa\nmple.com/cb', /control characters/],
      ['a space', 'https://app.example.com/c b', /whitespace/],
    ])('refuses %s', (_, uri, reason) => {
      const error = rejection({ redirect_uris: ['https://app.example.com/ok', uri] });
      expect(error.error).toBe('invalid_redirect_uri');
      expect(error.statusCode).toBe(400);
      expect(error.hint).toContain('"redirect_uris"');
      expect(error.hint).toMatch(reason);
    });
  });

  describe('every other rule: invalid_client_metadata naming the field', () => {
    it.each<[string, Input, string]>([
      ['an unknown authentication method', { token_endpoint_auth_method: 'client_secret_jwt' }, 'token_endpoint_auth_method'],
      ['an unknown grant type', { grant_types: ['authorization_code', 'password'] }, 'grant_types'],
      ['an unknown response type', { response_types: ['code foo'] }, 'response_types'],
      ['a repeated response type word', { response_types: ['code code'] }, 'response_types'],
      ['response type token without implicit', { response_types: ['token'] }, 'grant_types'],
      ['response type id_token without implicit', { response_types: ['id_token'] }, 'grant_types'],
      ['a hybrid response type without implicit', { response_types: ['code id_token'] }, 'grant_types'],
      ['a hybrid response type without authorization_code', { grant_types: ['implicit'], response_types: ['code token'] }, 'grant_types'],
      ['response type code without authorization_code', { grant_types: ['client_credentials'], response_types: ['code'] }, 'grant_types'],
      ['a relative post-logout redirect URI', { post_logout_redirect_uris: ['/bye'] }, 'post_logout_redirect_uris'],
      ['a post-logout redirect URI with a fragment', { post_logout_redirect_uris: ['https://a.example/#x'] }, 'post_logout_redirect_uris'],
      ['a javascript: post-logout redirect URI', { post_logout_redirect_uris: ['javascript:alert(1)'] }, 'post_logout_redirect_uris'],
      ['a scope with a double quote', { scope: 'openid "profile"' }, 'scope'],
      ['a scope with a backslash', { scope: 'openid a\\b' }, 'scope'],
      ['a scope with a non-ASCII character', { scope: 'openid café' }, 'scope'],
      ['a relative client_uri', { client_uri: '/home' }, 'client_uri'],
      ['a non-web logo_uri', { logo_uri: 'ftp://cdn.example.com/logo.png' }, 'logo_uri'],
      ['a javascript: policy_uri', { policy_uri: 'javascript:alert(1)' }, 'policy_uri'],
      ['a non-URL tos_uri', { tos_uri: 'terms' }, 'tos_uri'],
      ['a non-web frontchannel_logout_uri', { frontchannel_logout_uri: 'file:///etc/passwd' }, 'frontchannel_logout_uri'],
      ['a non-URL backchannel_logout_uri', { backchannel_logout_uri: 'logout' }, 'backchannel_logout_uri'],
      ['an http jwks_uri on a public host', { jwks_uri: 'http://keys.example.com/jwks.json' }, 'jwks_uri'],
      ['a non-URL jwks_uri', { jwks_uri: 'jwks.json' }, 'jwks_uri'],
      ['an http sector_identifier_uri on a public host', { sector_identifier_uri: 'http://app.example.com/sector.json' }, 'sector_identifier_uri'],
      ['an http request_uri on a public host', { request_uris: ['http://app.example.com/r.jwt'] }, 'request_uris'],
      ['a CORS origin with a path', { allowed_cors_origins: ['https://app.example.com/path'] }, 'allowed_cors_origins'],
      ['a CORS origin with a query', { allowed_cors_origins: ['https://app.example.com?x=1'] }, 'allowed_cors_origins'],
      ['a CORS origin that is not a URL', { allowed_cors_origins: ['app.example.com'] }, 'allowed_cors_origins'],
      ['an opaque CORS origin', { allowed_cors_origins: ['file:///tmp'] }, 'allowed_cors_origins'],
      ['both jwks and jwks_uri', { jwks: { keys: [RSA_PUBLIC_JWK] }, jwks_uri: 'https://keys.example.com/jwks.json' }, 'jwks_uri'],
      ['a JWKS without keys', { jwks: { key: [] } }, 'jwks'],
      ['a JWKS whose keys are not an array', { jwks: { keys: RSA_PUBLIC_JWK } }, 'jwks'],
      ['a JWK without kty', { jwks: { keys: [{ n: 'x', e: 'AQAB' }] } }, 'jwks'],
      ['a JWK that is not an object', { jwks: { keys: ['RSA'] } }, 'jwks'],
      ['a private RSA key', { jwks: { keys: [{ ...RSA_PUBLIC_JWK, d: 'secret' }] } }, 'jwks'],
      ['a symmetric key', { jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, 'jwks'],
      ['private_key_jwt without keys', { token_endpoint_auth_method: 'private_key_jwt' }, 'jwks_uri'],
      ['private_key_jwt with a symmetric algorithm', { token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'HS256', jwks_uri: 'https://k.example/jwks' }, 'token_endpoint_auth_signing_alg'],
      ['private_key_jwt with alg none', { token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'none', jwks_uri: 'https://k.example/jwks' }, 'token_endpoint_auth_signing_alg'],
      ['a symmetric signing algorithm for a secret client', { token_endpoint_auth_signing_alg: 'HS256' }, 'token_endpoint_auth_signing_alg'],
      ['pairwise subjects when the server offers none', { subject_type: 'pairwise' }, 'subject_type'],
      ['an unknown subject type', { subject_type: 'anonymous' }, 'subject_type'],
      ['a symmetric userinfo algorithm', { userinfo_signed_response_alg: 'HS256' }, 'userinfo_signed_response_alg'],
      ['an empty userinfo algorithm', { userinfo_signed_response_alg: '' }, 'userinfo_signed_response_alg'],
      ['a symmetric request object algorithm', { request_object_signing_alg: 'HS512' }, 'request_object_signing_alg'],
      ['an unknown access token strategy', { access_token_strategy: 'jwe' }, 'access_token_strategy'],
      ['an empty audience', { audience: ['https://api.example.com', ''] }, 'audience'],
      ['a blank audience', { audience: ['  '] }, 'audience'],
      ['client_credentials for a public client', { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' }, 'token_endpoint_auth_method'],
      ['metadata over 64 KiB', { metadata: { blob: 'x'.repeat(70_000) } }, 'metadata'],
    ])('refuses %s', (_, input, field) => {
      const error = rejection(input);
      expect(error.error).toBe('invalid_client_metadata');
      expect(error.statusCode).toBe(400);
      expect(error.hint).toContain(`"${field}"`);
      expect(error.fullDescription).toContain(error.hint);
    });
  });

  it('checks the subject type against the rules it is given', () => {
    expect(rejection({ subject_type: 'public' }, { subjectTypes: ['pairwise'], dev: false }).hint).toContain('"subject_type"');
  });

  it('names the offending value in the hint', () => {
    expect(rejection({ grant_types: ['password'] }).hint).toContain('"password"');
    expect(rejection({ redirect_uris: ['/cb'] }).hint).toContain('"/cb"');
    expect(rejection({ scope: 'openid bad"scope' }).hint).toContain('bad"scope');
  });
});

describe('lifespans', () => {
  it('are answered in Go\'s format, as Hydra does', () => {
    const m = withDefaults({ authorization_code_grant_access_token_lifespan: '90m', refresh_token_grant_refresh_token_lifespan: '720h' });
    expect(m.authorization_code_grant_access_token_lifespan).toBe('1h30m0s');
    expect(m.refresh_token_grant_refresh_token_lifespan).toBe('720h0m0s');
    expect(m.implicit_grant_access_token_lifespan).toBeNull();
  });

  it('refuse what Go\'s time.Duration cannot hold, naming the field', () => {
    expect(() => withDefaults({ jwt_bearer_grant_access_token_lifespan: '2562048h' })).toThrow(/jwt_bearer_grant_access_token_lifespan/);
    expect(() => withDefaults({ jwt_bearer_grant_access_token_lifespan: `${'9'.repeat(400)}h` })).toThrow(/at most 2562047h/);
  });
});
