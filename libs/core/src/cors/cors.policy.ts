import { ClientStore } from '../clients/client.store';
import { HydrantConfig } from '../config/hydrant.config';

/**
 * Which origins may read the public token, revocation and userinfo responses (SERVE_PUBLIC_CORS_*):
 * the globally allowed ones, and a client's own `allowed_cors_origins` for requests made as that client.
 */
export class CorsPolicy {
  private readonly global: Set<string>;

  constructor(
    private readonly config: HydrantConfig,
    private readonly clients: ClientStore,
  ) {
    this.global = new Set(config.servePublicCorsAllowedOrigins.map((o) => o.replace(/\/$/, '')));
  }

  get enabled(): boolean {
    return this.config.servePublicCorsEnabled;
  }

  /** Whether `origin` may read a response to a request made as `clientId` (if the request names one). */
  async allows(origin: string, clientId: string | undefined): Promise<boolean> {
    if (!this.enabled) return false;
    if (this.global.has(origin)) return true;
    if (!clientId) return false;
    const client = await this.clients.findForAuthentication(clientId);
    return client?.metadata.allowed_cors_origins.some((o) => o.replace(/\/$/, '') === origin) ?? false;
  }
}
