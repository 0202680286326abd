import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, importJWK, JWTPayload, jwtVerify } from 'jose';
import type { ClientAssertionJtiStore } from '../clients/authentication/client-assertion-jti.store';
import { HydrantConfig } from '../config/hydrant.config';
import { Errors } from '../errors';
import { JwkStore } from '../keys/jwk.store';
import { scopeAllowed } from '../scopes/scope.strategy';
import { TrustedIssuer } from './trusted-issuer.model';
import { TrustedIssuerStore } from './trusted-issuer.store';

/** Clock skew allowed between the issuer and us, for `exp`, `nbf` and an `iat` a little in the future. */
const CLOCK_LEEWAY_S = 5;

export interface VerifiedAssertion {
  trust: TrustedIssuer;
  subject: string;
}

/**
 * Checks a JWT bearer grant's assertion (RFC 7523 §3) against the trusted issuers: signed by the key of a
 * live trust of its `iss` that allows its `sub`, for this token endpoint (`aud`), within its lifetime and
 * OAUTH2_GRANT_JWT_MAX_TTL, with `iat` and `jti` unless configured optional, and a `jti` seen once across
 * workers and instances (the jti store client assertions use too), and only for scopes the trust allows.
 * Every refusal is invalid_grant, but a scope the trust does not allow (invalid_scope) and a jti seen
 * before (Hydra's jti_known).
 */
export class JwtBearerAssertionVerifier {
  constructor(
    private readonly trusts: TrustedIssuerStore,
    private readonly keys: JwkStore,
    private readonly jtis: ClientAssertionJtiStore,
    private readonly config: HydrantConfig,
    /** The URLs an assertion's `aud` may name: the token endpoint, by the issuer and by the public URL. */
    private readonly audiences: readonly string[],
  ) {}

  /** `scopes`: what the token is asked for, each of which the trust must allow (else invalid_scope, and the jti stays unused). */
  async verify(assertion: string, scopes: readonly string[]): Promise<VerifiedAssertion> {
    const { issuer, subject, kid } = readUnverified(assertion);
    const trusts = (await this.trusts.findForAssertion(issuer, subject)).filter((t) => kid === undefined || t.keyId === kid);
    if (trusts.length === 0) throw invalid(`No trust relationship allows issuer "${issuer}" to assert subject "${subject}"${kid ? ` with key "${kid}"` : ''}.`);
    const live = trusts.filter((t) => t.expiresAt.getTime() > Date.now());
    if (live.length === 0) throw invalid(`The trust relationship of issuer "${issuer}" has expired.`);

    let failure = 'no trusted key verifies its signature';
    for (const trust of live) {
      const stored = await this.keys.findKey(trust.issuer, trust.keyId);
      if (!stored) continue;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(assertion, await importJWK(stored.publicJwk, stored.alg), {
          algorithms: [stored.alg],
          issuer,
          subject,
          audience: [...this.audiences],
          requiredClaims: this.requiredClaims(),
          clockTolerance: CLOCK_LEEWAY_S,
        }));
      } catch (e) {
        if (!(e instanceof joseErrors.JOSEError)) throw e;
        failure = e.message;
        continue;
      }
      this.checkLifetime(payload);
      const untrusted = scopes.find((s) => !scopeAllowed(trust.scopes, s, this.config.strategiesScope));
      if (untrusted !== undefined) throw Errors.invalidScope().withHint(`The trust relationship of issuer "${issuer}" does not allow scope "${untrusted}".`);
      if (payload.jti !== undefined) await this.rememberJti(issuer, String(payload.jti), payload.exp!);
      return { trust, subject };
    }
    throw invalid(`The assertion is invalid: ${failure}.`);
  }

  private requiredClaims(): string[] {
    return ['exp', ...(this.config.oauth2GrantJwtIatOptional ? [] : ['iat']), ...(this.config.oauth2GrantJwtJtiOptional ? [] : ['jti'])];
  }

  private checkLifetime(payload: JWTPayload): void {
    const now = Math.floor(Date.now() / 1000);
    if (payload.iat !== undefined && payload.iat > now + CLOCK_LEEWAY_S) throw invalid('The assertion is issued in the future ("iat").');
    const lifetimeS = payload.exp! - (payload.iat ?? now);
    if (lifetimeS * 1000 > this.config.oauth2GrantJwtMaxTtl) {
      throw invalid(`The assertion may live at most ${Math.floor(this.config.oauth2GrantJwtMaxTtl / 1000)} seconds ("exp" minus "iat").`);
    }
  }

  /** RFC 7523 §3 item 7: a jti is accepted once per issuer, until its assertion expires. */
  private async rememberJti(issuer: string, jti: string, exp: number): Promise<void> {
    const signature = createHash('sha256').update(`jwt-bearer\0${issuer}\0${jti}`).digest('hex');
    if (!(await this.jtis.remember(signature, exp * 1000))) throw Errors.jtiKnown().withHint(`The assertion's "jti" was used before.`);
  }
}

/** The claims that choose the trust, read before anything is verified. */
function readUnverified(assertion: string): { issuer: string; subject: string; kid?: string } {
  let claims: JWTPayload;
  let kid: unknown;
  try {
    claims = decodeJwt(assertion);
    ({ kid } = decodeProtectedHeader(assertion));
  } catch {
    throw invalid('The assertion is not a JWT.');
  }
  if (typeof claims.iss !== 'string' || claims.iss === '') throw invalid('The assertion has no "iss".');
  if (typeof claims.sub !== 'string' || claims.sub === '') throw invalid('The assertion has no "sub".');
  // No trust names such an issuer or subject (the trust API refuses NUL), and PostgreSQL text cannot hold one.
  if (`${claims.iss}${claims.sub}`.includes('\u0000')) throw invalid('The assertion\'s "iss" or "sub" holds a NUL.');
  return { issuer: claims.iss, subject: claims.sub, kid: typeof kid === 'string' ? kid : undefined };
}

const invalid = (hint: string) => Errors.invalidGrant().withHint(hint);
