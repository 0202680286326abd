import type { Stores } from '../stores';
import { InMemoryAuthorizationCodeStore } from './in-memory-authorization-code.store';
import { InMemoryClientAssertionJtiStore } from './in-memory-client-assertion-jti.store';
import { InMemoryClientStore } from './in-memory-client.store';
import { InMemoryDeviceRequestStore } from './in-memory-device-request.store';
import { InMemoryFlowStore } from './in-memory-flow.store';
import { InMemoryJwkStore } from './in-memory-jwk.store';
import { InMemoryLoginSessionStore } from './in-memory-login-session.store';
import { InMemoryLogoutRequestStore } from './in-memory-logout-request.store';
import { InMemoryPersonalAccessTokenStore } from './in-memory-personal-access-token.store';
import { InMemoryRateLimitStore } from './in-memory-rate-limit.store';
import { InMemorySettingStore } from './in-memory-setting.store';
import { InMemoryTokenStore } from './in-memory-token.store';
import { InMemoryTrustedIssuerStore } from './in-memory-trusted-issuer.store';

/** Every store in memory, typed as the fakes so that specs reach their inspection helpers. */
export interface InMemoryStores extends Stores {
  clients: InMemoryClientStore;
  jtis: InMemoryClientAssertionJtiStore;
  tokens: InMemoryTokenStore;
  codes: InMemoryAuthorizationCodeStore;
  pats: InMemoryPersonalAccessTokenStore;
  flows: InMemoryFlowStore;
  loginSessions: InMemoryLoginSessionStore;
  logoutRequests: InMemoryLogoutRequestStore;
  jwks: InMemoryJwkStore;
  rateLimits: InMemoryRateLimitStore;
  settings: InMemorySettingStore;
  trustedIssuers: InMemoryTrustedIssuerStore;
  deviceRequests: InMemoryDeviceRequestStore;
}

/**
 * One of each store without a database, as openStores builds them on one: tokens, codes and flows keep
 * their foreign key to the client, and deleting a client deletes them (ON DELETE CASCADE).
 */
export function inMemoryStores(): InMemoryStores {
  const clients = new InMemoryClientStore();
  const clientExists = (id: string) => clients.has(id);
  const tokens = new InMemoryTokenStore(clientExists);
  const codes = new InMemoryAuthorizationCodeStore(clientExists);
  const flows = new InMemoryFlowStore(clientExists);
  const deviceRequests = new InMemoryDeviceRequestStore();
  for (const store of [tokens, codes, flows, deviceRequests]) clients.onDelete((id) => store.cascadeClientDeletion(id));
  return {
    clients,
    jtis: new InMemoryClientAssertionJtiStore(),
    tokens,
    codes,
    pats: new InMemoryPersonalAccessTokenStore(),
    flows,
    loginSessions: new InMemoryLoginSessionStore(),
    logoutRequests: new InMemoryLogoutRequestStore(),
    jwks: new InMemoryJwkStore(),
    rateLimits: new InMemoryRateLimitStore(),
    settings: new InMemorySettingStore(),
    trustedIssuers: new InMemoryTrustedIssuerStore(),
    deviceRequests,
  };
}
