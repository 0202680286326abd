import 'reflect-metadata';
import { defaultMetadata } from '../clients/client.metadata';
import { Client } from '../clients/client.model';
import { loadConfig } from '../config/config.loader';
import { HydrantConfig } from '../config/hydrant.config';
import { OAuth2Error } from '../errors';

/**
 * What the fast specs of the authorize, flow and logout code share: the configuration as the loader builds
 * it (documented defaults plus the env a spec gives) and clients as the store answers them (the transaction
 * runner without a database is in-memory-transactions.ts).
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
