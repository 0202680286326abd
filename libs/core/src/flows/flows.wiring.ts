import type { HydrantRuntime } from '../runtime';
import type { Stores } from '../stores';
import { ConsentRequestService } from './consent-request.service';
import { LegacyConsentService } from './legacy-consent.service';
import { LoginRequestService } from './login-request.service';
import { LogoutRequestService } from './logout-request.service';
import { SessionLogoutNotices } from './session-logout.notices';
import { SessionService } from './session.service';

/** The challenge API's login, consent (v2 and v0) and logout requests, and sessions. */
export function wireFlows(runtime: HydrantRuntime, stores: Stores, oidc: { logoutNotifier: SessionLogoutNotices }) {
  const { config } = runtime;
  const consentRequests = new ConsentRequestService(stores.flows, stores.clients, config);
  return {
    consentRequests,
    loginRequests: new LoginRequestService(stores.flows, stores.loginSessions, stores.clients),
    legacyConsents: new LegacyConsentService(consentRequests, config.secretsSystem),
    logoutRequests: new LogoutRequestService(stores.logoutRequests, stores.clients, config),
    sessions: new SessionService(stores.flows, stores.loginSessions, stores.tokens, stores.clients, runtime.transactions, oidc.logoutNotifier),
  };
}
