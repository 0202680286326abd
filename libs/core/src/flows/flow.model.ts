import { OAuth2Error } from '../errors';

/**
 * One browser's way through login and consent, from `/oauth2/auth` to the authorization code: Hydra's
 * flow state machine (flow/flow.go), kept as one row.
 *
 *   login_initialized ──accept/reject──▶ login_unused ──login_verifier──▶ consent_initialized
 *                                             │ (rejected)                        │
 *                                             ▼                          accept/reject
 *                                        login_error                              ▼
 *                     consent_error ◀──consent_verifier (rejected)── consent_unused ──consent_verifier──▶ consent_used
 *
 * Every transition is one guarded update (`WHERE state = <from>`), so each challenge and verifier works
 * once, whichever process or instance sees it. A flow in `consent_used` with `granted` is a consent
 * session: the tokens it issued carry its id as their request id.
 */
export type FlowState =
  | 'login_initialized'
  | 'login_unused'
  | 'login_error'
  | 'consent_initialized'
  | 'consent_unused'
  | 'consent_used'
  | 'consent_error';

const TRANSITIONS: Record<FlowState, readonly FlowState[]> = {
  login_initialized: ['login_unused'],
  login_unused: ['consent_initialized', 'login_error'],
  login_error: [],
  consent_initialized: ['consent_unused'],
  consent_unused: ['consent_used', 'consent_error'],
  consent_used: [],
  consent_error: [],
};

export function canTransition(from: FlowState, to: FlowState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The authorization request as `/oauth2/auth` validated it, kept for the rest of the flow. */
export interface AuthorizationRequest {
  requestUrl: string;
  redirectUri: string;
  /** Whether the request named the redirect_uri (RFC 6749 §4.1.3: then the token request must repeat it). */
  redirectUriGiven: boolean;
  responseType: string;
  scopes: string[];
  audience: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  prompt: string[];
  maxAge?: number;
  acrValues: string[];
  uiLocales: string[];
  display?: string;
  loginHint?: string;
  idTokenHintClaims?: Record<string, unknown>;
  /** Set when the flow approves a device (RFC 8628): the device authorization it decides. */
  deviceRequestId?: string;
}

/** What the login app decided (AcceptOAuth2LoginRequest or RejectOAuth2Request), plus when. */
export interface HandledLogin {
  skip: boolean;
  subject: string;
  remember: boolean;
  rememberFor: number;
  acr: string;
  amr: string[];
  context: Record<string, unknown>;
  extendSessionLifespan: boolean;
  forceSubjectIdentifier: string;
  identityProviderSessionId: string;
  /** When the user authenticated (seconds): now, or the remembered session's time when skipped. */
  authTime: number;
  redirectTo: string;
  error?: FlowError;
}

/** What the consent app decided (AcceptOAuth2ConsentRequest or RejectOAuth2Request), plus when. */
export interface HandledConsent {
  skip: boolean;
  grantScope: string[];
  grantAudience: string[];
  remember: boolean;
  rememberFor: number;
  accessTokenClaims: Record<string, unknown>;
  idTokenClaims: Record<string, unknown>;
  context: Record<string, unknown>;
  handledAt: number;
  redirectTo: string;
  error?: FlowError;
}

/** A rejection as the app sent it, replayed to the client when the browser returns. */
export interface FlowError {
  error: string;
  errorDescription: string;
  errorHint: string;
  statusCode: number;
}

export interface Flow {
  id: string;
  state: FlowState;
  clientId: string;
  subject: string | null;
  loginSessionId: string | null;
  /** SHA-256 of the CSRF cookie's value: the browser that started the flow. */
  csrf: string;
  /** SHA-256 of the secret part of each verifier; the consent challenge as handed out. */
  loginVerifier: string | null;
  consentChallenge: string | null;
  consentVerifier: string | null;
  request: AuthorizationRequest;
  login: HandledLogin | null;
  consent: HandledConsent | null;
  /** Whether the consent request may skip its UI (decided when it is created). */
  consentSkip: boolean;
  requestedAt: Date;
  /** Until when the flow's challenges and verifiers work (TTL_LOGIN_CONSENT_REQUEST). */
  expiresAt: Date;
  granted: boolean;
  remember: boolean;
  rememberUntil: Date | null;
}

export function flowError(error: OAuth2Error): FlowError {
  return { error: error.error, errorDescription: error.description, errorHint: error.hint ?? '', statusCode: error.statusCode };
}
