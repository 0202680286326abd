import { createHash } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors as joseErrors, JWTVerifyGetKey, jwtVerify } from 'jose';
import { Errors } from '../../errors';
import { Client } from '../client.model';
import { ClientAssertionJtiRepository } from './client-assertion-jti.repository';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** How far in the future an assertion may expire: its jti is remembered until then. */
const MAX_ASSERTION_LIFETIME_S = 3600;
const JWKS_FETCH_TIMEOUT_MS = 3000;
const JWKS_CACHE_MS = 10 * 60 * 1000;

/**
 * private_key_jwt (RFC 7523 §2.2 and §3, OIDC Core §9): the client signs a JWT with a key from its `jwks`
 * or `jwks_uri`. Keys fetched from a `jwks_uri` are cached (per process) and fetched with a timeout; a
 * `jti` is accepted once, remembered in the database so that no worker or instance accepts it twice.
 */
export class ClientAssertionVerifier {
  private readonly remoteKeySets = new Map<string, JWTVerifyGetKey>();

  constructor(
    private readonly jtis: ClientAssertionJtiRepository,
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

  /** RFC 7523 §3: `aud` may name the endpoint called, the token endpoint, or the issuer. */
  async verify(client: Client, assertion: string, endpoint: string): Promise<void> {
    const invalid = (hint: string) => Errors.invalidClient().withHint(hint);
    let payload;
    try {
      ({ payload } = await jwtVerify(assertion, this.keySet(client), {
        algorithms: [client.metadata.token_endpoint_auth_signing_alg],
        issuer: client.id,
        subject: client.id,
        audience: [endpoint, this.tokenEndpoint, this.issuer, this.issuer.replace(/\/$/, '')],
        requiredClaims: ['exp', 'jti'],
        clockTolerance: 5,
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWKSTimeout) throw invalid('The client\'s jwks_uri did not answer in time.');
      const reason = e instanceof joseErrors.JOSEError ? e.message : 'it could not be verified';
      throw invalid(`The client assertion is invalid: ${reason}.`);
    }
    const exp = payload.exp as number;
    if (exp - Math.floor(Date.now() / 1000) > MAX_ASSERTION_LIFETIME_S) {
      throw invalid(`The client assertion must expire within ${MAX_ASSERTION_LIFETIME_S} seconds.`);
    }
    await this.rememberJti(client.id, String(payload.jti), exp);
  }

  private keySet(client: Client): JWTVerifyGetKey {
    if (client.metadata.jwks) return createLocalJWKSet(client.metadata.jwks as never);
    const uri = client.metadata.jwks_uri;
    let keySet = this.remoteKeySets.get(uri);
    if (!keySet) {
      keySet = createRemoteJWKSet(new URL(uri), { timeoutDuration: JWKS_FETCH_TIMEOUT_MS, cacheMaxAge: JWKS_CACHE_MS });
      this.remoteKeySets.set(uri, keySet);
    }
    return keySet;
  }

  /** RFC 7523 §3 item 7: refuses a jti already seen for this client. */
  private async rememberJti(clientId: string, jti: string, exp: number): Promise<void> {
    const signature = createHash('sha256').update(`${clientId}\0${jti}`).digest('hex');
    await this.jtis.remember(signature, exp * 1000);
  }
}
