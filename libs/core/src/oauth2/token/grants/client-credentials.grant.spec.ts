import { Client } from '../../../clients/client.model';
import { inMemoryCore, InMemoryCore } from '../../../testing/in-memory-core';
import { addClient, API_AUDIENCE, specGrants } from '../../../testing/oauth2-spec.fixtures';
import { refusal } from '../../../testing/refusal';

/** RFC 6749 §4.4 against in-memory stores and the real issuer. */
describe('ClientCredentialsGrant', () => {
  let env: InMemoryCore;
  let grants: ReturnType<typeof specGrants>;
  let client: Client;

  beforeEach(async () => {
    env = await inMemoryCore();
    grants = specGrants(env);
    ({ client } = await addClient(env, 'service', { metadata: { scope: 'read write photos.*' } }));
  });

  const ask = (params: Record<string, string>, as: Client = client) => grants.clientCredentials.handle({ grantType: 'client_credentials', client: as, params });

  it('answers an access token for the client itself, with no refresh token (§4.4.3), and stores it', async () => {
    const response = await ask({ scope: 'read', audience: API_AUDIENCE });
    expect(response).toEqual({ access_token: expect.stringMatching(/^hy_at_/), token_type: 'bearer', expires_in: 3600, scope: 'read' });
    expect(await env.core.introspection.introspect(response.access_token)).toMatchObject({
      active: true, sub: 'service', client_id: 'service', scope: 'read', aud: [API_AUDIENCE], token_use: 'access_token',
    });
  });

  it('grants no scope when none is asked for', async () => {
    expect((await ask({})).scope).toBe('');
  });

  it('refuses a public client as unauthorized_client, and stores nothing', async () => {
    const { client: spa } = await addClient(env, 'spa', { method: 'none' });
    expect((await refusal(ask({}, spa))).error).toBe('unauthorized_client');
    expect(env.stores.tokens.all()).toEqual([]);
  });

  it('refuses a scope the client did not register as invalid_scope', async () => {
    expect(await refusal(ask({ scope: 'read admin' }))).toMatchObject({ error: 'invalid_scope', hint: expect.stringMatching(/"admin"/) });
  });

  it('allows a scope under a registered wildcard with STRATEGIES_SCOPE=wildcard (the default), and not with exact', async () => {
    expect((await ask({ scope: 'photos.read' })).scope).toBe('photos.read');
    const exact = await inMemoryCore({ STRATEGIES_SCOPE: 'exact' });
    const { client: strict } = await addClient(exact, 'service', { metadata: { scope: 'photos.*' } });
    expect((await refusal(specGrants(exact).clientCredentials.handle({ grantType: 'client_credentials', client: strict, params: { scope: 'photos.read' } }))).error).toBe('invalid_scope');
  });

  it('refuses an audience the client did not register', async () => {
    expect(await refusal(ask({ audience: 'https://elsewhere.example/' }))).toMatchObject({ error: 'invalid_request', hint: expect.stringMatching(/audience/) });
  });

  it('takes the lifespan from client_credentials_grant_access_token_lifespan, else TTL_ACCESS_TOKEN', async () => {
    const { client: short } = await addClient(env, 'short', { metadata: { client_credentials_grant_access_token_lifespan: '5m' } });
    expect((await ask({}, short)).expires_in).toBe(300);
    const configured = await inMemoryCore({ TTL_ACCESS_TOKEN: '10m' });
    const { client: plain } = await addClient(configured, 'plain');
    expect((await specGrants(configured).clientCredentials.handle({ grantType: 'client_credentials', client: plain, params: {} })).expires_in).toBe(600);
  });

  it('answers a JWT access token (RFC 9068) to a client whose strategy is jwt, recorded so that it can be revoked', async () => {
    const { client: jwtClient } = await addClient(env, 'jwt-service', { metadata: { access_token_strategy: 'jwt', scope: 'read' } });
    const response = await ask({ scope: 'read' }, jwtClient);
    expect(response.access_token.split('.')).toHaveLength(3);
    expect(await env.core.introspection.introspect(response.access_token)).toMatchObject({ active: true, client_id: 'jwt-service' });
    await env.core.revocation.revokeFor(jwtClient, response.access_token);
    expect(await env.core.introspection.introspect(response.access_token)).toEqual({ active: false });
  });

  it('answers invalid_client when the client was deleted while its request was in flight', async () => {
    await env.stores.clients.delete('service');
    expect((await refusal(ask({ scope: 'read' }))).error).toBe('invalid_client');
  });
});
