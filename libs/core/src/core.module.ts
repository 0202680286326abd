import { DynamicModule, Module, ValueProvider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { composeCore } from './core.composition';
import { HydrantConfig } from './config/hydrant.config';
import { OutboundHttpClient } from './http/outbound/outbound-http.client';
import { RemoteKeySetCache } from './http/outbound/remote-key-set.cache';
import { KeySetService } from './keys/key-set.service';
import { LOGGER } from './logging/logger.token';
import { TransactionRunner } from './persistence/transaction.runner';
import { HydrantRuntime } from './runtime';

/**
 * Hands libs/core's object graph (core.composition.ts) to Nest's container as values, each under its own
 * class, for the controllers to inject. Nest builds none of them. The runtime (configuration, database,
 * key sets, outbound client) is created once per process and shared by both apps.
 */
@Module({})
export class CoreModule {
  static forRuntime(runtime: HydrantRuntime): DynamicModule {
    const graph = composeCore(runtime);
    const providers: ValueProvider[] = [
      { provide: HydrantConfig, useValue: runtime.config },
      { provide: DataSource, useValue: runtime.dataSource },
      { provide: TransactionRunner, useValue: runtime.transactions },
      { provide: LOGGER, useValue: runtime.logger },
      { provide: KeySetService, useValue: runtime.keySets },
      { provide: OutboundHttpClient, useValue: runtime.outbound },
      { provide: RemoteKeySetCache, useValue: runtime.remoteKeySets },
      ...Object.values(graph).map((value): ValueProvider => ({ provide: value.constructor, useValue: value })),
    ];
    const classes = providers.map((p) => p.provide);
    if (new Set(classes).size !== classes.length) throw new Error('libs/core holds two objects of one class: Nest could inject only one of them');
    return { module: CoreModule, global: true, providers, exports: classes };
  }
}
