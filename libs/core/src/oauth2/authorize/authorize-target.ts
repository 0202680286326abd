import { Client } from '../../clients/client.model';
import { ClientRepository } from '../../clients/client.repository';
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

/** RFC 6749 §3.1.2.3 and §4.1.2.1: the client, then its redirect URI by exact string comparison. */
export async function resolveAuthorizeTarget(params: Record<string, unknown>, clients: ClientRepository): Promise<AuthorizeTarget> {
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
