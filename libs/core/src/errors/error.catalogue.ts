import { OAuth2Error } from './oauth2.error';

/**
 * Every error Hydrant can answer, in one place. Each entry is a factory so that callers can add a hint
 * without mutating a shared instance: `Errors.invalidRequest().withHint('The "scope" parameter is malformed.')`.
 * Codes follow RFC 6749 §4.1.2.1 and §5.2, RFC 6750 §3.1, RFC 7591 §3.2.2, RFC 8628 §3.5 and OIDC Core §3.1.2.6.
 */
export const Errors = {
  invalidRequest: () =>
    new OAuth2Error(
      'invalid_request',
      'The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed.',
      400,
    ),
  invalidClient: () =>
    new OAuth2Error(
      'invalid_client',
      'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).',
      401,
    ),
  invalidGrant: () =>
    new OAuth2Error(
      'invalid_grant',
      'The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
      400,
    ),
  unauthorizedClient: () =>
    new OAuth2Error(
      'unauthorized_client',
      'The client is not authorized to request a token using this method.',
      400,
    ),
  unsupportedGrantType: () =>
    new OAuth2Error('unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.', 400),
  invalidScope: () =>
    new OAuth2Error('invalid_scope', 'The requested scope is invalid, unknown, or malformed.', 400),
  accessDenied: () =>
    new OAuth2Error('access_denied', 'The resource owner or authorization server denied the request.', 403),
  unsupportedResponseType: () =>
    new OAuth2Error('unsupported_response_type', 'The authorization server does not support obtaining a response using this method.', 400),
  requestForbidden: () =>
    new OAuth2Error('request_forbidden', 'The request is not allowed.', 403),
  loginRequired: () =>
    new OAuth2Error('login_required', 'The Authorization Server requires End-User authentication.', 400),
  consentRequired: () =>
    new OAuth2Error('consent_required', 'The Authorization Server requires End-User consent.', 400),
  requestNotSupported: () =>
    new OAuth2Error('request_not_supported', 'The OP does not support use of the request parameter.', 400),
  requestUriNotSupported: () =>
    new OAuth2Error('request_uri_not_supported', 'The OP does not support use of the request_uri parameter.', 400),
  registrationNotSupported: () =>
    new OAuth2Error('registration_not_supported', 'The OP does not support use of the registration parameter.', 400),
  insufficientScope: () =>
    new OAuth2Error('insufficient_scope', 'The request requires higher privileges than provided by the access token.', 403),
  invalidToken: () =>
    new OAuth2Error(
      'invalid_token',
      'The access token provided is expired, revoked, malformed, or invalid for other reasons.',
      401,
    ),
  invalidClientMetadata: () =>
    new OAuth2Error('invalid_client_metadata', 'The value of one of the client metadata fields is invalid.', 400),
  invalidRedirectUri: () =>
    new OAuth2Error('invalid_redirect_uri', 'The value of one or more redirect_uris is invalid.', 400),
  unauthorized: () =>
    new OAuth2Error('unauthorized', 'The request could not be authorized.', 401),
  missingRequiredParameter: () =>
    new OAuth2Error('missing_required_parameter', 'The request is missing a required parameter.', 400),
  /** RFC 7523 §3 item 7: a JWT bearer assertion's jti was seen before. Hydra's code for it. */
  jtiKnown: () => new OAuth2Error('jti_known', 'The assertion\'s "jti" was used before.', 400),
  /** RFC 8628 §3.5: the device's user has not finished yet. */
  authorizationPending: () => new OAuth2Error('authorization_pending', 'The authorization request is still pending as the end user has not yet completed the user interaction steps.', 400),
  /** RFC 8628 §3.5: the device polls faster than its interval. */
  slowDown: () => new OAuth2Error('slow_down', 'The authorization request is still pending and polling should be slowed down.', 400),
  /** RFC 8628 §3.5: the device's user denied it (a token endpoint error, so 400). */
  authorizationDenied: () => new OAuth2Error('access_denied', 'The end user denied the authorization request.', 400),
  /** RFC 8628 §3.5: the device code ran out before it was redeemed. */
  expiredToken: () => new OAuth2Error('expired_token', 'The device code has expired, and the device authorization session has concluded.', 400),
  notFound: () => new OAuth2Error('not_found', 'Unable to locate the resource.', 404),
  conflict: () => new OAuth2Error('conflict', 'Unable to process the requested resource because of a conflict.', 409),
  payloadTooLarge: () => new OAuth2Error('request_too_large', 'The request body is too large.', 413),
  unsupportedMediaType: () =>
    new OAuth2Error('unsupported_media_type', 'The request body has a media type this endpoint does not accept.', 415),
  tooManyRequests: () => new OAuth2Error('too_many_requests', 'Too many requests; try again later.', 429),
  serverError: () =>
    new OAuth2Error(
      'server_error',
      'The authorization server encountered an unexpected condition that prevented it from fulfilling the request.',
      500,
    ),
  temporarilyUnavailable: () =>
    new OAuth2Error(
      'temporarily_unavailable',
      'The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server.',
      503,
    ),
} as const;

/** Each code's first entry: `access_denied` is described as RFC 6749 does, not as the device grant's variant. */
const DESCRIPTIONS = new Map<string, string>();
for (const make of Object.values(Errors)) {
  const e = make();
  if (!DESCRIPTIONS.has(e.error)) DESCRIPTIONS.set(e.error, e.description);
}

/** The catalogue's description of an error code (`login_required`, …), or undefined for a code it does not have. */
export function catalogueDescription(error: string): string | undefined {
  return DESCRIPTIONS.get(error);
}
