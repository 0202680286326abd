import { Errors, OAuth2Error } from '../../errors';
import { countClientAuthenticationFailure } from '../../metrics/metrics';
import { AuthenticationAttempt, ClientAuthenticationLimiter } from '../../rate-limit/client-authentication.limiter';
import { ClientSecretHasher } from '../client-secret.hasher';
import { Client } from '../client.model';
import { ClientStore } from '../client.store';
import { ClientAssertionVerifier, JWT_BEARER_ASSERTION_TYPE } from './client-assertion.verifier';

/** The credentials a request to the token or revocation endpoint carries. */
export interface ClientCredentials {
  /** The Authorization header, if any. */
  authorization?: string;
  client_id?: string;
  client_secret?: string;
  client_assertion_type?: string;
  client_assertion?: string;
  /**
   * The address the request came from (Express's `req.ip`, which honours SERVE_TRUST_PROXY): failures
   * are limited per source as well as per client. Not a credential, never read from the form.
   */
  source?: string;
}

/**
 * The one hint of every failed client authentication, whatever failed (unknown client, wrong secret, wrong
 * method, malformed credentials, a bad assertion), so that no answer tells whether a client exists. What
 * failed goes to the debug text, shown only with LOG_LEAK_SENSITIVE_VALUES.
 */
export const CLIENT_AUTHENTICATION_FAILED_HINT = 'The client is unknown, or its credentials or the way it presented them are wrong.';

/** Parameters of client authentication, which grant handlers never see. */
export const CLIENT_AUTH_PARAMS = ['client_id', 'client_secret', 'client_assertion_type', 'client_assertion'] as const;

/** The client authentication parts of a form and its Authorization header. */
export function readClientCredentials(params: Record<string, string>, authorization: string | undefined, source?: string): ClientCredentials {
  const credentials: ClientCredentials = { authorization, source };
  for (const key of CLIENT_AUTH_PARAMS) if (params[key] !== undefined) credentials[key] = params[key];
  return credentials;
}

type Method = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none';

const SECRET_METHODS: readonly Method[] = ['client_secret_basic', 'client_secret_post'];

/**
 * The methods a client may authenticate with: the one it registered, as Hydra enforces. A Fluxer
 * application holding a secret also takes it in the body, as Fluxer documents ("authorization header or
 * client credentials").
 */
function acceptedMethods(client: Client): readonly Method[] {
  const registered = client.metadata.token_endpoint_auth_method;
  return client.application !== null && SECRET_METHODS.includes(registered) ? SECRET_METHODS : [registered];
}

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64. */
function decodeFormComponent(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/**
 * A failed authentication on its way to the one answer: `message` is the debug detail; `counted` when the
 * failure limiter counted it already (before an scrypt).
 */
class Refusal extends Error {
  constructor(
    message: string,
    readonly counted = false,
  ) {
    super(message);
  }
}

function parseBasic(header: string): { id: string; secret: string } {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 1) throw new Refusal('The Authorization header is not valid HTTP Basic credentials.');
  try {
    return { id: decodeFormComponent(decoded.slice(0, colon)), secret: decodeFormComponent(decoded.slice(colon + 1)) };
  } catch {
    throw new Refusal('The HTTP Basic credentials are not form-urlencoded.');
  }
}

/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3, RFC 7523
 * §2.2) and at Hydra v1's `/connect/register`. The method is read off the request; it must be one the
 * client may use (acceptedMethods), and a request may use only one (else `invalid_request`). Every failure
 * is `invalid_client` (401) with one hint (CLIENT_AUTHENTICATION_FAILED_HINT), saying nothing about whether
 * the client exists. Failures are limited per client and per source (ClientAuthenticationLimiter): over
 * the limit the answer is 429 before any secret is verified.
 */
export class ClientAuthenticator {
  constructor(
    private readonly clients: ClientStore,
    private readonly hasher: ClientSecretHasher,
    private readonly assertions: ClientAssertionVerifier,
    private readonly failures: ClientAuthenticationLimiter,
  ) {}

