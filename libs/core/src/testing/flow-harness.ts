import { Client } from '../clients/client.model';
import { HydrantConfig } from '../config/hydrant.config';
import { publicEndpoint } from '../config/urls';
import { ConsentRequestService } from '../flows/consent-request.service';
import { CookieInstruction } from '../flows/flow-cookies';
import { LoginRequestService } from '../flows/login-request.service';
import { LogoutRequestService } from '../flows/logout-request.service';
import { KeyEncryption } from '../keys/key-encryption';
import { KeySetService } from '../keys/key-set.service';
import { KEY_SETS } from '../keys/key-sets';
import { AuthorizeOutcome } from '../oauth2/authorize/authorize-response';
import { AuthorizeEndpoint } from '../oauth2/authorize/authorize.endpoint';
import { FlowReturn } from '../oauth2/authorize/flow-return';
import { IdTokenCodec } from '../oidc/id-token.codec';
import { OpaqueTokenCodec } from '../tokens/opaque-token.codec';
import { specConfig } from './flow-spec.fixtures';
import { inMemoryTransactions } from './in-memory-transactions';
import { InMemoryAuthorizationCodeStore } from './in-memory-authorization-code.store';
import { InMemoryClientStore } from './in-memory-client.store';
import { InMemoryDeviceRequestStore } from './in-memory-device-request.store';
import { InMemoryFlowStore } from './in-memory-flow.store';
import { InMemoryJwkStore } from './in-memory-jwk.store';
import { InMemoryLoginSessionStore } from './in-memory-login-session.store';
import { InMemoryLogoutRequestStore } from './in-memory-logout-request.store';

/**
 * The authorization endpoint, the flow return and the challenge API's services, built as flows.wiring.ts
 * and oauth2.wiring.ts build them, over in-memory stores: a browser's way through login and consent runs
 * in milliseconds and without a database. The ID token key set holds one real ES256 key.
 */
export async function flowHarness(env: Record<string, string> = {}) {
  const config = specConfig(env);
  const clients = new InMemoryClientStore();
  const flows = new InMemoryFlowStore();
  const loginSessions = new InMemoryLoginSessionStore();
  const logoutRequests = new InMemoryLogoutRequestStore();
  const codes = new InMemoryAuthorizationCodeStore();
  const deviceRequests = new InMemoryDeviceRequestStore();
  const transactions = inMemoryTransactions();
  const keySets = new KeySetService(new InMemoryJwkStore(), new KeyEncryption(config.secretsSystem), transactions);
  await keySets.ensureSet(KEY_SETS.idToken, 'ES256');
  const idTokens = new IdTokenCodec(keySets, config.urlsSelfIssuer);
  const codec = new OpaqueTokenCodec(config.secretsSystem);
  const flowReturn = new FlowReturn(flows, loginSessions, codes, deviceRequests, codec, transactions, config);
  return {
    config,
    stores: { clients, flows, loginSessions, logoutRequests, codes, deviceRequests },
    transactions,
    idTokens,
    codec,
    authorize: new AuthorizeEndpoint(clients, flows, loginSessions, idTokens, flowReturn, config),
    logins: new LoginRequestService(flows, loginSessions, clients),
    consents: new ConsentRequestService(flows, clients, config),
    logouts: new LogoutRequestService(logoutRequests, clients, config),
    async addClient(client: Client): Promise<Client> {
      await clients.insert(client);
      return client;
    },
  };
}

export type FlowHarness = Awaited<ReturnType<typeof flowHarness>>;

/**
 * A browser at `/oauth2/auth`: it sends what the controller sends (the target it trusts, the raw
 * parameters, its cookies, the request URL), keeps the cookies each answer sets or clears, and follows
 * the `redirect_to` the admin API answers back to the endpoint.
 */
export class SpecBrowser {
  cookies: Record<string, string> = {};

  constructor(
    private readonly endpoint: AuthorizeEndpoint,
    private readonly config: HydrantConfig,
  ) {}

  async authorize(params: Record<string, string>): Promise<AuthorizeOutcome> {
    const target = await this.endpoint.trust(params);
    const requestUrl = `${publicEndpoint(this.config, 'oauth2/auth')}?${new URLSearchParams(params).toString()}`;
    const outcome = await this.endpoint.authorize(target, params, { ...this.cookies }, requestUrl);
    this.keep(outcome.cookies);
    return outcome;
  }

  /** Goes where the login or consent app's `redirect_to` points: back to `/oauth2/auth`. */
  follow(redirectTo: string): Promise<AuthorizeOutcome> {
    return this.authorize(Object.fromEntries(new URL(redirectTo).searchParams));
  }

  keep(instructions: CookieInstruction[]): void {
    for (const c of instructions) {
      if (c.value === null) delete this.cookies[c.name];
      else this.cookies[c.name] = c.value;
    }
  }
}
