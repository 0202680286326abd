import { OAuth2Error } from '../../errors';
import { defaultApplicationSettings } from '../application-settings.model';
import { defaultMetadata, TokenEndpointAuthMethod } from '../client.metadata';
import { Client } from '../client.model';
import { ClientRepository } from '../client.repository';
import { ClientService } from '../client.service';
import { ClientAssertionVerifier } from './client-assertion.verifier';
import { ClientAuthenticator } from './client.authenticator';

const SECRET = 'the-right-secret';
const ENDPOINT = 'https://issuer.example/oauth2/token';

function client(id: string, method: TokenEndpointAuthMethod, application = false): Client {
  const now = new Date();
  return {
    id,
    metadata: { ...defaultMetadata(), token_endpoint_auth_method: method },
    secretHash: method.startsWith('client_secret') ? 'hash' : null,
    rotatedSecretHashes: [],
    registrationTokenHash: null,
    application: application ? defaultApplicationSettings(id) : null,
    createdAt: now,
    updatedAt: now,
  };
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('ClientAuthenticator', () => {
  const clients = new Map<string, Client>([
    ['basic-client', client('basic-client', 'client_secret_basic')],
    ['post-client', client('post-client', 'client_secret_post')],
    ['public-client', client('public-client', 'none')],
    ['fluxer-app', client('fluxer-app', 'client_secret_basic', true)],
  ]);
  const authenticator = new ClientAuthenticator(
    { findForAuthentication: async (id: string) => clients.get(id) ?? null } as unknown as ClientRepository,
    { verifySecret: async (_c: Client, secret: string) => secret === SECRET } as unknown as ClientService,
    { claimedClientId: () => undefined, verify: async () => undefined } as unknown as ClientAssertionVerifier,
  );

  async function refusal(promise: Promise<unknown>): Promise<OAuth2Error> {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(OAuth2Error);
    return error as OAuth2Error;
  }

  describe('a Hydra client: only the method it registered (RFC 6749 §2.3, as Hydra enforces)', () => {
    it('accepts its registered method with the right secret', async () => {
      await expect(authenticator.authenticate({ authorization: basic('basic-client', SECRET) }, ENDPOINT)).resolves.toMatchObject({ id: 'basic-client' });
      await expect(authenticator.authenticate({ client_id: 'post-client', client_secret: SECRET }, ENDPOINT)).resolves.toMatchObject({ id: 'post-client' });
      await expect(authenticator.authenticate({ client_id: 'public-client' }, ENDPOINT)).resolves.toMatchObject({ id: 'public-client' });
    });

    it('refuses the other secret method, even with the right secret', async () => {
      const post = await refusal(authenticator.authenticate({ client_id: 'basic-client', client_secret: SECRET }, ENDPOINT));
      expect(post).toMatchObject({ error: 'invalid_client', statusCode: 401 });
      const viaHeader = await refusal(authenticator.authenticate({ authorization: basic('post-client', SECRET) }, ENDPOINT));
      expect(viaHeader).toMatchObject({ error: 'invalid_client', statusCode: 401 });
    });

    it('refuses a wrong secret and an unknown client alike', async () => {
      const wrong = await refusal(authenticator.authenticate({ authorization: basic('basic-client', 'wrong') }, ENDPOINT));
      const unknown = await refusal(authenticator.authenticate({ authorization: basic('nobody', SECRET) }, ENDPOINT));
      expect(wrong.fullDescription).toBe(unknown.fullDescription);
    });
  });

  describe('a Fluxer application: its secret in the header or in the body, as Fluxer documents', () => {
    it('accepts both secret methods', async () => {
      await expect(authenticator.authenticate({ authorization: basic('fluxer-app', SECRET) }, ENDPOINT)).resolves.toMatchObject({ id: 'fluxer-app' });
      await expect(authenticator.authenticate({ client_id: 'fluxer-app', client_secret: SECRET }, ENDPOINT)).resolves.toMatchObject({ id: 'fluxer-app' });
    });

    it('still needs the right secret, and never takes a bare client_id', async () => {
      expect(await refusal(authenticator.authenticate({ client_id: 'fluxer-app', client_secret: 'wrong' }, ENDPOINT))).toMatchObject({ error: 'invalid_client' });
      expect(await refusal(authenticator.authenticate({ client_id: 'fluxer-app' }, ENDPOINT))).toMatchObject({ error: 'invalid_client' });
    });

    it('refuses both at once', async () => {
      const both = await refusal(authenticator.authenticate({ authorization: basic('fluxer-app', SECRET), client_secret: SECRET }, ENDPOINT));
      expect(both.error).toBe('invalid_request');
    });
  });
});