  async authenticate(credentials: ClientCredentials, endpoint: string): Promise<Client> {
    const attempt: AuthenticationAttempt = { source: credentials.source };
    let tried = 'unknown';
    try {
      const { method, clientId, secret } = this.readMethod(credentials);
      tried = method;
      attempt.clientId = clientId;
      const [client] = await Promise.all([this.clients.findForAuthentication(clientId), this.failures.ensureAllowed(attempt)]);
      if (!client) throw new Refusal('The client does not exist.');
      if (!acceptedMethods(client).includes(method)) {
        throw new Refusal(`The client must authenticate with "${client.metadata.token_endpoint_auth_method}", not "${method}".`);
      }
      if (method === 'private_key_jwt') await this.verifyAssertion(client, credentials.client_assertion as string, endpoint);
      else if (method !== 'none') await this.verifySecret(client, secret ?? '', attempt);
      return client;
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      countClientAuthenticationFailure(tried);
      throw await this.refusal(attempt, e);
    }
  }

  /**
   * The secret against the client's current and rotated ones. An scrypt verification counts its failure
   * before it starts (the hasher calls `admit` once it has its slot), so that guesses sent at once, waiting
   * in line for scrypt, are refused as soon as the limit is reached; a match takes the count back.
   */
  private async verifySecret(client: Client, secret: string, attempt: AuthenticationAttempt): Promise<void> {
    let reservation: Promise<() => Promise<void>> | undefined;
    const admit = async () => {
      await (reservation ??= this.failures.reserve(attempt));
    };
    if (await this.hasher.verifyAny(secret, [client.secretHash, ...client.rotatedSecretHashes], admit)) {
      if (reservation) await (await reservation)();
      return;
    }
    throw new Refusal('The client secret is wrong.', reservation !== undefined);
  }

  private async verifyAssertion(client: Client, assertion: string, endpoint: string): Promise<void> {
    try {
      await this.assertions.verify(client, assertion, endpoint);
    } catch (e) {
      if (e instanceof OAuth2Error && e.error === 'invalid_client') throw new Refusal(e.hint ?? e.description);
      throw e;
    }
  }

  /** The answer to a failed attempt: 401 with the one hint, or 429 once the attempt's client or source is over its limit. */
  private async refusal(attempt: AuthenticationAttempt, refusal: Refusal): Promise<OAuth2Error> {
    if (!refusal.counted) {
      await this.failures.ensureAllowed(attempt); // already over: 429, and nothing more to count
      const over = await this.failures.recordFailure(attempt);
      if (over) return over.withDebug(refusal.message);
    }
    return Errors.invalidClient().withHint(CLIENT_AUTHENTICATION_FAILED_HINT).withDebug(refusal.message);
  }

  private readMethod(c: ClientCredentials): { method: Method; clientId: string; secret?: string } {
    const used = [c.authorization !== undefined, c.client_secret !== undefined, c.client_assertion !== undefined].filter(Boolean);
    if (used.length > 1) {
      throw Errors.invalidRequest().withHint('The request uses more than one client authentication method.');
    }
    if (c.authorization !== undefined) {
      const { id, secret } = parseBasic(c.authorization);
      if (c.client_id !== undefined && c.client_id !== id) {
        throw Errors.invalidRequest().withHint('The client_id parameter does not match the Authorization header.');
      }
      return { method: 'client_secret_basic', clientId: id, secret };
    }
    if (c.client_assertion !== undefined) {
      if (c.client_assertion_type !== JWT_BEARER_ASSERTION_TYPE) {
        throw new Refusal(`The client_assertion_type must be "${JWT_BEARER_ASSERTION_TYPE}".`);
      }
      const claimed = this.assertions.claimedClientId(c.client_assertion);
      if (!claimed || (c.client_id !== undefined && c.client_id !== claimed)) {
        throw new Refusal('The client assertion does not name the client in its "sub" claim.');
      }
      return { method: 'private_key_jwt', clientId: claimed };
    }
    if (!c.client_id) throw new Refusal('The request carries no client authentication and no client_id.');
    if (c.client_secret !== undefined) return { method: 'client_secret_post', clientId: c.client_id, secret: c.client_secret };
    return { method: 'none', clientId: c.client_id };
  }
}
