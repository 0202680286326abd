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
import { RegistrationPolicy } from './registration.policy';
import { sourceNetwork } from '../rate-limit/source-network';

/** Where registration is served, and how a client manages its registration there. */
export interface RegistrationEndpoint {
  /** The path of the endpoint; `registration_client_uri` points below it. */
  path: string;
  /**
   * Hydra v1: beside the registration access token the client's own credentials work, and a
   * `client_secret` in an update becomes the client's secret.
   */
  clientCredentials: boolean;
}

/** RFC 7591/7592: management with the registration access token only (RFC 7592 §3). */
export const RFC7591_REGISTRATION: RegistrationEndpoint = { path: 'oauth2/register', clientCredentials: false };
/** Hydra v1's `/connect/register`, as hydra-public-api.md documents it. */
export const HYDRA_V1_REGISTRATION: RegistrationEndpoint = { path: 'connect/register', clientCredentials: true };

/**
 * What proves a registered client when it manages its registration: the Authorization header (the
 * registration access token as a bearer, or where allowed its own Basic credentials) and, for
 * `client_secret_post`, its secret in the query.
 */
export interface RegistrationCredentials {
  authorization?: string;
  clientSecret?: string;
  /** The address the request came from: failed client authentications are limited per source. */
  source?: string;
}

/**
 * Dynamic client registration (RFC 7591) and its management protocol (RFC 7592), served at RFC 7591's
 * `/oauth2/register` and Hydra v1's `/connect/register` (RegistrationEndpoint says how they differ). Off
 * unless OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED; what a client may register is bounded by the operator's
 * RegistrationPolicy. Registrations, and separately updates, are rate limited per source network
 * (sourceNetwork: an IPv4 address, an IPv6 /64), whichever path they use.
 */
export class RegistrationService {
  private readonly policy: RegistrationPolicy;

  constructor(
    private readonly clients: ClientService,
    private readonly authenticator: ClientAuthenticator,
    private readonly limiter: RateLimiter,
    private readonly config: HydrantConfig,
  ) {
    this.policy = RegistrationPolicy.fromConfig(config);
  }

  /** RFC 7591 §3.1: registers a client and answers its credentials once (§3.2.1). */
  async register(endpoint: RegistrationEndpoint, input: ClientDto, sourceIp: string): Promise<Record<string, unknown>> {
    this.ensureEnabled();
    await this.consume('registration', sourceIp, 'Too many client registrations from this network.');
    const { client, issued } = await this.clients.create(this.withDefaultScope(input), { dynamic: true, admit: this.policy.admit });
    return this.present(endpoint, client, issued);
  }

  /** RFC 7592 §2.1 */
  async read(endpoint: RegistrationEndpoint, id: string, credentials: RegistrationCredentials): Promise<Record<string, unknown>> {
    this.ensureEnabled();
    return this.present(endpoint, await this.authenticate(endpoint, id, credentials), {});
  }

  /**
   * RFC 7592 §2.2: replaces the metadata and rotates the registration access token. At Hydra v1's path a
   * `client_secret` in the body becomes the client's secret and is answered once, as Hydra documents.
   * Limited like registration, in a bucket of its own (so that updates and registrations do not use up
   * each other's budget), and counted before the credentials are checked, so that guessing a client's
   * secret at Hydra v1's path is limited too.
   */
  async update(
    endpoint: RegistrationEndpoint,
    id: string,
    input: ClientDto,
    credentials: RegistrationCredentials,
    sourceIp: string,
  ): Promise<Record<string, unknown>> {
    this.ensureEnabled();
    await this.consume('registration-update', sourceIp, 'Too many client registration updates from this network.');
    await this.authenticate(endpoint, id, credentials);
    const { client, issued } = await this.clients.replace(id, this.withDefaultScope(input), {
      dynamic: true,
      secretMayChange: endpoint.clientCredentials,
      admit: this.policy.admit,
    });
    return this.present(endpoint, client, issued);
  }

  /** RFC 7592 §2.3 */
  async remove(endpoint: RegistrationEndpoint, id: string, credentials: RegistrationCredentials): Promise<void> {
    this.ensureEnabled();
    await this.authenticate(endpoint, id, credentials);
    await this.clients.delete(id);
  }

  /** 404 unless OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: the endpoints then look absent. */
  ensureEnabled(): void {
    if (!this.config.oidcDynamicClientRegistrationEnabled) {
      throw Errors.notFound().withHint('Dynamic client registration is not enabled.');
    }
  }

  /** Counts one request from the source's network (IPv6 by /64) against the registration rate limit. */
  private async consume(bucket: string, sourceIp: string, hint: string): Promise<void> {
    const allowed = await this.limiter.consume(
      `${bucket}:${sourceNetwork(sourceIp)}`,
      this.config.oidcDynamicClientRegistrationRateLimit,
      this.config.oidcDynamicClientRegistrationRateLimitWindow,
    );
    if (!allowed) throw Errors.tooManyRequests().withHint(hint);
  }

  /**
   * A client that asks for no scope gets OIDC_DYNAMIC_CLIENT_REGISTRATION_DEFAULT_SCOPE, at registration
   * and at an update (RFC 7592 §2.2 treats an omitted field as a request for the server's default).
   */
  private withDefaultScope(input: ClientDto): ClientDto {
    return { ...input, scope: input.scope ?? this.config.oidcDynamicClientRegistrationDefaultScope.join(' ') };
  }

  /**
   * RFC 7592 §3: the registration access token; or, where the endpoint allows it, as Hydra v1 documents,
   * the client's own secret with the method it registered (Basic, or `client_secret` in the query for
   * `client_secret_post`). Either way only a client that registered itself may manage itself here: an
   * operator's client is the operator's.
   */
  private async authenticate(endpoint: RegistrationEndpoint, id: string, { authorization, clientSecret, source }: RegistrationCredentials): Promise<Client> {
    const bearer = bearerFromHeader(authorization);
    if (!endpoint.clientCredentials || bearer !== undefined || (clientSecret === undefined && !/^Basic\s/i.test(authorization ?? ''))) {
      return this.clients.authenticateRegistration(id, bearer);
    }
    const client = await this.authenticator.authenticate(
      { authorization, source, ...(clientSecret !== undefined ? { client_id: id, client_secret: clientSecret } : {}) },
      publicEndpoint(this.config, endpoint.path),
    );
    if (client.id !== id || client.registrationTokenHash === null) {
      throw Errors.invalidClient().withHint('The client does not exist, was not registered dynamically, or the credentials are wrong.');
    }
    return client;
  }

  /**
   * Without `metadata`, as Hydra answers: it is the operator's private field, and a client that sends back
   * what it read (RFC 7592 §2.2) must not be refused for echoing a field it may not set.
   */
  private present(endpoint: RegistrationEndpoint, client: Client, issued: { client_secret?: string; registration_access_token?: string }) {
    const { metadata: _operatorOnly, ...presented } = presentClient(client, {
      ...issued,
      registration_client_uri: `${publicEndpoint(this.config, endpoint.path)}/${encodeURIComponent(client.id)}`,
    });
    return { ...presented, client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000) };
  }
}
