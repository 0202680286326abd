import { Errors, OAuth2Error } from '../../errors';
import { ClientAuthenticationLimiter, WindowCounters } from '../../rate-limit/client-authentication.limiter';
import { RateLimitedError } from '../../rate-limit/rate-limited.error';
import { windowAt } from '../../rate-limit/rate-limiter';
import { defaultApplicationSettings } from '../application-settings.model';
import { ClientSecretHasher } from '../client-secret.hasher';
import { defaultMetadata, TokenEndpointAuthMethod } from '../client.metadata';
import { Client } from '../client.model';
import { ClientStore } from '../client.store';
import { ClientAssertionVerifier, JWT_BEARER_ASSERTION_TYPE } from './client-assertion.verifier';
import { CLIENT_AUTHENTICATION_FAILED_HINT, ClientAuthenticator, ClientCredentials } from './client.authenticator';

const SECRET = 'the-right-secret';
const ENDPOINT = 'https://issuer.example/oauth2/token';
const WINDOW = 60_000;

function client(id: string, method: TokenEndpointAuthMethod, options: { application?: boolean; hash?: string; rotated?: string[] } = {}): Client {
  const now = new Date();
  return {
    id,
    metadata: { ...defaultMetadata(), token_endpoint_auth_method: method },
    secretHash: method.startsWith('client_secret') ? (options.hash ?? 'fast') : null,
    rotatedSecretHashes: options.rotated ?? [],
    registrationTokenHash: null,
    application: options.application ? defaultApplicationSettings(id) : null,
    createdAt: now,
    updatedAt: now,
  };
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** Fixed-window counters in memory, with the RateLimiter's semantics. */
class MemoryCounters implements WindowCounters {
  readonly rows = new Map<string, { start: number; hits: number }>();

  async peek(buckets: readonly string[], windowMs: number, now = Date.now()): Promise<number[]> {
    const { start } = windowAt(windowMs, now);
    return buckets.map((b) => (this.rows.get(b)?.start === start ? this.rows.get(b)!.hits : 0));
  }

  async count(buckets: readonly string[], windowMs: number, now = Date.now()): Promise<number[]> {
    const { start } = windowAt(windowMs, now);
    return buckets.map((b) => {
      const row = this.rows.get(b);
      const next = row?.start === start ? { start, hits: row.hits + 1 } : { start, hits: 1 };
      this.rows.set(b, next);
      return next.hits;
    });
  }

  async uncount(buckets: readonly string[], windowMs: number, now = Date.now()): Promise<void> {
    const { start } = windowAt(windowMs, now);
    for (const b of buckets) {
      const row = this.rows.get(b);
      if (row?.start === start && row.hits > 0) row.hits--;
    }
  }

  total(): number {
    return [...this.rows.values()].reduce((sum, r) => sum + r.hits, 0);
  }
}

/**
 * A hasher in the real one's shape: `fast` hashes compare at once; `slow` ones stand for scrypt, calling
 * `admit` first (as the real one does once it has a slot) and counting their runs.
 */
class FakeHasher {
  slowRuns = 0;
  verifications = 0;

  async verify(secret: string, stored: string, admit?: () => Promise<void>): Promise<boolean> {
    this.verifications++;
    if (stored === 'slow') {
      await admit?.();
      this.slowRuns++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return secret === SECRET;
  }

  /** The real one's walk over the current and rotated hashes, through this verify(). */
  verifyAny = ClientSecretHasher.prototype.verifyAny;
}

describe('ClientAuthenticator', () => {
  const clients = new Map<string, Client>([
    ['basic-client', client('basic-client', 'client_secret_basic')],
    ['post-client', client('post-client', 'client_secret_post')],
    ['public-client', client('public-client', 'none')],
    ['jwt-client', client('jwt-client', 'private_key_jwt')],
    ['fluxer-app', client('fluxer-app', 'client_secret_basic', { application: true })],
    ['chosen-secret', client('chosen-secret', 'client_secret_basic', { hash: 'slow' })],
    ['rotated-chosen', client('rotated-chosen', 'client_secret_basic', { hash: 'slow', rotated: ['slow'] })],
  ]);
  let counters: MemoryCounters;
  let hasher: FakeHasher;
  let now: number;

  /** An authenticator allowing `limit` failures per source and window (0: no limit). */
  function authenticator(limit = 0, assertionFailure?: OAuth2Error): ClientAuthenticator {
    return new ClientAuthenticator(
      { findForAuthentication: async (id: string) => clients.get(id) ?? null } as unknown as ClientStore,
      hasher as unknown as ClientSecretHasher,
      {
        claimedClientId: (assertion: string) => (assertion === 'unreadable' ? undefined : assertion),
        verify: async () => {
          if (assertionFailure) throw assertionFailure;
        },
      } as unknown as ClientAssertionVerifier,
      new ClientAuthenticationLimiter(counters, limit, WINDOW, () => now),
    );
  }

  beforeEach(() => {
    counters = new MemoryCounters();
    hasher = new FakeHasher();
    now = Date.UTC(2030, 0, 1, 12, 0, 10);
  });

  async function refusal(promise: Promise<unknown>): Promise<OAuth2Error> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2Error);
    return error as OAuth2Error;
  }

  describe('a Hydra client: only the method it registered (RFC 6749 §2.3, as Hydra enforces)', () => {
    it('accepts its registered method with the right secret', async () => {
      const auth = authenticator();
      await expect(auth.authenticate({ authorization: basic('basic-client', SECRET) }, ENDPOINT)).resolves.toMatchObject({ id: 'basic-client' });
      await expect(auth.authenticate({ client_id: 'post-client', client_secret: SECRET }, ENDPOINT)).resolves.toMatchObject({ id: 'post-client' });
      await expect(auth.authenticate({ client_id: 'public-client' }, ENDPOINT)).resolves.toMatchObject({ id: 'public-client' });
    });

    it('refuses the other secret method, even with the right secret', async () => {
      const auth = authenticator();
      const post = await refusal(auth.authenticate({ client_id: 'basic-client', client_secret: SECRET }, ENDPOINT));
      expect(post).toMatchObject({ error: 'invalid_client', statusCode: 401 });
      const viaHeader = await refusal(auth.authenticate({ authorization: basic('post-client', SECRET) }, ENDPOINT));
      expect(viaHeader).toMatchObject({ error: 'invalid_client', statusCode: 401 });
    });

    it('accepts a rotated secret as well as the current one', async () => {
      clients.set('rotated', { ...client('rotated', 'client_secret_basic', { hash: 'old' }), rotatedSecretHashes: ['fast'] });
      hasher.verify = async (secret, stored) => stored === 'fast' && secret === SECRET;
      await expect(authenticator().authenticate({ authorization: basic('rotated', SECRET) }, ENDPOINT)).resolves.toMatchObject({ id: 'rotated' });
    });
  });

  describe('a Fluxer application: its secret in the header or in the body, as Fluxer documents', () => {
    it('accepts both secret methods', async () => {
      const auth = authenticator();
      await expect(auth.authenticate({ authorization: basic('fluxer-app', SECRET) }, ENDPOINT)).resolves.toMatchObject({ id: 'fluxer-app' });
      await expect(auth.authenticate({ client_id: 'fluxer-app', client_secret: SECRET }, ENDPOINT)).resolves.toMatchObject({ id: 'fluxer-app' });
    });

    it('still needs the right secret, and never takes a bare client_id', async () => {
      const auth = authenticator();
      expect(await refusal(auth.authenticate({ client_id: 'fluxer-app', client_secret: 'wrong' }, ENDPOINT))).toMatchObject({ error: 'invalid_client' });
      expect(await refusal(auth.authenticate({ client_id: 'fluxer-app' }, ENDPOINT))).toMatchObject({ error: 'invalid_client' });
    });

    it('refuses both at once', async () => {
      const both = await refusal(authenticator().authenticate({ authorization: basic('fluxer-app', SECRET), client_secret: SECRET }, ENDPOINT));
      expect(both.error).toBe('invalid_request');
    });
  });

  describe('one hint for every failure, so that no answer tells whether a client exists (issue 15, item 10)', () => {
    const failures: Array<[string, ClientCredentials, OAuth2Error?]> = [
      ['an unknown client', { authorization: basic('nobody', SECRET) }],
      ['an unknown public client', { client_id: 'nobody' }],
      ['a wrong secret', { authorization: basic('basic-client', 'wrong') }],
      ['the wrong method', { client_id: 'basic-client', client_secret: SECRET }],
      ['no secret for a confidential client', { client_id: 'basic-client' }],
      ['malformed Basic credentials', { authorization: 'Basic !!!' }],
      ['Basic credentials without a colon', { authorization: `Basic ${Buffer.from('basic-client').toString('base64')}` }],
      ['Basic credentials that are not form-urlencoded', { authorization: basic('basic-client', '%E0%A4%A') }],
      ['no credentials at all', {}],
      ['a wrong client_assertion_type', { client_assertion: 'jwt-client', client_assertion_type: 'urn:other' }],
      ['an assertion that names no client', { client_assertion: 'unreadable', client_assertion_type: JWT_BEARER_ASSERTION_TYPE }],
      ['an assertion for another client_id', { client_assertion: 'jwt-client', client_id: 'basic-client', client_assertion_type: JWT_BEARER_ASSERTION_TYPE }],
      ['an assertion that does not verify', { client_assertion: 'jwt-client', client_assertion_type: JWT_BEARER_ASSERTION_TYPE },
        Errors.invalidClient().withHint('The client assertion is invalid: signature verification failed.')],
      ['a replayed assertion', { client_assertion: 'jwt-client', client_assertion_type: JWT_BEARER_ASSERTION_TYPE },
        Errors.invalidClient().withHint('The client assertion was used before (jti replay).')],
    ];

    it.each(failures)('%s: 401 invalid_client with the one hint, the detail in the debug text only', async (...[, credentials, assertionFailure]) => {
      const error = await refusal(authenticator(0, assertionFailure).authenticate(credentials, ENDPOINT));
      expect({ error: error.error, status: error.statusCode, hint: error.hint }).toEqual({ error: 'invalid_client', status: 401, hint: CLIENT_AUTHENTICATION_FAILED_HINT });
      expect(error.debug).toEqual(expect.any(String));
      expect(error.fullDescription).not.toContain(error.debug);
    });

    it('keeps what failed apart in the debug text', async () => {
      const unknown = await refusal(authenticator().authenticate({ authorization: basic('nobody', SECRET) }, ENDPOINT));
      const method = await refusal(authenticator().authenticate({ client_id: 'basic-client', client_secret: SECRET }, ENDPOINT));
      expect(unknown.debug).toMatch(/does not exist/);
      expect(method.debug).toMatch(/client_secret_basic/);
    });

    it('keeps invalid_request where the request is malformed whoever the client is', async () => {
      const auth = authenticator();
      const two = await refusal(auth.authenticate({ authorization: basic('nobody', SECRET), client_assertion: 'x' }, ENDPOINT));
      const mismatch = await refusal(auth.authenticate({ authorization: basic('basic-client', SECRET), client_id: 'other' }, ENDPOINT));
      expect([two.error, mismatch.error]).toEqual(['invalid_request', 'invalid_request']);
    });

    it('lets an assertion verifier failure other than invalid_client through', async () => {
      const error = await refusal(authenticator(0, Errors.serverError()).authenticate({ client_assertion: 'jwt-client', client_assertion_type: JWT_BEARER_ASSERTION_TYPE }, ENDPOINT));
      expect(error.error).toBe('server_error');
    });
  });

  describe('failed authentications are limited per source and per client (issue 15, item 5)', () => {
    const wrong = (id: string, source: string): ClientCredentials => ({ authorization: basic(id, 'wrong'), source });
    const right = (id: string, source: string): ClientCredentials => ({ authorization: basic(id, SECRET), source });

    it('refuses a source over its limit with 429 and the seconds to the end of the window, before verifying anything', async () => {
      const auth = authenticator(3);
      for (let i = 0; i < 3; i++) expect(await refusal(auth.authenticate(wrong('basic-client', '192.0.2.1'), ENDPOINT))).toMatchObject({ statusCode: 401 });
      const verified = hasher.verifications;
      const over = await refusal(auth.authenticate(wrong('basic-client', '192.0.2.1'), ENDPOINT));
      expect(over).toBeInstanceOf(RateLimitedError);
      expect(over).toMatchObject({ error: 'too_many_requests', statusCode: 429, retryAfterSeconds: 50 });
      // Not even the right secret is verified now, from that address.
      expect(await refusal(auth.authenticate(right('basic-client', '192.0.2.1'), ENDPOINT))).toMatchObject({ statusCode: 429 });
      expect(hasher.verifications).toBe(verified);
      // Another address is not affected, and the next window starts afresh.
      await expect(auth.authenticate(right('basic-client', '192.0.2.2'), ENDPOINT)).resolves.toMatchObject({ id: 'basic-client' });
      now += WINDOW;
      await expect(auth.authenticate(right('basic-client', '192.0.2.1'), ENDPOINT)).resolves.toMatchObject({ id: 'basic-client' });
    });

    it('counts unknown clients, malformed credentials and every other failure against the source', async () => {
      const auth = authenticator(3);
      await refusal(auth.authenticate(wrong('nobody', '192.0.2.9'), ENDPOINT));
      await refusal(auth.authenticate({ authorization: 'Basic !!!', source: '192.0.2.9' }, ENDPOINT));
      await refusal(auth.authenticate({ client_id: 'basic-client', client_secret: SECRET, source: '192.0.2.9' }, ENDPOINT));
      const over = await refusal(auth.authenticate({ client_id: 'public-client', source: '192.0.2.9' }, ENDPOINT));
      expect(over.statusCode).toBe(429);
    });

    it('never refuses a correct secret under the limit, and counts no success', async () => {
      const auth = authenticator(2);
      for (let i = 0; i < 20; i++) await auth.authenticate(right('basic-client', '192.0.2.3'), ENDPOINT);
      expect(counters.total()).toBe(0);
      await refusal(auth.authenticate(wrong('basic-client', '192.0.2.3'), ENDPOINT));
      await expect(auth.authenticate(right('basic-client', '192.0.2.3'), ENDPOINT)).resolves.toMatchObject({ id: 'basic-client' });
    });

    it('lets a client fail ten times the per-source limit from all sources together, then refuses it from anywhere', async () => {
      const auth = authenticator(2);
      for (let i = 0; i < 20; i++) {
        expect(await refusal(auth.authenticate(wrong('basic-client', `198.51.100.${i}`), ENDPOINT))).toMatchObject({ statusCode: 401 });
      }
      expect(await refusal(auth.authenticate(right('basic-client', '203.0.113.1'), ENDPOINT))).toMatchObject({ statusCode: 429 });
      // Other clients from that address are not affected.
      await expect(auth.authenticate({ client_id: 'post-client', client_secret: SECRET, source: '203.0.113.1' }, ENDPOINT)).resolves.toMatchObject({ id: 'post-client' });
    });

    it('counts an unknown client id like a known one', async () => {
      const auth = authenticator(1);
      for (let i = 0; i < 10; i++) await refusal(auth.authenticate(wrong('nobody', `198.51.100.${i}`), ENDPOINT));
      expect(await refusal(auth.authenticate(wrong('nobody', '203.0.113.1'), ENDPOINT))).toMatchObject({ statusCode: 429 });
    });

    it('without a source, limits per client only', async () => {
      const auth = authenticator(1);
      for (let i = 0; i < 10; i++) expect(await refusal(auth.authenticate({ authorization: basic('basic-client', 'wrong') }, ENDPOINT))).toMatchObject({ statusCode: 401 });
      expect(await refusal(auth.authenticate({ authorization: basic('basic-client', 'wrong') }, ENDPOINT))).toMatchObject({ statusCode: 429 });
    });

    it('does not count a request that is malformed whoever the client is', async () => {
      const auth = authenticator(1);
      for (let i = 0; i < 5; i++) {
        expect(await refusal(auth.authenticate({ authorization: basic('basic-client', SECRET), client_secret: 'x', source: '192.0.2.4' }, ENDPOINT))).toMatchObject({ error: 'invalid_request' });
      }
      expect(counters.total()).toBe(0);
    });

    it('with a limit of 0, never refuses and counts nothing', async () => {
      const auth = authenticator(0);
      for (let i = 0; i < 50; i++) expect(await refusal(auth.authenticate(wrong('basic-client', '192.0.2.5'), ENDPOINT))).toMatchObject({ statusCode: 401 });
      expect(counters.rows.size).toBe(0);
    });
  });

  describe('guesses that need scrypt (issue 15, row 6)', () => {
    const guess = (i: number): ClientCredentials => ({ authorization: basic('chosen-secret', `guess-${i}`), source: '192.0.2.7' });

    it('counts a guess before its scrypt starts, so that of many sent at once only the limit are verified', async () => {
      const auth = authenticator(3);
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => refusal(auth.authenticate(guess(i), ENDPOINT))));
      expect(hasher.slowRuns).toBe(3);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([...Array(3).fill(401), ...Array(9).fill(429)]);
      expect(answers.filter((a) => a.statusCode === 401).every((a) => a.hint === CLIENT_AUTHENTICATION_FAILED_HINT)).toBe(true);
    });

    it('counts a failed scrypt once, however many secrets the client has', async () => {
      const auth = authenticator(3);
      await refusal(auth.authenticate({ authorization: basic('rotated-chosen', 'wrong'), source: '192.0.2.8' }, ENDPOINT));
      expect(hasher.slowRuns).toBe(2);
      expect(counters.total()).toBe(2); // one on the source's counter, one on the client's
    });

    it('takes the count back when the scrypt matches', async () => {
      const auth = authenticator(3);
      await auth.authenticate({ authorization: basic('chosen-secret', SECRET), source: '192.0.2.8' }, ENDPOINT);
      expect(hasher.slowRuns).toBe(1);
      expect(counters.total()).toBe(0);
    });
  });
});
