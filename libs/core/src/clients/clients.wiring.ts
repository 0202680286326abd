import type { HydrantRuntime } from '../runtime';
import { issuerBase, publicEndpoint } from '../config/urls';
import type { Stores } from '../stores';
import { ClientAuthenticationLimiter } from '../rate-limit/client-authentication.limiter';
import { RateLimiter } from '../rate-limit/rate-limiter';
import { ClientAssertionVerifier } from './authentication/client-assertion.verifier';
import { ClientAuthenticator } from './authentication/client.authenticator';
import { ClientSecretHasher } from './client-secret.hasher';
import { ClientService } from './client.service';
import { SectorIdentifierVerifier } from './sector-identifier.verifier';

/** The clients' objects: management, secrets, sector documents and client authentication. */
export function wireClients(runtime: HydrantRuntime, stores: Stores) {
  const { config } = runtime;
  const hasher = new ClientSecretHasher();
  const sectorIdentifierVerifier = new SectorIdentifierVerifier(runtime.outbound);
  const clientAssertionVerifier = new ClientAssertionVerifier(stores.jtis, runtime.remoteKeySets, issuerBase(config), publicEndpoint(config, 'oauth2/token'));
  const failures = new ClientAuthenticationLimiter(new RateLimiter(stores.rateLimits), config.oauth2ClientAuthenticationFailureLimit, config.oauth2ClientAuthenticationFailureWindow);
  return {
    hasher,
    sectorIdentifierVerifier,
    clientAssertionVerifier,
    clientService: new ClientService(stores.clients, hasher, runtime.transactions, config, sectorIdentifierVerifier),
    clientAuthenticator: new ClientAuthenticator(stores.clients, hasher, clientAssertionVerifier, failures),
  };
}
