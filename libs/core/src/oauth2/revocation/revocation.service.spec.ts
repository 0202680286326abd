import { Client } from '../../clients/client.model';
import { Flow } from '../../flows/flow.model';
import { inMemoryCore, InMemoryCore } from '../../testing/in-memory-core';
import { addClient, addConsentSession, basicAuthorization, issueCode, specGrants } from '../../testing/oauth2-spec.fixtures';
import { TokenResponse } from '../token/token-endpoint.handler';
import { refusal } from '../../testing/refusal';

/** Token revocation (RFC 7009) over the stores, on tokens a real code redemption and refresh issued. */
describe('RevocationService', () => {
  let env: InMemoryCore;
  let client: Client;
  let secret: string;
  let flow: Flow;
  let issued: TokenResponse;
  let refreshed: TokenResponse;

  beforeEach(async () => {
    env = await inMemoryCore();
    const grants = specGrants(env);
    ({ client, secret } = await addClient(env, 'app'));
    flow = await addConsentSession(env, client);
    issued = await grants.authorizationCode.handle({ grantType: 'authorization_code', client, params: { code: await issueCode(env, flow), redirect_uri: flow.request.redirectUri } });
    refreshed = await grants.refreshToken.handle({ grantType: 'refresh_token', client, params: { refresh_token: issued.refresh_token! } });
  });

  const revoke = (form: Record<string, string>, id = 'app', key = secret) => env.core.revocation.revoke(form, basicAuthorization(id, key), '192.0.2.1');
  const active = async (token: string) => (await env.core.introspection.introspect(token)).active;

  it('revokes an access token alone; the refresh token of its grant keeps working', async () => {
    await revoke({ token: refreshed.access_token });
    expect(await active(refreshed.access_token)).toBe(false);
    expect(await active(refreshed.refresh_token!)).toBe(true);
  });

  it('revokes a refresh token with its whole chain: every access and refresh token of the consent session', async () => {
    await revoke({ token: refreshed.refresh_token! });
    expect(env.stores.tokens.all().filter((t) => t.requestId === flow.id && t.active)).toEqual([]);
    const again = specGrants(env).refreshToken.handle({ grantType: 'refresh_token', client, params: { refresh_token: refreshed.refresh_token! } });
    expect((await refusal(again)).error).toBe('invalid_grant');
  });

  it('does not trust token_type_hint (§2.1): a refresh token hinted as an access token still revokes its chain', async () => {
    await revoke({ token: refreshed.refresh_token!, token_type_hint: 'access_token' });
    expect(await active(refreshed.access_token)).toBe(false);
    await revoke({ token: issued.access_token, token_type_hint: 'refresh_token' });
    expect(await active(issued.access_token)).toBe(false);
  });

  it('answers success for an unknown, forged or already revoked token (§2.2)', async () => {
    await revoke({ token: refreshed.access_token });
    for (const token of ['nonsense', env.core.opaqueCodec.mint('access_token').token, refreshed.access_token]) await expect(revoke({ token })).resolves.toBeUndefined();
  });

  it('refuses a token issued to another client, and leaves it active', async () => {
    const { secret: otherSecret } = await addClient(env, 'other');
    expect(await refusal(revoke({ token: refreshed.refresh_token! }, 'other', otherSecret))).toMatchObject({ error: 'unauthorized_client' });
    expect(await active(refreshed.refresh_token!)).toBe(true);
    expect(await active(refreshed.access_token)).toBe(true);
  });

  it('authenticates the client first: a wrong secret is invalid_client and revokes nothing', async () => {
    expect(await refusal(revoke({ token: refreshed.refresh_token! }, 'app', 'wrong'))).toMatchObject({ error: 'invalid_client', statusCode: 401 });
    expect(await active(refreshed.refresh_token!)).toBe(true);
  });

  it('lets a public client revoke its own tokens with its client_id', async () => {
    const { client: spa } = await addClient(env, 'spa', { method: 'none' });
    const session = await addConsentSession(env, spa, { scopes: ['offline_access'] });
    const own = await specGrants(env).authorizationCode.handle({ grantType: 'authorization_code', client: spa, params: { code: await issueCode(env, session), redirect_uri: session.request.redirectUri } });
    await env.core.revocation.revoke({ token: own.refresh_token!, client_id: 'spa' }, undefined);
    expect(await active(own.access_token)).toBe(false);
  });

  it('refuses a request without a token as invalid_request', async () => {
    expect((await refusal(revoke({}))).error).toBe('invalid_request');
  });

  it('deletes every token of a client for the admin API, and answers how many', async () => {
    expect(await env.core.revocation.deleteClientTokens('app')).toBe(4);
    expect(await env.core.revocation.deleteClientTokens('app')).toBe(0);
  });
});
