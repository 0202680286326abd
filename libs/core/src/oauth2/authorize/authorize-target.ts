import { Client } from '../../clients/client.model';
import { ClientStore } from '../../clients/client.store';
import { Errors, OAuth2Error } from '../../errors';

/**
 * Where an authorization response may go: a known client and one of its registered redirect URIs. Until
 * both are established nothing is redirected (RFC 6749 §4.1.2.1, RFC 9700 §4.1): errors are shown to the
 * user instead, as an error page.
 */
export interface AuthorizeTarget {
  client: Client;
  redirectUri: string;
  /** Whether the request named the redirect URI; then the token request must repeat it (RFC 6749 §4.1.3). */
  redirectUriGiven: boolean;
  /** The request's `state`, echoed in every response that reaches the client. */
  state?: string;
}

/** An error that must not be redirected: the client or the redirect URI cannot be trusted. */
export class UntrustedAuthorizeRequest extends Error {
  constructor(readonly error: OAuth2Error) {
    super(error.fullDescription);
  }
}

/**
 * The longest value each free-text parameter may have. An authorization request is unauthenticated and
 * becomes a flow row, so nothing in it may be unbounded; each cap is far above what relying parties send.
 */
export const AUTHORIZE_PARAMETER_LIMITS: Readonly<Record<string, number>> = {
  state: 2048,
  nonce: 512,
  login_hint: 1024,
  acr_values: 512,
  ui_locales: 256,
  claims: 4096,
  scope: 2048,
};

/** All parameters together: what a GET request line holds at most (Node's 16 KB header limit). */
const MAX_AUTHORIZE_REQUEST = 16_384;

/** Refuses an oversized request before anything is trusted or stored: 400, shown as a page, never redirected. */
function checkParameterSizes(params: Record<string, unknown>): void {
  let total = 0;
  for (const [key, value] of Object.entries(params)) {
    const length = typeof value === 'string' ? value.length : Array.isArray(value) ? value.join('').length : 0;
    total += key.length + length;
    const limit = AUTHORIZE_PARAMETER_LIMITS[key];
    if (limit !== undefined && length > limit) {
      throw new UntrustedAuthorizeRequest(Errors.invalidRequest().withHint(`The "${key}" parameter is longer than ${limit} characters.`));
    }
  }
  if (total > MAX_AUTHORIZE_REQUEST) {
    throw new UntrustedAuthorizeRequest(Errors.invalidRequest().withHint(`The authorization request is larger than ${MAX_AUTHORIZE_REQUEST} characters.`));
  }
}

/** RFC 6749 §3.1.2.3 and §4.1.2.1: the client, then its redirect URI by exact string comparison. */
export async function resolveAuthorizeTarget(params: Record<string, unknown>, clients: ClientStore): Promise<AuthorizeTarget> {
  checkParameterSizes(params);
  const clientId = params.client_id;
  if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > 255) {
    throw new UntrustedAuthorizeRequest(Errors.invalidRequest().withHint('The "client_id" parameter is missing, repeated or malformed.'));
  }
  const client = await clients.findById(clientId);
  if (!client) throw new UntrustedAuthorizeRequest(Errors.invalidClient().withHint('The requested OAuth 2.0 client does not exist.'));

  const registered = client.metadata.redirect_uris;
  const given = params.redirect_uri;
  let redirectUri: string;
  if (given === undefined || given === '') {
    // RFC 6749 §3.1.2.3: without the parameter, only a single registered URI is unambiguous.
    if (registered.length !== 1) {
      throw new UntrustedAuthorizeRequest(
        Errors.invalidRequest().withHint('The "redirect_uri" parameter is required because the client registered several or none.'),
      );
    }
    redirectUri = registered[0];
  } else if (typeof given === 'string' && registered.includes(given)) {
    redirectUri = given;
  } else {
    throw new UntrustedAuthorizeRequest(
      Errors.invalidRequest().withHint('The "redirect_uri" parameter does not match any of the client\'s registered redirect URIs.'),
    );
  }
  const state = typeof params.state === 'string' ? params.state : undefined;
  return { client, redirectUri, redirectUriGiven: typeof given === 'string' && given !== '', state };
}
