import 'reflect-metadata';
import { AsyncLocalStorage } from 'node:async_hooks';
import { defaultMetadata } from '../clients/client.metadata';
import { Client } from '../clients/client.model';
import { loadConfig } from '../config/config.loader';
import { HydrantConfig } from '../config/hydrant.config';
import { OAuth2Error } from '../errors';
import { TransactionRunner } from '../persistence/transaction.runner';

/**
 * What the fast specs of the authorize, flow and logout code share: the configuration as the loader builds
 * it (documented defaults plus the env a spec gives), clients as the store answers them, and a transaction
 * runner without a database.
 */

export const SPEC_SYSTEM_SECRET = 'flow-spec-system-secret-0123456789';

/** The configuration `loadConfig` builds from the documented defaults and `env`. */
export function specConfig(env: Record<string, string> = {}): HydrantConfig {
  return loadConfig({
    env: { SECRETS_SYSTEM: SPEC_SYSTEM_SECRET, URLS_SELF_ISSUER: 'https://issuer.example/', ...env },
  });
}

/** A confidential code-flow client with one redirect URI; `metadata` overrides fields. */
export function specClient(id: string, metadata: Partial<Client['metadata']> = {}): Client {
  const now = new Date();
  return {
    id,
    metadata: {
      ...defaultMetadata(),
      redirect_uris: [`https://${id}.example/cb`],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'openid offline_access profile email',
      ...metadata,
    },
    secretHash: null,
    rotatedSecretHashes: [],
    registrationTokenHash: null,
    application: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * A TransactionRunner without a database: units of work run one after another, as on SQLite's connection
 * gate, and a `run` inside another joins it. There is no rollback, so a spec must not rely on one.
 */
export function serialTransactions(): TransactionRunner & { units: number } {
  const inside = new AsyncLocalStorage<true>();
  let queue: Promise<unknown> = Promise.resolve();
  const runner = {
    units: 0,
    run<T>(work: () => Promise<T>): Promise<T> {
      if (inside.getStore()) return work();
      runner.units++;
      const result = queue.then(() => inside.run(true, work));
      queue = result.catch(() => undefined);
      return result;
    },
  };
  return runner as unknown as TransactionRunner & { units: number };
}

/** The OAuth2Error a promise rejects with; fails the spec when it resolves or rejects with anything else. */
export async function oauthError(promise: Promise<unknown>): Promise<OAuth2Error> {
  const thrown = await promise.then(
    (value) => {
      throw new Error(`expected an OAuth2Error, got ${JSON.stringify(value)}`);
    },
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(OAuth2Error);
  return thrown as OAuth2Error;
}

/** The query of a redirect as a plain object. */
export function queryOf(location: string): Record<string, string> {
  return Object.fromEntries(new URL(location).searchParams);
}

/**
 * Moves the clock (`Date`, `Date.now()`, `new Date()`) `ms` ahead, leaving timers and turns real so that the
 * in-memory stores keep working. Undo with `jest.useRealTimers()`.
 */
export function moveClock(ms: number): void {
  const now = Date.now();
  jest.useFakeTimers({
    doNotFake: ['setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'],
  });
  jest.setSystemTime(now + ms);
}
