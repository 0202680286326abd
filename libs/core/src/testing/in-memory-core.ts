import 'reflect-metadata';
import { loadConfig } from '../config/config.loader';
import { HydrantConfig } from '../config/hydrant.config';
import { composeCore, CoreGraph } from '../core.composition';
import { OutboundFetchError } from '../http/outbound/outbound-fetch.error';
import { OutboundHttpClient, OutboundRequest, OutboundResponse } from '../http/outbound/outbound-http.client';
import { PrivateAddressRule } from '../http/outbound/private-address.rule';
import { RemoteKeySetCache } from '../http/outbound/remote-key-set.cache';
import { KeyEncryption } from '../keys/key-encryption';
import { KeySetService } from '../keys/key-set.service';
import { KEY_SETS } from '../keys/key-sets';
import { createLogger } from '../logging/logger';
import { TransactionRunner } from '../persistence/transaction.runner';
import type { HydrantRuntime } from '../runtime';
import { inMemoryStores, InMemoryStores } from './in-memory-stores';
import { inMemoryTransactions } from './in-memory-transactions';

export const SPEC_ISSUER = 'https://issuer.example/';
export const SPEC_SECRET = 'oauth2-spec-system-secret-0123456789';

/** Fast specs make no network calls: every outbound request fails as an unreachable URL does. */
class NoNetwork extends OutboundHttpClient {
  override async request(target: string, _request: OutboundRequest): Promise<OutboundResponse> {
    throw new OutboundFetchError(`fast specs make no network calls (${target})`);
  }
}

/** The database connection of a runtime without one: any use is a spec that needs a real database. */
const NO_DATABASE = new Proxy({}, {
  get(_target, property) {
    throw new Error(`no database in fast specs (DataSource.${String(property)})`);
  },
}) as HydrantRuntime['dataSource'];

export interface InMemoryCore {
  config: HydrantConfig;
  stores: InMemoryStores;
  transactions: TransactionRunner;
  runtime: HydrantRuntime;
  /** libs/core's object graph as the apps get it (core.composition.ts), on the in-memory stores. */
  core: CoreGraph;
}

/**
 * libs/core wired exactly as production wires it (composeCore), on in-memory stores: the grants, the token
 * endpoint, client authentication, introspection and revocation are the real objects with their real
 * collaborators (codecs, hasher, key sets, configuration from the loader's defaults plus `env`); only
 * storage, transactions and the network are replaced. Key sets are ES256 rather than the default RS256,
 * which only makes their generation fast.
 */
export async function inMemoryCore(env: Record<string, string> = {}): Promise<InMemoryCore> {
  const config = loadConfig({ env: { SECRETS_SYSTEM: SPEC_SECRET, URLS_SELF_ISSUER: SPEC_ISSUER, LOG_LEVEL: 'fatal', ...env } });
  const logger = createLogger({ level: config.logLevel, format: 'json' });
  const stores = inMemoryStores();
  const transactions = inMemoryTransactions();
  const keySets = new KeySetService(stores.jwks, new KeyEncryption(config.secretsSystem), transactions);
  await keySets.ensureSet(KEY_SETS.idToken, 'ES256');
  await keySets.ensureSet(KEY_SETS.accessToken, 'ES256');
  const outbound = new NoNetwork({ timeoutMs: config.clientsHttpTimeout, rule: new PrivateAddressRule(config.clientsHttpDisallowPrivateIpRanges, config.clientsHttpPrivateIpExceptionUrls), logger });
  const runtime: HydrantRuntime = {
    config,
    dataSource: NO_DATABASE,
    transactions,
    stores,
    keySets,
    logger,
    outbound,
    remoteKeySets: new RemoteKeySetCache(outbound),
    tokenHookClient: outbound,
  };
  return { config, stores, transactions, runtime, core: composeCore(runtime) };
}
