import { Errors } from '../../errors';
import { Client } from '../client.model';
import { ClientRepository } from '../client.repository';
import { ClientService } from '../client.service';
import { ClientAssertionVerifier, JWT_BEARER_ASSERTION_TYPE } from './client-assertion.verifier';

/** The credentials a request to the token or revocation endpoint carries. */
export interface ClientCredentials {
  /** The Authorization header, if any. */
  authorization?: string;
  client_id?: string;
  client_secret?: string;
  client_assertion_type?: string;
  client_assertion?: string;
}

/** Parameters of client authentication, which grant handlers never see. */
export const CLIENT_AUTH_PARAMS = ['client_id', 'client_secret', 'client_assertion_type', 'client_assertion'] as const;

/** The client authentication parts of a form and its Authorization header. */
export function readClientCredentials(params: Record<string, string>, authorization: string | undefined): ClientCredentials {
  const credentials: ClientCredentials = { authorization };
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

function parseBasic(header: string): { id: string; secret: string } {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  const decoded = match ? Buffer.from(match[1], 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 1) throw Errors.invalidClient().withHint('The Authorization header is not valid HTTP Basic credentials.');
  try {
    return { id: decodeFormComponent(decoded.slice(0, colon)), secret: decodeFormComponent(decoded.slice(colon + 1)) };
  } catch {
    throw Errors.invalidClient().withHint('The HTTP Basic credentials are not form-urlencoded.');
  }
}

/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3, RFC 7523
 * §2.2). The method is read off the request; it must be one the client may use (acceptedMethods), and a
 * request may use only one. Every failure is `invalid_client` (401), saying nothing about whether
 * the client exists.
 */
export class ClientAuthenticator {
  constructor(
    private readonly clients: ClientRepository,
    private readonly clientService: ClientService,
    private readonly assertions: ClientAssertionVerifier,
  ) {}

  async authenticate(credentials: ClientCredentials, endpoint: string): Promise<Client> {
    const { method, clientId, secret } = this.readMethod(credentials);
    const client = await this.clients.findForAuthentication(clientId);
    if (!client) throw Errors.invalidClient().withHint('The client does not exist or the credentials are wrong.');
    const registered = client.metadata.token_endpoint_auth_method;
    if (!acceptedMethods(client).includes(method)) {
      throw Errors.invalidClient().withHint(`The client must authenticate with "${registered}", not "${method}".`);
    }
    if (method === 'private_key_jwt') {
      await this.assertions.verify(client, credentials.client_assertion as string, endpoint);
    } else if (method !== 'none' && !(await this.clientService.verifySecret(client, secret ?? ''))) {
      throw Errors.invalidClient().withHint('The client does not exist or the credentials are wrong.');
    }
    return client;
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
        throw Errors.invalidClient().withHint(`The client_assertion_type must be "${JWT_BEARER_ASSERTION_TYPE}".`);
      }
      const claimed = this.assertions.claimedClientId(c.client_assertion);
      if (!claimed || (c.client_id !== undefined && c.client_id !== claimed)) {
        throw Errors.invalidClient().withHint('The client assertion does not name the client in its "sub" claim.');
      }
      return { method: 'private_key_jwt', clientId: claimed };
    }
    if (!c.client_id) {
      throw Errors.invalidClient().withHint('The request carries no client authentication and no client_id.');
    }
    if (c.client_secret !== undefined) return { method: 'client_secret_post', clientId: c.client_id, secret: c.client_secret };
    return { method: 'none', clientId: c.client_id };
  }
}
