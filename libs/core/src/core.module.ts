import { DynamicModule, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APPLICATION_PROVIDERS } from './applications/applications.providers';
import { ClientAuthenticator } from './clients/authentication/client.authenticator';
import { ClientSecretHasher } from './clients/client-secret.hasher';
import { ClientRepository } from './clients/client.repository';
import { ClientService } from './clients/client.service';
import { HydrantConfig } from './config/hydrant.config';
import { KeySetService } from './keys/key-set.service';
import { OutboundHttpClient } from './http/outbound/outbound-http.client';
import { RemoteKeySetCache } from './http/outbound/remote-key-set.cache';
import { SectorIdentifierVerifier } from './clients/sector-identifier.verifier';
import { CorsPolicy } from './cors/cors.policy';
import { LOGGER } from './logging/logger.token';
import { FLOW_PROVIDERS } from './flows/flows.providers';
import { OAUTH2_PROVIDERS } from './oauth2/oauth2.providers';
import { TransactionRunner } from './persistence/transaction.runner';
import { RateLimiter } from './rate-limit/rate-limiter';
import { RegistrationService } from './registration/registration.service';
import { HydrantRuntime } from './runtime';

/**
 * Binds the framework-free domain of libs/core into Nest's container. The runtime (configuration,
 * database, transaction queue) is created once per process and shared by both apps.
 */
@Module({})
export class CoreModule {
  static forRuntime(runtime: HydrantRuntime): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      providers: [
        { provide: HydrantConfig, useValue: runtime.config },
        { provide: DataSource, useValue: runtime.dataSource },
        { provide: TransactionRunner, useValue: runtime.transactions },
        { provide: LOGGER, useValue: runtime.logger },
        { provide: KeySetService, useValue: runtime.keySets },
        { provide: OutboundHttpClient, useValue: runtime.outbound },
        { provide: RemoteKeySetCache, useValue: runtime.remoteKeySets },
        { provide: ClientSecretHasher, useValue: new ClientSecretHasher() },
        { provide: ClientRepository, useFactory: (ds: DataSource) => new ClientRepository(ds), inject: [DataSource] },
        { provide: RateLimiter, useFactory: (ds: DataSource, tx: TransactionRunner) => new RateLimiter(ds, tx), inject: [DataSource, TransactionRunner] },
        { provide: SectorIdentifierVerifier, useFactory: (http: OutboundHttpClient) => new SectorIdentifierVerifier(http), inject: [OutboundHttpClient] },
        {
          provide: ClientService,
          useFactory: (repo: ClientRepository, hasher: ClientSecretHasher, tx: TransactionRunner, config: HydrantConfig, sectors: SectorIdentifierVerifier) =>
            new ClientService(repo, hasher, tx, config, sectors),
          inject: [ClientRepository, ClientSecretHasher, TransactionRunner, HydrantConfig, SectorIdentifierVerifier],
        },
        {
          provide: RegistrationService,
          useFactory: (clients: ClientService, auth: ClientAuthenticator, limiter: RateLimiter, config: HydrantConfig) =>
            new RegistrationService(clients, auth, limiter, config),
          inject: [ClientService, ClientAuthenticator, RateLimiter, HydrantConfig],
        },
        { provide: CorsPolicy, useFactory: (c: HydrantConfig, repo: ClientRepository) => new CorsPolicy(c, repo), inject: [HydrantConfig, ClientRepository] },
        ...OAUTH2_PROVIDERS,
        ...FLOW_PROVIDERS,
        ...APPLICATION_PROVIDERS,
      ],
      exports: [
        HydrantConfig,
        DataSource,
        TransactionRunner,
        LOGGER,
        KeySetService,
        OutboundHttpClient,
        RemoteKeySetCache,
        SectorIdentifierVerifier,
        ClientSecretHasher,
        ClientRepository,
        RateLimiter,
        ClientService,
        RegistrationService,
        CorsPolicy,
        ...OAUTH2_PROVIDERS.map((p) => p.provide),
        ...FLOW_PROVIDERS.map((p) => p.provide),
        ...APPLICATION_PROVIDERS.map((p) => p.provide),
      ],
    };
  }
}
