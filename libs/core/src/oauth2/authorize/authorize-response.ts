import { OAuth2Error } from '../../errors';
import { CookieInstruction } from '../../flows/flow-cookies';
import { withQuery } from '../../http/with-query';

/** Where `/oauth2/auth` sends the browser next, with the cookies to set on the way. */
export interface AuthorizeOutcome {
  location: string;
  /** 302 to the login and consent apps (as Hydra); 303 to the client (RFC 9700 §4.11: never 307). */
  status: 302 | 303;
  cookies: CookieInstruction[];
}

/** RFC 6749 §4.1.2 with RFC 9207's `iss`. */
export function codeResponse(redirectUri: string, issuer: string, fields: { code: string; scope: string; state?: string }, cookies: CookieInstruction[]): AuthorizeOutcome {
  return { location: withQuery(redirectUri, { code: fields.code, scope: fields.scope, state: fields.state, iss: issuer }), status: 303, cookies };
}

/** RFC 6749 §4.1.2.1 with RFC 9207's `iss`. */
export function errorResponse(redirectUri: string, issuer: string, error: OAuth2Error, state: string | undefined, cookies: CookieInstruction[] = []): AuthorizeOutcome {
  return {
    location: withQuery(redirectUri, {
      error: error.error,
      error_description: error.fullDescription,
      ...(error.hint ? { error_hint: error.hint } : {}),
      state,
      iss: issuer,
    }),
    status: 303,
    cookies,
  };
}
