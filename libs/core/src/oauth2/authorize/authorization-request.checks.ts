import { isPublicClient } from '../../clients/client.model';
import { HydrantConfig } from '../../config/hydrant.config';
import { Errors } from '../../errors';
import { AuthorizationRequest } from '../../flows/flow.model';
import { audienceAllowed, parseScope, scopeAllowed } from '../../scopes/scope.strategy';
import { AuthorizeTarget } from './authorize-target';

/**
 * The checks of a new authorization request, each small and named after what it enforces (as in
 * node-oidc-provider's `check_*`). They run once the target is trusted, so their errors are redirected
 * to the client. Parameters arrive already single valued.
 */
type Params = Readonly<Record<string, string>>;

const PROMPTS = ['none', 'login', 'consent', 'select_account'];
/** RFC 7636 §4.1: 43 to 128 characters of the unreserved set. */
const PKCE_VALUE = /^[A-Za-z0-9._~-]{43,128}$/;

/** OIDC Core §6: request objects are not supported; say so with the OIDC error codes. */
export function checkNoRequestObject(params: Params): void {
  if (params.request !== undefined) throw Errors.requestNotSupported();
  if (params.request_uri !== undefined) throw Errors.requestUriNotSupported();
  if (params.registration !== undefined) throw Errors.registrationNotSupported();
}

/** RFC 6749 §3.1.1 and §4.1.1: only the code flow, and only for clients registered for it. */
export function checkResponseType(params: Params, target: AuthorizeTarget): string {
  const responseType = params.response_type;
  if (!responseType) throw Errors.invalidRequest().withHint('The "response_type" parameter is missing.');
  if (responseType !== 'code') throw Errors.unsupportedResponseType().withHint(`The response type "${responseType}" is not supported; use "code".`);
  const { metadata } = target.client;
  if (!metadata.response_types.includes('code') || !metadata.grant_types.includes('authorization_code')) {
    throw Errors.unauthorizedClient().withHint('The client is not allowed to use the authorization code flow.');
  }
  if (params.response_mode !== undefined && params.response_mode !== 'query') {
    throw Errors.invalidRequest().withHint('Only the "query" response mode is supported.');
  }
  return responseType;
}

/** RFC 6749 §3.3: every requested scope must be allowed to the client (STRATEGIES_SCOPE). */
export function checkScope(params: Params, target: AuthorizeTarget, config: HydrantConfig): string[] {
  const scopes = parseScope(params.scope);
  const allowed = target.client.metadata.scope.split(' ');
  const refused = scopes.find((s) => !scopeAllowed(allowed, s, config.strategiesScope));
  if (refused !== undefined) throw Errors.invalidScope().withHint(`The client is not allowed to request scope "${refused}".`);
  return scopes;
}

/** Hydra's audience parameter: each value must match or lie beneath the client's registered audience. */
export function checkAudience(params: Params, target: AuthorizeTarget): string[] {
  const audience = parseScope(params.audience);
  const foreign = audience.find((a) => !audienceAllowed(target.client.metadata.audience, a));
  if (foreign !== undefined) throw Errors.invalidRequest().withHint(`The client is not allowed to request audience "${foreign}".`);
  return audience;
}

/** RFC 7636 §4.3 with OAuth 2.1: S256 only; required of public clients, or of all when configured. */
export function checkPkce(params: Params, target: AuthorizeTarget, config: HydrantConfig): { codeChallenge?: string; codeChallengeMethod?: string } {
  const { code_challenge: challenge, code_challenge_method: method } = params;
  if (challenge === undefined) {
    if (method !== undefined) throw Errors.invalidRequest().withHint('"code_challenge_method" was given without "code_challenge".');
    const required = config.oauth2PkceEnforced || (config.oauth2PkceEnforcedForPublicClients && isPublicClient(target.client));
    if (required) throw Errors.invalidRequest().withHint('This client must use PKCE: "code_challenge" with "code_challenge_method=S256" is required.');
    return {};
  }
  if (method !== 'S256') throw Errors.invalidRequest().withHint('Only the "S256" code challenge method is allowed.');
  if (!PKCE_VALUE.test(challenge)) throw Errors.invalidRequest().withHint('The "code_challenge" parameter is malformed.');
  return { codeChallenge: challenge, codeChallengeMethod: method };
}

/** OIDC Core §3.1.2.1: known prompt values; `none` stands alone. */
export function checkPrompt(params: Params): string[] {
  const prompt = parseScope(params.prompt);
  const unknown = prompt.find((p) => !PROMPTS.includes(p));
  if (unknown !== undefined) throw Errors.invalidRequest().withHint(`The prompt value "${unknown}" is not supported.`);
  if (prompt.includes('none') && prompt.length > 1) throw Errors.invalidRequest().withHint('Prompt "none" cannot be combined with other values.');
  return prompt;
}

/** OIDC Core §3.1.2.1: max_age is a non-negative number of seconds. */
export function checkMaxAge(params: Params): number | undefined {
  if (params.max_age === undefined) return undefined;
  if (!/^\d{1,10}$/.test(params.max_age)) throw Errors.invalidRequest().withHint('The "max_age" parameter must be a non-negative integer.');
  return Number(params.max_age);
}

/** Everything of a new request that is kept for the flow (the id_token_hint is checked by the caller). */
export function checkAuthorizationRequest(params: Params, target: AuthorizeTarget, config: HydrantConfig, requestUrl: string): AuthorizationRequest {
  checkNoRequestObject(params);
  const responseType = checkResponseType(params, target);
  return {
    requestUrl,
    redirectUri: target.redirectUri,
    redirectUriGiven: target.redirectUriGiven,
    responseType,
    scopes: checkScope(params, target, config),
    audience: checkAudience(params, target),
    state: params.state,
    nonce: params.nonce,
    ...checkPkce(params, target, config),
    prompt: checkPrompt(params),
    maxAge: checkMaxAge(params),
    acrValues: parseScope(params.acr_values),
    uiLocales: parseScope(params.ui_locales),
    display: params.display,
    loginHint: params.login_hint,
  };
}
