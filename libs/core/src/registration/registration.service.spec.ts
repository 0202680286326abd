import { ClientAuthenticator } from '../clients/authentication/client.authenticator';
import { withDefaults } from '../clients/client-metadata.validator';
import { Client } from '../clients/client.model';
import { ClientService, RegistrationAdmission } from '../clients/client.service';
import { loadConfig } from '../config/config.loader';
import { OAuth2Error } from '../errors';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { RegistrationService, RFC7591_REGISTRATION, HYDRA_V1_REGISTRATION } from './registration.service';

/** How registration counts its rate limit and hands the operator's policy to the client rules, with fakes. */

const client: Client = {
  id: 'c1',
  metadata: withDefaults({ redirect_uris: ['https://rp.example/cb'] }),
  secretHash: null,
  rotatedSecretHashes: [],
  registrationTokenHash: 'hash',
  application: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

function setup(options: { allowed?: boolean } = {}) {
  const buckets: string[] = [];
  const calls: string[] = [];
  const limiter = {
    consume: jest.fn(async (bucket: string) => {
      buckets.push(bucket);
      calls.push('limit');
      return options.allowed ?? true;
    }),
  };
  const clients = {
    create: jest.fn(async () => ({ client, issued: {} })),
    replace: jest.fn(async () => ({ client, issued: {} })),
    authenticateRegistration: jest.fn(async () => {
      calls.push('authenticate');
      return client;
    }),
  };
  const config = loadConfig({
    env: {
      SECRETS_SYSTEM: 'test-system-secret-0123456789',
      OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true',
      OIDC_DYNAMIC_CLIENT_REGISTRATION_DEFAULT_SCOPE: 'openid,email',
    },
  });
  const service = new RegistrationService(
    clients as unknown as ClientService,
    {} as ClientAuthenticator,
    limiter as unknown as RateLimiter,
    config,
  );
  return { service, buckets, calls, clients };
}

const token = { authorization: 'Bearer registration-token' };

describe('RegistrationService', () => {
  it('counts registrations from one IPv6 /64 in one bucket', async () => {
    const { service, buckets } = setup();
    await service.register(RFC7591_REGISTRATION, {}, '2001:db8:1:2::5');
    await service.register(HYDRA_V1_REGISTRATION, {}, '2001:db8:1:2:aaaa:bbbb:cccc:dddd');
    await service.register(RFC7591_REGISTRATION, {}, '2001:db8:1:3::5');
    expect(buckets).toEqual(['registration:2001:db8:1:2::/64', 'registration:2001:db8:1:2::/64', 'registration:2001:db8:1:3::/64']);
  });

  it('counts an IPv4 peer of a dual-stack socket as its IPv4 address', async () => {
    const { service, buckets } = setup();
    await service.register(RFC7591_REGISTRATION, {}, '::ffff:192.0.2.1');
    await service.register(RFC7591_REGISTRATION, {}, '192.0.2.1');
    expect(buckets).toEqual(['registration:192.0.2.1', 'registration:192.0.2.1']);
  });

  it('limits an update in a sibling bucket, before the credentials are checked', async () => {
    const { service, buckets, calls } = setup();
    await service.update(RFC7591_REGISTRATION, 'c1', {}, token, '2001:db8:1:2::5');
    expect(buckets).toEqual(['registration-update:2001:db8:1:2::/64']);
    expect(calls).toEqual(['limit', 'authenticate']);
  });

  it('answers 429 to an update over the limit, and neither authenticates nor changes anything', async () => {
    const { service, calls, clients } = setup({ allowed: false });
    const refused = await service.update(RFC7591_REGISTRATION, 'c1', {}, token, '192.0.2.1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OAuth2Error);
    expect((refused as OAuth2Error).statusCode).toBe(429);
    expect(calls).toEqual(['limit']);
    expect(clients.replace).not.toHaveBeenCalled();
  });

  it('hands the registration policy to create and replace', async () => {
    const { service, clients } = setup();
    await service.register(RFC7591_REGISTRATION, { scope: 'openid' }, '192.0.2.1');
    await service.update(RFC7591_REGISTRATION, 'c1', { scope: 'openid' }, token, '192.0.2.1');
    const admitOf = (call: unknown[]) => (call[1] as { admit: RegistrationAdmission }).admit;
    const created = clients.create.mock.calls[0] as unknown[];
    const replaced = clients.replace.mock.calls[0] as unknown[];
    const asked = withDefaults({ grant_types: ['client_credentials'] });
    expect(() => admitOf(created)(asked)).toThrow(/client_credentials/);
    expect(() => admitOf(replaced.slice(1))(asked)).toThrow(/client_credentials/);
  });

  it('gives the configured default scope to a registration and to an update that ask for none', async () => {
    const { service, clients } = setup();
    await service.register(RFC7591_REGISTRATION, {}, '192.0.2.1');
    await service.update(RFC7591_REGISTRATION, 'c1', { scope: null }, token, '192.0.2.1');
    expect((clients.create.mock.calls[0] as unknown[])[0]).toEqual({ scope: 'openid email' });
    expect((clients.replace.mock.calls[0] as unknown[])[1]).toEqual({ scope: 'openid email' });
  });
});
