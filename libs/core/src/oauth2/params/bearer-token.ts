import { Errors } from '../../errors';

/** RFC 6750 §2.1: `Bearer <b64token>`. */
export function bearerFromHeader(authorization: string | undefined): string | undefined {
  return /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization ?? '')?.[1];
}

/** A bot token as Fluxer's clients send it, `Bot <token>`, or as a bearer token. */
export function botTokenFromHeader(authorization: string | undefined): string | undefined {
  return /^(?:Bot|Bearer)\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i.exec(authorization ?? '')?.[1];
}

/**
 * The access token of a protected-resource request: in the Authorization header (§2.1) or, on a form
 * POST, in the `access_token` parameter (§2.2); a client must not use both (§2).
 */
export function readBearerToken(authorization: string | undefined, form: Record<string, unknown> = {}): string | undefined {
  const inBody = form.access_token;
  if (inBody !== undefined && typeof inBody !== 'string') throw Errors.invalidRequest().withHint('The "access_token" parameter must appear once.');
  const inHeader = bearerFromHeader(authorization);
  if (inBody !== undefined && inHeader !== undefined) throw Errors.invalidRequest().withHint('The access token was sent both in the header and in the body.');
  return inHeader ?? inBody;
}
