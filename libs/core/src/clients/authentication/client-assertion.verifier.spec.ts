import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { OAuth2Error } from '../../errors';
import { OutboundFetchError } from '../../http/outbound/outbound-fetch.error';
import { OutboundHttpClient } from '../../http/outbound/outbound-http.client';
import { RemoteKeySetCache } from '../../http/outbound/remote-key-set.cache';
import { defaultMetadata } from '../client.metadata';
import { Client } from '../client.model';
import { ClientAssertionJtiStore } from './client-assertion-jti.store';
import { ClientAssertionVerifier } from './client-assertion.verifier';

const ISSUER = 'https://issuer.example/';
const TOKEN_ENDPOINT = 'https://issuer.example/oauth2/token';
const REVOCATION_ENDPOINT = 'https://issuer.example/oauth2/revoke';

describe('ClientAssertionVerifier', () => {
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let client: Client;
  const jtis = { remember: async () => true } as unknown as ClientAssertionJtiStore;
  const unreachable = new RemoteKeySetCache({
    getJson: async () => {
      throw new OutboundFetchError('connect ECONNREFUSED 10.0.0.7:443');
    },
  } as unknown as OutboundHttpClient);
  const verifier = new ClientAssertionVerifier(jtis, unreachable, ISSUER, TOKEN_ENDPOINT);

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const now = new Date();
    client = {
      id: 'pk-client',
      metadata: { ...defaultMetadata(), token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256', jwks: { keys: [await exportJWK(pair.publicKey)] } },
      secretHash: null,
      rotatedSecretHashes: [],
      registrationTokenHash: null,
      application: null,
      createdAt: now,
      updatedAt: now,
    };
  });

  async function assertion(claims: JWTPayload): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const all: JWTPayload = { iss: client.id, sub: client.id, aud: TOKEN_ENDPOINT, iat: now, exp: now + 300, jti: randomUUID(), ...claims };
    return new SignJWT(all).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
  }

  async function refusal(promise: Promise<unknown>): Promise<OAuth2Error> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OAuth2Error);
    expect((error as OAuth2Error).error).toBe('invalid_client');
    return error as OAuth2Error;
  }

  it('accepts one audience: the token endpoint, the issuer with or without its slash, the endpoint called, or a list of exactly one', async () => {
    for (const aud of [TOKEN_ENDPOINT, ISSUER, ISSUER.replace(/\/$/, ''), [TOKEN_ENDPOINT]]) {
      await verifier.verify(client, await assertion({ aud }), TOKEN_ENDPOINT);
    }
    await verifier.verify(client, await assertion({ aud: REVOCATION_ENDPOINT }), REVOCATION_ENDPOINT);
  });

  it('refuses several audiences, even when one of them is ours (audience injection)', async () => {
    for (const aud of [['https://evil.example/', TOKEN_ENDPOINT], [TOKEN_ENDPOINT, ISSUER], [TOKEN_ENDPOINT, TOKEN_ENDPOINT]]) {
      expect((await refusal(verifier.verify(client, await assertion({ aud }), TOKEN_ENDPOINT))).hint).toMatch(/one audience/);
    }
    await refusal(verifier.verify(client, await assertion({ aud: REVOCATION_ENDPOINT }), TOKEN_ENDPOINT));
  });

  it('refuses an iat in the future beyond 5 seconds, and accepts one within them', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await refusal(verifier.verify(client, await assertion({ iat: now + 86_400 }), TOKEN_ENDPOINT))).hint).toMatch(/iat/);
    expect((await refusal(verifier.verify(client, await assertion({ iat: now + 30 }), TOKEN_ENDPOINT))).hint).toMatch(/iat/);
    await verifier.verify(client, await assertion({ iat: now + 3 }), TOKEN_ENDPOINT);
    await verifier.verify(client, await assertion({ iat: undefined }), TOKEN_ENDPOINT);
  });

  it('answers one hint when the jwks_uri cannot be fetched, with the detail only in debug', async () => {
    const remote: Client = { ...client, metadata: { ...client.metadata, jwks: null, jwks_uri: 'https://10.0.0.7/jwks' } };
    const error = await refusal(verifier.verify(remote, await assertion({}), TOKEN_ENDPOINT));
    expect(error.hint).toBe('The client\'s jwks_uri could not be fetched.');
    expect(error.debug).toMatch(/ECONNREFUSED/);
  });
});
