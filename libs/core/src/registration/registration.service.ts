import { HydrantConfig } from '../config/hydrant.config';
import { publicEndpoint } from '../config/urls';
import { ClientAuthenticator } from '../clients/authentication/client.authenticator';
import { ClientDto } from '../clients/client.dto';
import { presentClient } from '../clients/client.presenter';
import { ClientService } from '../clients/client.service';
import { Client } from '../clients/client.model';
import { Errors } from '../errors';
import { bearerFromHeader } from '../oauth2/params/bearer-token';
import { RateLimiter } from '../rate-limit/rate-limiter';

/**
 * How a registered client proves itself when it manages its registration: the registration access token
 * as a bearer (RFC 7592 §3); and, where `clientCredentials` allows it (Hydra v1's `/connect/register`),
 * its own Basic credentials, or for `client_secret_post` its secret in the query.
 */
export interface RegistrationCredentials {
  authorization?: string;
  clientSecret?: string;
  clientCredentials?: boolean;
}

/**
 * Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), served at RFC 7591's
 * `/oauth2/register` and Hydra v1's `/connect/register` alike. Off unless
 * OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED; registrations are rate limited per source address.
 */
export class RegistrationService {
  private readonly registrationEndpointUrl: string;

  constructor(
    private readonly clients: ClientService,
    private readonly authenticator: ClientAuthenticator,
    private readonly limiter: RateLimiter,
    private readonly config: HydrantConfig,
  ) {
    this.registrationEndpointUrl = publicEndpoint(config, 'oauth2/register');
  }

  /** RFC 7591 §3.1: registers a client and answers its credentials once (§3.2.1). */
  async register(input: ClientDto, sourceIp: string): Promise<Record<string, unknown>> {
    this.ensureEnabled();
    const allowed = await this.limiter.consume(
      `registration:${sourceIp}`,
      this.config.oidcDynamicClientRegistrationRateLimit,
      this.config.oidcDynamicClientRegistrationRateLimitWindow,
    );
    if (!allowed) throw Errors.tooManyRequests().withHint('Too many client registrations from this address.');
    const scope = input.scope ?? this.config.oidcDynamicClientRegistrationDefaultScope.join(' ');
    const { client, issued } = await this.clients.create({ ...input, scope }, { dynamic: true });
    return this.present(client, issued);
  }

  /** RFC 7592 §2.1 */
  async read(id: string, credentials: RegistrationCredentials): Promise<Record<string, unknown>> {
    this.ensureEnabled();
    return this.present(await this.authenticate(id, credentials), {});
  }

  /** RFC 7592 §2.2: replaces the metadata and rotates the registration access token. */
  async update(id: string, input: ClientDto, credentials: RegistrationCredentials): Promise<Record<string, unknown>> {
    this.ensureEnabled();
    await this.authenticate(id, credentials);
    const { client, issued } = await this.clients.replace(id, input, { dynamic: true });
    return this.present(client, issued);
  }

  /** RFC 7592 §2.3 */
  async remove(id: string, credentials: RegistrationCredentials): Promise<void> {
    this.ensureEnabled();
    await this.authenticate(id, credentials);
    await this.clients.delete(id);
  }

  /**
   * RFC 7592 §3: the registration access token; or, where allowed, as Hydra v1 documents it, the client's
   * own secret with the method it registered (Basic, or `client_secret` in the query for
   * `client_secret_post`). Either way only a client that registered itself may manage itself here: an
   * operator's client is the operator's.
   */
  private async authenticate(id: string, { authorization, clientSecret, clientCredentials }: RegistrationCredentials): Promise<Client> {
    const bearer = bearerFromHeader(authorization);
    if (!clientCredentials || bearer !== undefined || (clientSecret === undefined && !/^Basic\s/i.test(authorization ?? ''))) {
      return this.clients.authenticateRegistration(id, bearer);
    }
    const client = await this.authenticator.authenticate(
      { authorization, ...(clientSecret !== undefined ? { client_id: id, client_secret: clientSecret } : {}) },
      this.registrationEndpointUrl,
    );
    if (client.id !== id || client.registrationTokenHash === null) {
      throw Errors.invalidClient().withHint('The client does not exist, was not registered dynamically, or the credentials are wrong.');
    }
    return client;
  }

  /** 404 unless OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: the endpoints then look absent. */
  ensureEnabled(): void {
    if (!this.config.oidcDynamicClientRegistrationEnabled) {
      throw Errors.notFound().withHint('Dynamic client registration is not enabled.');
    }
  }

  /**
   * Without `metadata`, as Hydra answers: it is the operator's private field, and a client that sends back
   * what it read (RFC 7592 §2.2) must not be refused for echoing a field it may not set.
   */
  private present(client: Client, issued: { client_secret?: string; registration_access_token?: string }) {
    const issuer = this.config.urlsSelfIssuer.replace(/\/?$/, '/');
    const { metadata: _operatorOnly, ...presented } = presentClient(client, {
      ...issued,
      registration_client_uri: `${issuer}oauth2/register/${encodeURIComponent(client.id)}`,
    });
    return { ...presented, client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000) };
  }
}
