import { randomUUID } from 'node:crypto';
import { CryptoKey, exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { inMemoryCore, InMemoryCore } from '../../testing/in-memory-core';
import { addClient, basicAuthorization } from '../../testing/oauth2-spec.fixtures';
import { JWT_BEARER_ASSERTION_TYPE } from './client-assertion.verifier';
import { refusal } from '../../testing/refusal';

/**
 * ClientAuthenticator with its real collaborators (secret hasher, assertion verifier, failure limiter) over
 * the in-memory stores. client.authenticator.spec.ts pins the method rules and the limiter with fakes;
 * this file pins what needs the real hashes, real signed assertions and the stores: secrets as stored,
 * jti replay, and counts shared between processes.
 */
describe('ClientAuthenticator over the stores', () => {
  let env: InMemoryCore;
  let endpoint: string;

  beforeEach(async () => {
    env = await inMemoryCore();
    endpoint = `${env.config.urlsSelfIssuer}oauth2/token`;
  });

  const authenticate = (credentials: Parameters<InMemoryCore['core']['clientAuthenticator']['authenticate']>[0]) =>
    env.core.clientAuthenticator.authenticate(credentials, endpoint);

  describe('secrets as the hasher stores them', () => {
    it('accepts client_secret_basic, client_secret_post and none, each with its registered method', async () => {
      const { secret: basicSecret } = await addClient(env, 'basic');
      const { secret: postSecret } = await addClient(env, 'post', { method: 'client_secret_post' });
      await addClient(env, 'public', { method: 'none' });
      await expect(authenticate({ authorization: basicAuthorization('basic', basicSecret) })).resolves.toMatchObject({ id: 'basic' });
      await expect(authenticate({ client_id: 'post', client_secret: postSecret })).resolves.toMatchObject({ id: 'post' });
      await expect(authenticate({ client_id: 'public' })).resolves.toMatchObject({ id: 'public' });
    });

    it('reads Basic credentials form-urlencoded (RFC 6749 §2.3.1): an id and a secret with reserved characters', async () => {
      const { secret } = await addClient(env, 'id:with spaces', { secret: 'p@ss:w+rd/%' });
      await expect(authenticate({ authorization: basicAuthorization('id:with spaces', secret) })).resolves.toMatchObject({ id: 'id:with spaces' });
    });

    it('refuses a wrong secret and an unknown client alike', async () => {
      await addClient(env, 'basic');
      const wrong = await refusal(authenticate({ authorization: basicAuthorization('basic', 'wrong') }));
      const unknown = await refusal(authenticate({ authorization: basicAuthorization('nobody', 'wrong') }));
      expect([wrong.error, wrong.statusCode, wrong.hint]).toEqual([unknown.error, unknown.statusCode, unknown.hint]);
      expect(wrong.error).toBe('invalid_client');
    });

    it('accepts a rotated secret next to the current one, and no other', async () => {
      const { secret } = await addClient(env, 'rotated', { secret: 'current', rotated: ['previous'] });
      await expect(authenticate({ authorization: basicAuthorization('rotated', secret) })).resolves.toMatchObject({ id: 'rotated' });
      await expect(authenticate({ authorization: basicAuthorization('rotated', 'previous') })).resolves.toMatchObject({ id: 'rotated' });
      expect((await refusal(authenticate({ authorization: basicAuthorization('rotated', 'older') }))).error).toBe('invalid_client');
    });

    it('verifies a secret an operator chose (scrypt)', async () => {
      await env.stores.clients.insert({ ...(await addClient(env, 'template')).client, id: 'chosen', secretHash: await env.core.hasher.hashChosen('operator-choice') });
      await expect(authenticate({ authorization: basicAuthorization('chosen', 'operator-choice') })).resolves.toMatchObject({ id: 'chosen' });
      expect((await refusal(authenticate({ authorization: basicAuthorization('chosen', 'operator-choicf') }))).error).toBe('invalid_client');
    });

    it('reads the client as it is now: a changed secret or a deleted client takes effect at the next request', async () => {
      const { client, secret } = await addClient(env, 'basic');
      await authenticate({ authorization: basicAuthorization('basic', secret) });
      await env.stores.clients.update({ ...client, secretHash: env.core.hasher.hashGenerated('new-secret') });
      expect((await refusal(authenticate({ authorization: basicAuthorization('basic', secret) }))).error).toBe('invalid_client');
      await env.stores.clients.delete('basic');
      expect((await refusal(authenticate({ authorization: basicAuthorization('basic', 'new-secret') }))).error).toBe('invalid_client');
    });
  });

  describe('private_key_jwt (RFC 7523 §2.2), with a signed assertion and the jti store', () => {
    let privateKey: CryptoKey;

    beforeEach(async () => {
      const pair = await generateKeyPair('ES256');
      privateKey = pair.privateKey;
      await addClient(env, 'signer', {
        method: 'private_key_jwt',
        metadata: { token_endpoint_auth_signing_alg: 'ES256', jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1' }] } },
      });
    });

    async function assertion(claims: JWTPayload = {}): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: 'signer', sub: 'signer', aud: endpoint, iat: now, exp: now + 300, jti: randomUUID(), ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .sign(privateKey);
    }
    const withAssertion = (jwt: string) => authenticate({ client_assertion: jwt, client_assertion_type: JWT_BEARER_ASSERTION_TYPE });

    it('accepts a fresh assertion once, and refuses it the second time (jti replay, RFC 7523 §3 item 7)', async () => {
      const jwt = await assertion();
      await expect(withAssertion(jwt)).resolves.toMatchObject({ id: 'signer' });
      const replay = await refusal(withAssertion(jwt));
      expect(replay).toMatchObject({ error: 'invalid_client', statusCode: 401 });
      expect(replay.debug).toMatch(/jti replay/);
    });

    it('accepts exactly one of two requests with the same assertion at once', async () => {
      const jwt = await assertion();
      const outcomes = await Promise.allSettled([withAssertion(jwt), withAssertion(jwt)]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect(env.stores.jtis.size).toBe(1);
    });

    it('keeps jtis apart per client: the same jti from another client is not a replay', async () => {
      const other = await generateKeyPair('ES256');
      await addClient(env, 'signer-2', {
        method: 'private_key_jwt',
        metadata: { token_endpoint_auth_signing_alg: 'ES256', jwks: { keys: [{ ...(await exportJWK(other.publicKey)), kid: 'k2' }] } },
      });
      const now = Math.floor(Date.now() / 1000);
      const second = await new SignJWT({ iss: 'signer-2', sub: 'signer-2', aud: endpoint, iat: now, exp: now + 300, jti: 'shared-jti' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
        .sign(other.privateKey);
      await expect(withAssertion(await assertion({ jti: 'shared-jti' }))).resolves.toMatchObject({ id: 'signer' });
      await expect(withAssertion(second)).resolves.toMatchObject({ id: 'signer-2' });
    });

    it('refuses an expired assertion, one signed by another key, and one for another audience, remembering none of their jtis', async () => {
      const stranger = await generateKeyPair('ES256');
      const now = Math.floor(Date.now() / 1000);
      const forged = await new SignJWT({ iss: 'signer', sub: 'signer', aud: endpoint, exp: now + 300, jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .sign(stranger.privateKey);
      for (const jwt of [await assertion({ exp: now - 3600, iat: now - 7200 }), forged, await assertion({ aud: 'https://elsewhere.example/token' })]) {
        expect((await refusal(withAssertion(jwt))).error).toBe('invalid_client');
      }
      expect(env.stores.jtis.size).toBe(0);
    });

    it('refuses client_secret_jwt (an HMAC assertion), which Hydrant does not offer', async () => {
      const { secret } = await addClient(env, 'hmac');
      const now = Math.floor(Date.now() / 1000);
      const hmac = await new SignJWT({ iss: 'hmac', sub: 'hmac', aud: endpoint, exp: now + 300, jti: randomUUID() })
        .setProtectedHeader({ alg: 'HS256' })
        .sign(new TextEncoder().encode(secret));
      expect((await refusal(withAssertion(hmac))).error).toBe('invalid_client');
    });

    it('refuses a secret from a private_key_jwt client', async () => {
      expect((await refusal(authenticate({ client_id: 'signer', client_secret: 'anything' }))).error).toBe('invalid_client');
    });
  });

  it('counts failures in the store every process shares: the failure over the limit is refused wherever it lands', async () => {
    env = await inMemoryCore({ OAUTH2_CLIENT_AUTHENTICATION_FAILURE_LIMIT: '3' });
    endpoint = `${env.config.urlsSelfIssuer}oauth2/token`;
    const { secret } = await addClient(env, 'basic');
    const { composeCore } = await import('../../core.composition');
    const otherWorker = composeCore(env.runtime).clientAuthenticator;
    const wrong = { authorization: basicAuthorization('basic', 'wrong'), source: '198.51.100.7' };
    await refusal(authenticate(wrong));
    await refusal(otherWorker.authenticate(wrong, endpoint));
    await refusal(authenticate(wrong));
    // The limit's fourth failure comes to the other worker, whose own view still says two: the store's count refuses it.
    expect((await refusal(otherWorker.authenticate(wrong, endpoint))).statusCode).toBe(429);
    // A different address is still served (the client's own limit is ten times the source's).
    await expect(authenticate({ authorization: basicAuthorization('basic', secret), source: '198.51.100.8' })).resolves.toMatchObject({ id: 'basic' });
  });
});
