import { OAuth2Error } from '../errors';
import { validateClientMetadata, withDefaults } from './client-metadata.validator';
import { ClientMetadata } from './client.metadata';
import { isLoopbackHost } from './client-uri.rules';

/** Issue 15, item 8: every URI field of client metadata is what it says, through the shared validator. */

type Input = Partial<Record<keyof ClientMetadata, unknown>>;

const RULES = { subjectTypes: ['public'], dev: false };
const DEV = { subjectTypes: ['public'], dev: true };

function validate(input: Input, rules = RULES): void {
  validateClientMetadata(withDefaults(input), rules);
}

function rejection(input: Input, rules = RULES): OAuth2Error {
  try {
    validate(input, rules);
  } catch (e) {
    expect(e).toBeInstanceOf(OAuth2Error);
    return e as OAuth2Error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

/** Each URI field, with the input that puts `uri` into it and the error it answers. */
const URI_FIELDS: Array<[string, (uri: string) => Input, string]> = [
  ['redirect_uris', (uri) => ({ redirect_uris: [uri] }), 'invalid_redirect_uri'],
  ['post_logout_redirect_uris', (uri) => ({ post_logout_redirect_uris: [uri] }), 'invalid_client_metadata'],
  ['client_uri', (uri) => ({ client_uri: uri }), 'invalid_client_metadata'],
  ['logo_uri', (uri) => ({ logo_uri: uri }), 'invalid_client_metadata'],
  ['policy_uri', (uri) => ({ policy_uri: uri }), 'invalid_client_metadata'],
  ['tos_uri', (uri) => ({ tos_uri: uri }), 'invalid_client_metadata'],
  ['frontchannel_logout_uri', (uri) => ({ frontchannel_logout_uri: uri }), 'invalid_client_metadata'],
  ['backchannel_logout_uri', (uri) => ({ backchannel_logout_uri: uri }), 'invalid_client_metadata'],
  ['jwks_uri', (uri) => ({ jwks_uri: uri }), 'invalid_client_metadata'],
  ['sector_identifier_uri', (uri) => ({ sector_identifier_uri: uri }), 'invalid_client_metadata'],
  ['request_uris', (uri) => ({ request_uris: [uri] }), 'invalid_client_metadata'],
];

describe('every URI field', () => {
  describe.each(URI_FIELDS)('%s', (field, put, error) => {
    it('accepts an https URI in normalized form', () => {
      expect(() => validate(put('https://app.example.com/path?x=1'))).not.toThrow();
    });

    it.each<[string, string, RegExp]>([
      ['CR LF (header injection)', 'https://app.example.com/cb\r\nSet-Cookie:%20a=b', /control characters/],
      ['a tab, which URL parsing drops', 'https://app.exa\tmple.com/cb', /control characters/],
      ['a space', 'https://app.example.com/a b', /whitespace/],
      ['a leading space, which URL parsing trims', ' https://app.example.com/cb', /whitespace/],
      ['DEL', 'https://app.example.com/cb\u007f', /control characters/],
      ['a NUL', 'https://app.example.com/\u0000', /control characters/],
    ])('refuses %s', (_, uri, reason) => {
      const refused = rejection(put(uri));
      expect(refused.error).toBe(error);
      expect(refused.statusCode).toBe(400);
      expect(refused.hint).toContain(`"${field}"`);
      expect(refused.hint).toMatch(reason);
      // Control characters are not echoed into the error.
      expect(refused.hint).not.toMatch(/[\u0000-\u001f\u007f]/);
    });

    it('refuses a user name and password without echoing them', () => {
      const refused = rejection(put('https://user:s3cret-pass@app.example.com/cb'));
      expect(refused.error).toBe(error);
      expect(refused.hint).toContain(`"${field}"`);
      expect(refused.hint).toMatch(/user name or password/);
      expect(refused.hint).not.toContain('s3cret-pass');
    });

    it('refuses a user name that makes the URI read as another host', () => {
      expect(rejection(put('https://app.example.com@evil.example/cb')).hint).toMatch(/user name or password/);
    });

    it.each<[string, string, string]>([
      ['no root path', 'https://app.example.com', 'https://app.example.com/'],
      ['an upper-case host', 'https://App.Example.COM/cb', 'https://app.example.com/cb'],
      ['an upper-case scheme', 'HTTPS://app.example.com/cb', 'https://app.example.com/cb'],
      ['the default port', 'https://app.example.com:443/cb', 'https://app.example.com/cb'],
      ['dot segments', 'https://app.example.com/a/../cb', 'https://app.example.com/cb'],
      ['a backslash', 'https://app.example.com\\cb', 'https://app.example.com/cb'],
      ['a non-ASCII host', 'https://bücher.example/cb', 'https://xn--bcher-kva.example/cb'],
      ['a non-ASCII path', 'https://app.example.com/café', 'https://app.example.com/caf%C3%A9'],
      ['a numeric IPv4 host', 'https://2130706433/cb', 'https://127.0.0.1/cb'],
      ['an empty user name', 'https://@app.example.com/cb', 'https://app.example.com/cb'],
    ])('refuses a URI with %s, naming its normalized form', (_, uri, normalized) => {
      const refused = rejection(put(uri));
      expect(refused.error).toBe(error);
      expect(refused.hint).toContain(`"${field}"`);
      expect(refused.hint).toContain(`normalized form; register "${normalized}"`);
    });
  });
});

describe('redirect URIs and post-logout redirect URIs', () => {
  describe.each<[string, (uri: string) => Input, string]>([
    ['redirect_uris', (uri) => ({ redirect_uris: [uri] }), 'invalid_redirect_uri'],
    ['post_logout_redirect_uris', (uri) => ({ post_logout_redirect_uris: [uri] }), 'invalid_client_metadata'],
  ])('%s', (field, put, error) => {
    it.each([
      'https://app.example.com/cb',
      'https://app.example.com:8443/cb?tenant=a',
      'http://127.0.0.1/cb',
      'http://127.0.0.1:51004/cb',
      'http://127.10.20.30:8080/cb',
      'http://[::1]:8080/cb',
      'http://localhost:3000/callback',
      'com.example.app:/oauth2redirect',
      'com.example.app://callback/path',
      'io.github.some-app.native:/cb',
    ])('accepts %s', (uri) => {
      expect(() => validate(put(uri))).not.toThrow();
    });

    it.each<[string, string, RegExp]>([
      ['file:', 'file:///etc/passwd', /"file:" scheme/],
      ['blob:', 'blob:https://app.example.com/0b3f1a52-7c05-4a5b-9c52-5e0b0f1c7a11', /"blob:" scheme/],
      ['data:', 'data:text/html,hi', /"data:" scheme/],
      ['javascript:', 'javascript:alert(1)', /"javascript:" scheme/],
      ['JavaScript: in mixed case', 'JavaScript:alert(1)', /"javascript:" scheme/],
      ['vbscript:', 'vbscript:msgbox(1)', /"vbscript:" scheme/],
      ['about:', 'about:blank', /"about:" scheme/],
      ['plain http to a public host', 'http://app.example.com/cb', /plain http.*loopback.*--dev/],
      ['plain http to a private address', 'http://10.0.0.5/cb', /plain http/],
      ['plain http to a host named like loopback', 'http://localhost.evil.example/cb', /plain http/],
      ['plain http to 127.0.0.1 in another spelling', 'http://[::ffff:127.0.0.1]/cb', /plain http/],
      ['a private-use scheme without a dot', 'myapp://callback', /private-use scheme in reverse domain form/],
      ['another web scheme', 'ftp://app.example.com/cb', /private-use scheme/],
      ['ws:', 'wss://app.example.com/cb', /private-use scheme/],
      ['a fragment', 'https://app.example.com/cb#frag', /fragment/],
      ['an empty fragment', 'https://app.example.com/cb#', /fragment/],
    ])('refuses %s', (_, uri, reason) => {
      const refused = rejection(put(uri));
      expect(refused.error).toBe(error);
      expect(refused.hint).toContain(`"${field}"`);
      expect(refused.hint).toMatch(reason);
    });

    it('refuses a loopback URI that is not in normalized form', () => {
      expect(rejection(put('http://LOCALHOST:3000/cb')).hint).toContain('register "http://localhost:3000/cb"');
      expect(rejection(put('http://127.1/cb')).hint).toContain('register "http://127.0.0.1/cb"');
    });

    it('accepts plain http to a public host with --dev', () => {
      expect(() => validate(put('http://app.example.com/cb'), DEV)).not.toThrow();
    });

    it.each([
      ['file:///etc/passwd', /"file:" scheme/],
      ['http://user:pw@app.example.com/cb', /user name or password/],
      ['http://app.example.com/cb\r\nX: y', /control characters/],
      ['http://app.example.com', /normalized form/],
      ['http://app.example.com/cb#x', /fragment/],
    ])('keeps refusing %s with --dev', (uri, reason) => {
      expect(rejection(put(uri), DEV).hint).toMatch(reason);
    });
  });
});

describe('the other URI fields keep their schemes', () => {
  it.each(['client_uri', 'logo_uri', 'policy_uri', 'tos_uri', 'frontchannel_logout_uri', 'backchannel_logout_uri'])(
    '%s takes plain http (it is a link, or Hydrant calls it) without --dev',
    (field) => {
      expect(() => validate({ [field]: 'http://app.example.com/x' })).not.toThrow();
    },
  );

  it.each(['jwks_uri', 'sector_identifier_uri'])('%s takes http only to a loopback host, with or without --dev', (field) => {
    expect(() => validate({ [field]: 'http://127.0.0.2:8080/x.json' })).not.toThrow();
    expect(rejection({ [field]: 'http://app.example.com/x.json' }, DEV).hint).toContain(`"${field}" must be an https URL`);
  });

  it('lets an information link and a request URI carry a fragment', () => {
    expect(() => validate({ policy_uri: 'https://app.example.com/legal#privacy', request_uris: ['https://app.example.com/r.jwt#abc'] })).not.toThrow();
  });

  it.each(['frontchannel_logout_uri', 'backchannel_logout_uri', 'jwks_uri', 'sector_identifier_uri'])('%s refuses a fragment', (field) => {
    expect(rejection({ [field]: 'https://app.example.com/x#y' }).hint).toMatch(new RegExp(`"${field}".*fragment`));
  });
});

describe('allowed_cors_origins', () => {
  it.each(['https://app.example.com', 'https://app.example.com/', 'http://localhost:3000', 'https://app.example.com:8443'])('accepts %s', (origin) => {
    expect(() => validate({ allowed_cors_origins: [origin] })).not.toThrow();
  });

  it.each<[string, string, RegExp]>([
    ['an upper-case host', 'https://App.example.com', /its origin is "https:\/\/app.example.com"/],
    ['the default port', 'https://app.example.com:443', /its origin is "https:\/\/app.example.com"/],
    ['a path', 'https://app.example.com/app', /origins/],
    ['a user name and password', 'https://u:secret-pw@app.example.com', /user name or password/],
    ['a newline', 'https://app.example.com\n', /control characters/],
    ['a space', 'https://app.example.com ', /whitespace/],
    ['an opaque origin', 'data:text/plain,x', /origins/],
  ])('refuses %s', (_, origin, reason) => {
    const refused = rejection({ allowed_cors_origins: [origin] });
    expect(refused.error).toBe('invalid_client_metadata');
    expect(refused.hint).toContain('"allowed_cors_origins"');
    expect(refused.hint).toMatch(reason);
    expect(refused.hint).not.toContain('secret-pw');
  });
});

describe('isLoopbackHost', () => {
  it.each(['localhost', '127.0.0.1', '127.255.255.254', '[::1]'])('holds for %s', (host) => expect(isLoopbackHost(host)).toBe(true));
  it.each(['localhost.example', '128.0.0.1', '10.0.0.1', '[::2]', 'example.com', '[::ffff:7f00:1]'])('does not hold for %s', (host) =>
    expect(isLoopbackHost(host)).toBe(false),
  );
});
