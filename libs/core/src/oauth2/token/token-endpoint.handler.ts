import { Client } from '../../clients/client.model';

/** A token request after client authentication (RFC 6749 §3.2). */
export interface TokenRequest {
  grantType: string;
  /** The form parameters, each present at most once. */
  params: Readonly<Record<string, string>>;
  client: Client;
}

/** RFC 6749 §5.1 successful response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/**
 * One grant type of the token endpoint. The endpoint does not switch on `grant_type`: it asks each
 * registered handler whether it serves the grant and runs the one that does, so a new grant is a new class.
 */
export interface TokenEndpointHandler {
  /** Whether this handler serves the request's grant type. */
  canHandle(grantType: string): boolean;
  handle(request: TokenRequest): Promise<TokenResponse>;
}

