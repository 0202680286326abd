import path from 'node:path';
import { knownTestSecrets, secretsInSource } from './known-test-secrets';
import { scanForSecrets, secretRules } from './log-secret-scanner';

const KNOWN = [{ value: 'sample-system-secret-0123', source: 'SECRETS_SYSTEM in sample' }];
const rulesFound = (line: string) => scanForSecrets(line, secretRules(KNOWN)).map((hit) => hit.rule);

const B64 = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdE'; // 43 characters, as randomKey() makes them
const JWS = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
const JWE = 'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a2V5.aXY.Y2lwaGVy.dGFn';
const basic = (id: string, secret: string) => Buffer.from(`${id}:${secret}`).toString('base64');
const line = (fields: object) => JSON.stringify({ level: 30, time: 1, pid: 7, hostname: 'h', ...fields });

describe('log secret scanner', () => {
  it.each([
    ['opaque token or code', line({ msg: `token hy_at_018f2a3b4c5d${B64}.${B64}` })],
    ['opaque token or code', line({ msg: `code hy_ac_018f2a3b4c5d${B64}.${B64}` })],
    ['opaque token or code', line({ msg: `device code hy_dc_018f2a3b4c5d${B64}.${B64}` })],
    ['opaque token or code', line({ msg: `Hydra's ory_rt_${B64}.${B64}` })],
    ['JWT (JWS or JWE)', line({ msg: `id_token_hint ${JWS} is invalid` })],
    ['JWT (JWS or JWE)', line({ err: { message: `cannot decrypt ${JWE}` } })],
    ['flow challenge or verifier', line({ msg: `unknown flow ${B64}.${B64.split('').reverse().join('')}` })],
    ['PEM block', line({ err: { message: '-----BEGIN PRIVATE KEY-----\nMIIE...' } })],
    ['private JWK member', line({ key: { kty: 'RSA', n: 'AQAB', d: 'c2VjcmV0' } })],
    ['private JWK member', line({ msg: JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' }) })],
    ['Basic credentials', line({ msg: `Authorization: Basic ${basic('my-client', 'the secret')}` })],
    ['Bearer credentials', line({ msg: 'authorization bearer 0123456789abcdef0123' })],
    ['credential field', line({ req: { headers: { authorization: 'whatever' } } })],
    ['credential field', line({ req: { headers: { cookie: 'a=b' } } })],
    ['credential field', line({ res: { headers: { 'set-cookie': ['a=b; HttpOnly'] } } })],
    ['credential field', line({ body: { client_secret: 'right-or-wrong' } })],
    ['credential field', line({ consent_verifier: 'x.y' })],
    ['credential field', line({ config: { secretsSystem: ['s'] } })],
    ['credential parameter', line({ url: '/oauth2/auth?client_id=c&login_verifier=abc' })],
    ['credential parameter', line({ url: '/userinfo?access_token=abc' })],
    ['credential parameter', line({ url: '/callback?code=abc&state=xyz' })],
    ['credential parameter', line({ body: 'grant_type=authorization_code&code_verifier=abc' })],
    ['credential parameter', line({ body: 'client_assertion_type=urn&client_assertion=abc' })],
    ['cookie header', 'GET / HTTP/1.1\r\nCookie: hydrant=1\r\n'],
    ['Hydrant cookie', line({ msg: 'hydrant_authentication_session=s%3Aabc.def' })],
    ['Hydrant cookie', line({ cookies: { hydrant_csrf_0123456789abcdef: 'value' } })],
    ['password in a URL', line({ dsn: 'postgres://hydrant:hunter2@db:5432/hydrant' })],
    ['known secret (SECRETS_SYSTEM in sample)', line({ msg: 'secret sample-system-secret-0123 in an error' })],
    ['known secret (SECRETS_SYSTEM in sample)', line({ url: '/x?s=sample-system-secret-0123' })],
  ])('finds %s (sample %#)', (rule, text) => {
    expect(rulesFound(text)).toContain(rule);
  });

  it.each([
    line({ app: 'public', request_id: '0f8e7a4c-1b2d-4e6f-8a9b-0c1d2e3f4a5b', method: 'POST', path: '/oauth2/token', status: 200, duration_ms: 1.27, msg: 'request' }),
    line({ app: 'admin', request_id: 'req-1', method: 'PUT', path: '/admin/oauth2/auth/requests/login/accept', status: 200, duration_ms: 3.5, msg: 'request' }),
    line({ context: 'RouterExplorer', msg: 'Mapped {/oauth2/revoke, POST} route' }),
    line({ req: { headers: { authorization: '[redacted]', cookie: '[redacted]' } }, msg: 'redacted' }),
    line({ err: { type: 'QueryFailedError', code: 'SQLITE_CONSTRAINT', message: 'UNIQUE constraint failed' }, msg: 'public request failed' }),
    line({ msg: 'The client could not be authenticated with HTTP Basic authentication; token_type is "bearer"' }),
    line({ dsn: 'postgres://hydrant:***@db:5432/hydrant', msg: 'connected to the database' }),
    line({ flow: { state: 'accepted' }, signature: `018f2a3b4c5d.${B64}`, msg: 'stored' }),
  ])('finds nothing in a clean line: %s', (text) => {
    expect(rulesFound(text)).toEqual([]);
  });

  it('says where each hit is, and does not repeat the secret', () => {
    const text = `${line({ msg: 'ok' })}\n${line({ msg: 'ok' })}\n{"msg":"leak hy_rt_018f2a3b4c5d${B64}.${B64}"}\n`;
    const [hit] = scanForSecrets(text, secretRules([]));
    expect(hit).toMatchObject({ rule: 'opaque token or code', line: 3, column: 14, offset: text.indexOf('hy_rt_') });
    expect(hit.excerpt).not.toContain(B64);
  });
});

describe('known test secrets', () => {
  it('reads literals, constants and constants named in templates and arrays', () => {
    const source = [
      "const OLD = 'old-system-secret-0123';",
      "const KEYS = ['first-admin-key-0123', 'second-admin-key-0123'];",
      "const KEY_SET = 'hydra.openid.id-token';",
      'const env = { SECRETS_SYSTEM: `${NEW},${OLD}`, SERVE_ADMIN_API_KEYS: KEYS.join(",") };',
      "createClient({ client_secret: 'a-chosen-secret', token_endpoint_auth_method: 'client_secret_post' });",
      "const secret = `generated-${randomUUID()}`;",
    ].join('\n');
    expect([...new Set(secretsInSource(source, 'x.ts').map((s) => s.value))].sort()).toEqual(
      ['a-chosen-secret', 'first-admin-key-0123', 'old-system-secret-0123', 'second-admin-key-0123'],
    );
  });

  it('finds the secrets of the e2e specs', () => {
    const values = knownTestSecrets(path.join(__dirname, '..')).map((s) => s.value);
    expect(values).toEqual(expect.arrayContaining(['test-system-secret-0123456789', 'correct horse battery staple']));
  });
});
