import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, JWK, JWTPayload, SignJWT } from 'jose';
import { Client } from '../../../clients/client.model';
import { inMemoryCore, InMemoryCore, SPEC_ISSUER } from '../../../testing/in-memory-core';
import { addClient } from '../../../testing/oauth2-spec.fixtures';
import { JWT_BEARER_GRANT, JwtBearerGrant } from './jwt-bearer.grant';
import { refusal } from '../../../testing/refusal';

const ISSUER = 'https://workload.example';
const TOKEN_ENDPOINT = `${SPEC_ISSUER}oauth2/token`;
const HOUR = 3600_000;

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

/**
 * The JWT bearer grant (RFC 7523 §2.1) and the trust API behind it, on in-memory stores with the real
 * verifier: which trust verifies an assertion, what a refusal leaves unspent, and jtis under concurrency.
 * test/jwt-bearer.e2e-spec.ts pins the HTTP shapes and every refusal on both databases.
 */
describe('JwtBearerGrant over the stores', () => {
  let env: InMemoryCore;
  let grant: JwtBearerGrant;
  let client: Client;
  let keys: KeyPair;

  async function trust(body: Record<string, unknown> = {}, pair: KeyPair = keys, kid = 'k1') {
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid };
    return env.core.trustedIssuerService.create({
      issuer: ISSUER, subject: 'svc-a', scope: ['read'], jwk, expires_at: new Date(Date.now() + HOUR).toISOString(), ...body,
    });
  }

  /** An assertion of svc-a signed by `pair`; `kid` null leaves the header without one. */
  function assertion(claims: JWTPayload = {}, pair: KeyPair = keys, kid: string | null = 'k1'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: ISSUER, sub: 'svc-a', aud: TOKEN_ENDPOINT, iat: now, exp: now + 300, jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'ES256', ...(kid ? { kid } : {}) })
      .sign(pair.privateKey);
  }

  const redeem = (jwt: string, scope?: string) =>
    grant.handle({ grantType: JWT_BEARER_GRANT, client, params: { assertion: jwt, ...(scope ? { scope } : {}) } });

  beforeEach(async () => {
    env = await inMemoryCore();
    grant = new JwtBearerGrant(env.core.jwtBearerAssertions, env.core.accessTokenIssuer, env.stores.tokens, env.core.tokenHook, env.config);
    ({ client } = await addClient(env, 'workload', { metadata: { grant_types: [JWT_BEARER_GRANT], scope: 'read write' } }));
    keys = await generateKeyPair('ES256');
  });

  it('answers an access token for the asserted subject, and nothing else', async () => {
    await trust();
    const answer = await redeem(await assertion(), 'read');
    expect(answer).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600, scope: 'read' });
    const info = await env.core.introspection.introspect(answer.access_token);
    expect(info).toMatchObject({ active: true, sub: 'svc-a', client_id: 'workload', scope: 'read' });
  });

  it('verifies with the trust that names the assertion\'s kid, or with any live trust of the subject when it names none', async () => {
    const other = await generateKeyPair('ES256');
    await trust();
    await trust({}, other, 'k2');
    await expect(redeem(await assertion({}, other, 'k2'))).resolves.toMatchObject({ token_type: 'bearer' });
    await expect(redeem(await assertion({}, other, null))).resolves.toMatchObject({ token_type: 'bearer' });
    expect((await refusal(redeem(await assertion({}, other, 'k1')))).error).toBe('invalid_grant');
  });

  it('refuses a scope the trust does not give as invalid_scope, and leaves the jti unspent', async () => {
    await trust();
    const jwt = await assertion();
    expect((await refusal(redeem(jwt, 'write'))).error).toBe('invalid_scope');
    await expect(redeem(jwt, 'read')).resolves.toMatchObject({ scope: 'read' });
  });

  it('of two requests with one jti at once, answers exactly one; the other is jti_known', async () => {
    await trust();
    const jwt = await assertion();
    const outcomes = await Promise.allSettled([redeem(jwt), redeem(jwt)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ error: 'jti_known' });
  });

  it('refuses an expired trust, and a subject another trust of the issuer is for', async () => {
    await trust({ subject: 'svc-b' });
    expect((await refusal(redeem(await assertion()))).hint).toMatch(/svc-a/);
    await trust();
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 2 * HOUR);
    try {
      expect((await refusal(redeem(await assertion({ iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 })))).hint).toMatch(/expired/);
    } finally {
      jest.restoreAllMocks();
    }
  });
});

describe('TrustedIssuerService', () => {
  let env: InMemoryCore;

  beforeEach(async () => {
    env = await inMemoryCore();
  });

  const request = async (kid: string, subject: string, pair?: KeyPair) => ({
    issuer: ISSUER,
    subject,
    scope: ['read'],
    jwk: { ...(await exportJWK((pair ?? (await generateKeyPair('ES256'))).publicKey)), kid },
    expires_at: new Date(Date.now() + HOUR).toISOString(),
  });

  it('keeps the public key in the issuer\'s set, shared by trusts that name the same key, until the last of them goes', async () => {
    const pair = await generateKeyPair('ES256');
    const first = await env.core.trustedIssuerService.create(await request('shared', 'svc-a', pair));
    const second = await env.core.trustedIssuerService.create(await request('shared', 'svc-b', pair));
    expect(await env.stores.jwks.findKey(ISSUER, 'shared')).toMatchObject({ alg: 'ES256', privateJwkJwe: null });
    await env.core.trustedIssuerService.delete(first.id);
    expect(await env.stores.jwks.findKey(ISSUER, 'shared')).not.toBeNull();
    await env.core.trustedIssuerService.delete(second.id);
    expect(await env.stores.jwks.findKey(ISSUER, 'shared')).toBeNull();
  });

  it('refuses another key under a kid the issuer has, as a conflict, and writes nothing', async () => {
    await env.core.trustedIssuerService.create(await request('k1', 'svc-a'));
    const thrown = await refusal(env.core.trustedIssuerService.create(await request('k1', 'svc-b')));
    expect(thrown.statusCode).toBe(409);
    expect(await env.stores.trustedIssuers.find({ limit: 10 })).toHaveLength(1);
  });

  it('refuses a scope that is not a scope token', async () => {
    const body = { ...(await request('k1', 'svc-a')), scope: ['two words'] };
    expect((await refusal(env.core.trustedIssuerService.create(body))).error).toBe('invalid_request');
  });
});
