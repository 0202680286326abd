import { ClientAuthenticator, ClientCredentials } from '../../clients/authentication/client.authenticator';
import { defaultMetadata, TokenEndpointAuthMethod } from '../../clients/client.metadata';
import { Client } from '../../clients/client.model';
import { HydrantConfig } from '../../config/hydrant.config';
import { Errors, OAuth2Error } from '../../errors';
import { TokenRecord } from '../../tokens/token.model';
import { ClientStore } from '../../clients/client.store';
import { FlowStore } from '../../flows/flow.store';
import { TokenResolver } from '../../tokens/token.resolver';
import { IntrospectionService } from './introspection.service';

const HOUR = 3600_000;

function client(id: string, method: TokenEndpointAuthMethod = 'client_secret_basic'): Client {
  return {
    id, metadata: { ...defaultMetadata(), token_endpoint_auth_method: method }, secretHash: null, rotatedSecretHashes: [],
    registrationTokenHash: null, application: null, createdAt: new Date(), updatedAt: new Date(),
  };
}

function record(overrides: Partial<TokenRecord>): TokenRecord {
  const now = Date.now();
  return {
    signature: 'sig', kind: 'access_token', requestId: 'req', clientId: 'owner', subject: 'alice', scopes: ['read'], audience: [],
    issuedAt: new Date(now - HOUR), expiresAt: new Date(now + HOUR), active: true, ext: {}, ...overrides,
  };
}

describe('IntrospectionService (RFC 7662)', () => {
  const tokens = new Map<string, TokenRecord>([
    ['access', record({})],
    ['refresh', record({ kind: 'refresh_token', signature: 'rt' })],
    ['expired', record({ expiresAt: new Date(Date.now() - 1000) })],
    ['revoked', record({ active: false })],
    ['pat', record({ kind: 'personal_access_token', clientId: '', subject: 'bob', scopes: ['repo'] })],
  ]);
  const clients = new Map([['owner', client('owner')], ['other', client('other')], ['spa', client('spa', 'none')]]);
  const authenticator = {
    // The credentials name the client; a wrong secret is the test's "wrong".
    authenticate: async (c: ClientCredentials) => {
      const found = clients.get(c.client_id ?? '');
      if (!found || c.client_secret === 'wrong') throw Errors.invalidClient();
      return found;
    },
  } as unknown as ClientAuthenticator;
  const service = new IntrospectionService(
    { resolve: async (token: string) => tokens.get(token) ?? null } as unknown as TokenResolver,
    authenticator,
    { findForAuthentication: async (id: string) => clients.get(id) ?? null } as unknown as ClientStore,
    { findById: async () => null } as unknown as FlowStore,
    { strategiesScope: 'exact', urlsSelfIssuer: 'https://issuer.example/', oidcSubjectIdentifiersSupportedTypes: ['public'] } as unknown as HydrantConfig,
    'https://issuer.example/oauth2/introspect',
  );
  const asClient = (clientId: string, token: string, extra: Record<string, string> = {}) =>
    service.introspectForClient({ token, client_id: clientId, client_secret: 's', ...extra }, undefined);

  it('answers an active access token with its claims, to any authenticated client', async () => {
    for (const caller of ['owner', 'other']) {
      expect(await asClient(caller, 'access')).toMatchObject({
        active: true, client_id: 'owner', sub: 'alice', scope: 'read', token_type: 'Bearer', token_use: 'access_token', iss: 'https://issuer.example/',
      });
    }
  });

  it('shows a refresh token only to the client it was issued to (the admin port sees every one)', async () => {
    expect(await asClient('owner', 'refresh')).toMatchObject({ active: true, token_use: 'refresh_token' });
    expect(await asClient('other', 'refresh')).toEqual({ active: false });
    expect(await service.introspectRequest({ token: 'refresh' })).toMatchObject({ active: true, client_id: 'owner' });
  });

  it('answers a personal access token as its subject\'s, without a client', async () => {
    const answer = await asClient('other', 'pat');
    expect(answer).toMatchObject({ active: true, sub: 'bob', scope: 'repo', token_use: 'personal_access_token' });
    expect(answer).not.toHaveProperty('client_id');
  });

  it('answers {active:false} for expired, revoked and unknown tokens, and for a scope the token lacks', async () => {
    for (const token of ['expired', 'revoked', 'nonsense']) expect(await asClient('owner', token)).toEqual({ active: false });
    expect(await asClient('owner', 'access', { scope: 'write' })).toEqual({ active: false });
    expect(await asClient('owner', 'access', { scope: 'read' })).toMatchObject({ active: true });
  });

  it('authenticates the caller before anything else: wrong credentials and public clients are invalid_client', async () => {
    for (const attempt of [asClient('owner', 'access', { client_secret: 'wrong' }), asClient('spa', 'access'), asClient('nobody', 'missing-token-too')]) {
      const error = await attempt.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(OAuth2Error);
      expect(error).toMatchObject({ error: 'invalid_client', statusCode: 401 });
    }
  });

  it('refuses a request without a token, or with a repeated one, as invalid_request', async () => {
    await expect(service.introspectForClient({ client_id: 'owner', client_secret: 's' }, undefined)).rejects.toMatchObject({ error: 'invalid_request' });
    await expect(service.introspectForClient({ client_id: 'owner', client_secret: 's', token: ['a', 'b'] }, undefined)).rejects.toMatchObject({ error: 'invalid_request' });
    await expect(service.introspectRequest({ token: 'x'.repeat(8193) })).rejects.toMatchObject({ error: 'invalid_request' });
  });
});
