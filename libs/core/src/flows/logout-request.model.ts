/** initialized ──accept──▶ accepted ──logout_verifier──▶ used; initialized ──reject──▶ rejected. */
export type LogoutState = 'initialized' | 'accepted' | 'used' | 'rejected';

/**
 * The logout request's state machine, as the flow's (flow.model.ts): every transition is one guarded
 * update (`WHERE state = <from>`), so a challenge is decided and a verifier used once, across processes.
 */
const TRANSITIONS: Record<LogoutState, readonly LogoutState[]> = {
  initialized: ['accepted', 'rejected'],
  accepted: ['used'],
  used: [],
  rejected: [],
};

export function canTransitionLogout(from: LogoutState, to: LogoutState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** An RP- or user-initiated logout waiting for (or past) the logout app's confirmation. */
export interface LogoutRequest {
  /** The logout challenge. */
  id: string;
  state: LogoutState;
  subject: string;
  sid: string;
  clientId: string | null;
  rpInitiated: boolean;
  requestUrl: string;
  /** Where the browser goes at the end: the client's validated URI (with state), or URLS_POST_LOGOUT_REDIRECT. */
  postLogoutRedirectUri: string;
  /** SHA-256 of the logout verifier's secret, once accepted. */
  verifier: string | null;
  requestedAt: Date;
  expiresAt: Date;
}
