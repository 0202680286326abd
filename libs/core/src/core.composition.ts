import { wireApplications } from './applications/applications.wiring';
import { wireClients } from './clients/clients.wiring';
import { CorsPolicy } from './cors/cors.policy';
import { wireFlows } from './flows/flows.wiring';
import { Janitor } from './janitor/janitor';
import { wireKeys } from './keys/keys.wiring';
import { wireOAuth2 } from './oauth2/oauth2.wiring';
import { wireOidc } from './oidc/oidc.wiring';
import { RegistrationService } from './registration/registration.service';
import { RateLimiter } from './rate-limit/rate-limiter';
import { HydrantRuntime } from './runtime';
import { wireTokens } from './tokens/tokens.wiring';
import { wireTrust } from './trust/trust.wiring';

/**
 * libs/core's object graph for one app, built by plain typed code: every object is made with `new` and
 * its constructor's arguments, so a missing or wrong argument is a compile error, never a failure at the
 * first request. Each folder wires its own objects (`*.wiring.ts`); this function only orders them.
 */
export function composeCore(runtime: HydrantRuntime) {
  const { config } = runtime;
  const { stores } = runtime;
  const clients = wireClients(runtime, stores);
  const tokens = wireTokens(runtime, stores);
  const keys = wireKeys(runtime, stores);
  const oidc = wireOidc(runtime, stores, tokens);
  const flows = wireFlows(runtime, stores, oidc);
  const trust = wireTrust(runtime, stores);
  const oauth2 = wireOAuth2(runtime, stores, { clients, tokens, oidc, trust });
  const applications = wireApplications(runtime, stores, { clients, tokens, flows });
  return {
    ...stores,
    ...clients,
    ...tokens,
    ...keys,
    ...oidc,
    ...flows,
    ...trust,
    ...oauth2,
    ...applications,
    cors: new CorsPolicy(config, stores.clients),
    registration: new RegistrationService(clients.clientService, clients.clientAuthenticator, new RateLimiter(stores.rateLimits), config),
    janitor: new Janitor(stores, trust.trustedIssuerService),
  };
}

export type CoreGraph = ReturnType<typeof composeCore>;
