import { Client } from '../clients/client.model';
import { presentClient } from '../clients/client.presenter';
import { Flow } from './flow.model';

/** The OIDC context of a login or consent request (Hydra's OAuth2ConsentRequestOpenIDConnectContext). */
function oidcContext(flow: Flow): Record<string, unknown> {
  const r = flow.request;
  return {
    acr_values: r.acrValues,
    display: r.display ?? '',
    ...(r.idTokenHintClaims ? { id_token_hint_claims: r.idTokenHintClaims } : {}),
    login_hint: r.loginHint ?? '',
    ui_locales: r.uiLocales,
  };
}

/** OAuth2LoginRequest. `challenge` is the flow id: the login challenge names the flow. */
export function presentLoginRequest(flow: Flow, client: Client): Record<string, unknown> {
  return {
    challenge: flow.id,
    client: presentClient(client),
    request_url: flow.request.requestUrl,
    requested_scope: flow.request.scopes,
    requested_access_token_audience: flow.request.audience,
    skip: flow.subject !== null,
    subject: flow.subject ?? '',
    session_id: flow.loginSessionId ?? '',
    oidc_context: oidcContext(flow),
  };
}

/** OAuth2ConsentRequest. */
export function presentConsentRequest(flow: Flow, client: Client): Record<string, unknown> {
  const login = flow.login!;
  return {
    challenge: flow.consentChallenge,
    client: presentClient(client),
    request_url: flow.request.requestUrl,
    requested_scope: flow.request.scopes,
    requested_access_token_audience: flow.request.audience,
    skip: flow.consentSkip,
    subject: flow.subject ?? '',
    login_challenge: flow.id,
    login_session_id: flow.loginSessionId ?? '',
    acr: login.acr,
    amr: login.amr,
    context: login.context,
    oidc_context: oidcContext(flow),
  };
}

/** OAuth2ConsentSession: a granted consent, as the "authorized apps" list shows it. */
export function presentConsentSession(flow: Flow, client: Client): Record<string, unknown> {
  const consent = flow.consent!;
  return {
    consent_request: presentConsentRequest(flow, client),
    grant_scope: consent.grantScope,
    grant_access_token_audience: consent.grantAudience,
    remember: consent.remember,
    remember_for: consent.rememberFor,
    handled_at: new Date(consent.handledAt).toISOString(),
    session: { access_token: consent.accessTokenClaims, id_token: consent.idTokenClaims },
    context: consent.context,
  };
}
