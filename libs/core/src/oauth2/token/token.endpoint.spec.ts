import { inMemoryCore, InMemoryCore } from '../../testing/in-memory-core';
import { addClient, basicAuthorization } from '../../testing/oauth2-spec.fixtures';
import { TokenEndpointHandler, TokenRequest } from './token-endpoint.handler';
import { TokenEndpoint } from './token.endpoint';
import { refusal } from '../../testing/refusal';

/** RFC 6749 §3.2 and §5.2: how the token endpoint picks a grant and authenticates the client, as composeCore wires it. */
describe('TokenEndpoint', () => {
  let env: InMemoryCore;
  let secret: string;

  beforeEach(async () => {
    env = await inMemoryCore();
    ({ secret } = await addClient(env, 'service', { metadata: { grant_types: ['client_credentials'], scope: 'read' } }));
  });

  const exchange = (form: Record<string, unknown>, authorization?: string) => env.core.token.exchange(form, authorization, '192.0.2.1');

  it('runs the grant the client asked for once the client authenticated', async () => {
    await expect(exchange({ grant_type: 'client_credentials', scope: 'read' }, basicAuthorization('service', secret))).resolves.toMatchObject({
      token_type: 'bearer', scope: 'read',
    });
  });

  it('refuses a request without grant_type as invalid_request', async () => {
    expect((await refusal(exchange({}, basicAuthorization('service', secret)))).error).toBe('invalid_request');
  });

  it('answers unsupported_grant_type for a grant no handler serves, before any client authentication', async () => {
    for (const grantType of ['password', 'implicit', 'urn:ietf:params:oauth:grant-type:saml2-bearer']) {
      expect(await refusal(exchange({ grant_type: grantType }, basicAuthorization('service', 'wrong')))).toMatchObject({ error: 'unsupported_grant_type', statusCode: 400 });
    }
  });

  it('answers unauthorized_client for a grant the client did not register', async () => {
    expect(await refusal(exchange({ grant_type: 'refresh_token', refresh_token: 'x' }, basicAuthorization('service', secret)))).toMatchObject({
      error: 'unauthorized_client', statusCode: 400,
    });
  });

  it('answers invalid_client (401) for an unknown client, a wrong secret or missing credentials, whatever the grant', async () => {
    for (const [form, authorization] of [
      [{ grant_type: 'client_credentials' }, basicAuthorization('nobody', secret)],
      [{ grant_type: 'client_credentials' }, basicAuthorization('service', 'wrong')],
      [{ grant_type: 'client_credentials' }, undefined],
      // A wrong secret is invalid_client even for a grant the client may not use: nothing is told before authentication.
      [{ grant_type: 'refresh_token', refresh_token: 'x' }, basicAuthorization('service', 'wrong')],
    ] as const) {
      expect(await refusal(exchange(form, authorization))).toMatchObject({ error: 'invalid_client', statusCode: 401 });
    }
  });

  it('refuses a repeated parameter as invalid_request (RFC 6749 §3.2)', async () => {
    expect((await refusal(exchange({ grant_type: 'client_credentials', scope: ['read', 'read'] }, basicAuthorization('service', secret)))).error).toBe('invalid_request');
  });

  it('hands the grant the form without the client\'s credentials (its client_id stays: the token hook\'s payload may carry it)', async () => {
    const seen: TokenRequest[] = [];
    const recorder: TokenEndpointHandler = {
      canHandle: (grantType) => grantType === 'client_credentials',
      handle: async (request) => {
        seen.push(request);
        return { access_token: 'a', token_type: 'bearer', expires_in: 1, scope: '' };
      },
    };
    const { secret: postSecret } = await addClient(env, 'poster', { method: 'client_secret_post', metadata: { grant_types: ['client_credentials'] } });
    const endpoint = new TokenEndpoint([recorder], env.core.clientAuthenticator, `${env.config.urlsSelfIssuer}oauth2/token`);
    await endpoint.exchange({ grant_type: 'client_credentials', client_id: 'poster', client_secret: postSecret, scope: 'read' }, undefined);
    expect(seen).toHaveLength(1);
    expect(seen[0].params).toEqual({ grant_type: 'client_credentials', client_id: 'poster', scope: 'read' });
    expect(seen[0].client.id).toBe('poster');
  });

  it('counts failed authentications in the shared store: over OAUTH2_CLIENT_AUTHENTICATION_FAILURE_LIMIT the answer is 429', async () => {
    env = await inMemoryCore({ OAUTH2_CLIENT_AUTHENTICATION_FAILURE_LIMIT: '2' });
    ({ secret } = await addClient(env, 'service', { metadata: { grant_types: ['client_credentials'] } }));
    for (let i = 0; i < 2; i++) expect((await refusal(exchange({ grant_type: 'client_credentials' }, basicAuthorization('service', 'wrong')))).statusCode).toBe(401);
    expect(await refusal(exchange({ grant_type: 'client_credentials' }, basicAuthorization('service', secret)))).toMatchObject({ statusCode: 429 });
  });
});
