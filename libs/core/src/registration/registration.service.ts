import { HydrantConfig } from '../config/hydrant.config';
import { ClientDto } from '../clients/client.dto';
import { presentClient } from '../clients/client.presenter';
import { ClientService } from '../clients/client.service';
import { Client } from '../clients/client.model';
import { Errors } from '../errors';
import { bearerFromHeader } from '../oauth2/params/bearer-token';
import { RateLimiter } from '../rate-limit/rate-limiter';

/**
 * Dynamic client registration (RFC 7591) and its management protocol (RFC 7592). Off unless
 * OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED; registrations are rate limited per source address.
 */
export class RegistrationService {
  constructor(
    private readonly clients: ClientService,
    private readonly limiter: RateLimiter,
    private readonly config: HydrantConfig,
  ) {}

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
  async read(id: string, authorization: string | undefined): Promise<Record<string, unknown>> {
    this.ensureEnabled();
    const client = await this.clients.authenticateRegistration(id, bearerFromHeader(authorization));
    return this.present(client, {});
  }

  /** RFC 7592 §2.2: replaces the metadata and rotates the registration access token. */
  async update(id: string, input: ClientDto, authorization: string | undefined): Promise<Record<string, unknown>> {
    this.ensureEnabled();
    await this.clients.authenticateRegistration(id, bearerFromHeader(authorization));
    const { client, issued } = await this.clients.replace(id, input, { dynamic: true });
    return this.present(client, issued);
  }

  /** RFC 7592 §2.3 */
  async remove(id: string, authorization: string | undefined): Promise<void> {
    this.ensureEnabled();
    await this.clients.authenticateRegistration(id, bearerFromHeader(authorization));
    await this.clients.delete(id);
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
