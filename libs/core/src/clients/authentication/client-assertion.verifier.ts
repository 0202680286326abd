import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, JWTPayload, JWTVerifyGetKey, jwtVerify } from 'jose';
import { Errors } from '../../errors';
import { OutboundFetchError } from '../../http/outbound/outbound-fetch.error';
import { RemoteKeySetCache } from '../../http/outbound/remote-key-set.cache';
import { Client } from '../client.model';
import { ClientAssertionJtiStore } from './client-assertion-jti.store';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** How far in the future an assertion may expire: its jti is remembered until then. */
const MAX_ASSERTION_LIFETIME_S = 3600;
/** Clock skew allowed between the client and us, for `exp`, `nbf` and an `iat` a little in the future. */
const CLOCK_LEEWAY_S = 5;

/**
 * private_key_jwt (RFC 7523 §2.2 and §3, OIDC Core §9): the client signs a JWT with a key from its `jwks`
 * or `jwks_uri`. Keys of a `jwks_uri` come from the process's bounded key-set cache (fetched through the
 * outbound client); a `jti` is accepted once, remembered in the database so that no worker or instance
 * accepts it twice.
 */
export class ClientAssertionVerifier {
  constructor(
    private readonly jtis: ClientAssertionJtiStore,
    private readonly remoteKeySets: RemoteKeySetCache,
    private readonly issuer: string,
    private readonly tokenEndpoint: string,
  ) {}

  /** The client_id an assertion claims to come from (its `sub`), before anything is verified. */
  claimedClientId(assertion: string): string | undefined {
    try {
      const claims = decodeJwt(assertion);
      return typeof claims.sub === 'string' ? claims.sub : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * RFC 7523 §3: `aud` names the endpoint called, the token endpoint, or the issuer, and nothing else: a
   * single value, so that an assertion made for another server cannot be replayed here (the audience
   * injection of the OpenID Foundation's 2025 guidance on private_key_jwt).
   */
  async verify(client: Client, assertion: string, endpoint: string): Promise<void> {
    const invalid = (hint: string) => Errors.invalidClient().withHint(hint);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(assertion, this.keySet(client), {
        algorithms: [client.metadata.token_endpoint_auth_signing_alg],
        issuer: client.id,
        subject: client.id,
        audience: this.audiences(endpoint),
        requiredClaims: ['exp', 'jti'],
        clockTolerance: CLOCK_LEEWAY_S,
      }));
    } catch (e) {
      if (e instanceof OutboundFetchError) throw invalid('The client\'s jwks_uri could not be fetched.').withDebug(e.detail);
      const reason = e instanceof joseErrors.JOSEError ? e.message : 'it could not be verified';
      throw invalid(`The client assertion is invalid: ${reason}.`);
    }
    const audience = Array.isArray(payload.aud) ? (payload.aud.length === 1 ? payload.aud[0] : undefined) : payload.aud;
    if (audience === undefined || !this.audiences(endpoint).includes(audience)) {
      throw invalid('The client assertion must name one audience: the issuer or the endpoint it is sent to.');
    }
    const now = Math.floor(Date.now() / 1000);
    if (payload.iat !== undefined && payload.iat > now + CLOCK_LEEWAY_S) {
      throw invalid('The client assertion is issued in the future ("iat").');
    }
    const exp = payload.exp as number;
    if (exp - now > MAX_ASSERTION_LIFETIME_S) {
      throw invalid(`The client assertion must expire within ${MAX_ASSERTION_LIFETIME_S} seconds.`);
    }
    await this.rememberJti(client.id, String(payload.jti), exp);
  }

  private audiences(endpoint: string): string[] {
    return [endpoint, this.tokenEndpoint, this.issuer, this.issuer.replace(/\/$/, '')];
  }

  private keySet(client: Client): JWTVerifyGetKey {
    if (client.metadata.jwks) return createLocalJWKSet(client.metadata.jwks as never);
    return this.remoteKeySets.keySet(client.metadata.jwks_uri);
  }

  /** RFC 7523 §3 item 7: refuses a jti already seen for this client. */
  private async rememberJti(clientId: string, jti: string, exp: number): Promise<void> {
    const signature = createHash('sha256').update(`${clientId}\0${jti}`).digest('hex');
    if (!(await this.jtis.remember(signature, exp * 1000))) throw Errors.invalidClient().withHint('The client assertion was used before (jti replay).');
  }
}
