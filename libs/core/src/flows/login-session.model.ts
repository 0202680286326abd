/**
 * An authentication of a subject in one browser (OIDC `sid`). Every accepted login creates one, so that
 * ID tokens carry a `sid` and logout can find the clients; only a remembered one is tied to the browser's
 * session cookie and lets later flows skip the login UI.
 */
export interface LoginSession {
  id: string;
  subject: string;
  authenticatedAt: Date;
  remember: boolean;
  /** Null: until the browser session ends (remember_for 0). */
  expiresAt: Date | null;
  identityProviderSessionId: string;
}

export function isLoginSessionUsable(session: LoginSession, now = new Date()): boolean {
  return session.remember && (session.expiresAt === null || session.expiresAt > now);
}
