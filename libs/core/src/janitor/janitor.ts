import type { TransactionRunner } from '../persistence/transaction.runner';
import type { Stores } from '../stores';
import { TrustedIssuerService } from '../trust/trusted-issuer.service';

/** How many rows of each kind a flush deleted. */
export interface FlushResult {
  tokens: number;
  codes: number;
  flows: number;
  loginSessions: number;
  logoutRequests: number;
  assertions: number;
  personalAccessTokens: number;
  /** Device authorizations (RFC 8628) whose codes expired. */
  deviceRequests: number;
  /** Counters of rate-limit windows that ended (registrations, failed client authentications). */
  rateLimits: number;
  /** Trust relationships of the JWT bearer grant that expired. */
  trustedIssuers: number;
}

/** The groups `hydrant janitor` selects with Hydra's flags: --tokens, --requests, --grants. */
export type JanitorKind = 'tokens' | 'requests' | 'grants';

const GROUP: Record<keyof FlushResult, JanitorKind> = {
  tokens: 'tokens',
  codes: 'tokens',
  assertions: 'tokens',
  personalAccessTokens: 'tokens',
  flows: 'requests',
  loginSessions: 'requests',
  logoutRequests: 'requests',
  deviceRequests: 'requests',
  rateLimits: 'requests',
  trustedIssuers: 'grants',
};

export interface FlushOptions {
  /** Keep what stopped being usable after this time (default: now). */
  notAfter?: Date;
  /** The groups to delete (default: tokens and requests, as POST /admin/oauth2/flush always did). */
  kinds?: JanitorKind[];
  /** Rows per DELETE statement (default 500). */
  batchSize?: number;
  /** At most this many rows of each kind per run (default: no limit). */
  limit?: number;
}

const BATCH_SIZE = 500;

/** One kind of row a flush deletes, a batch at a time. */
type BatchDeleter = (before: Date, batchSize: number) => Promise<number>;

/**
 * Deletes what can no longer be used, if it ran out before `notAfter` (later rows are kept, e.g. for
 * audits): tokens that expired or were revoked, authorization codes that expired, flows abandoned before
 * consent, login sessions that ended, logout requests that expired, remembered assertion jtis, personal
 * access tokens and device authorizations that expired, the counters of rate-limit windows that ended
 * and, when asked, expired trust relationships. Works in small batches so that a large flush never holds
 * the database's write lock for long (`POST /admin/oauth2/flush`, `hydrant janitor`).
 */
export class Janitor {
  private readonly deleters: Record<keyof FlushResult, BatchDeleter>;

  constructor(
    { tokens, codes, flows, loginSessions, logoutRequests, jtis, pats, deviceRequests, rateLimits }: Stores,
    expiredTrusts: Pick<TrustedIssuerService, 'deleteExpiredBatch'>,
  ) {
    this.deleters = {
      tokens: (before, n) => tokens.deleteInactiveBatch(before, n),
      codes: (before, n) => codes.deleteExpiredBatch(before, n),
      flows: (before, n) => flows.deleteAbandonedBatch(before, n),
      loginSessions: (before, n) => loginSessions.deleteExpiredBatch(before, n),
      logoutRequests: (before, n) => logoutRequests.deleteExpiredBatch(before, n),
      assertions: (before, n) => jtis.deleteExpiredBatch(before, n),
      personalAccessTokens: (before, n) => pats.deleteExpiredBatch(before, n),
      deviceRequests: (before, n) => deviceRequests.deleteExpiredBatch(before, n),
      rateLimits: (before, n) => rateLimits.deleteExpiredBatch(before, n),
      trustedIssuers: (before, n) => expiredTrusts.deleteExpiredBatch(before, n),
    };
  }

  /** Tokens and requests that ran out before `notAfter` (POST /admin/oauth2/flush). */
  flush(notAfter: Date = new Date()): Promise<FlushResult> {
    return this.run({ notAfter });
  }

  async run(options: FlushOptions = {}): Promise<FlushResult> {
    const before = new Date(Math.min((options.notAfter ?? new Date()).getTime(), Date.now()));
    const kinds = options.kinds ?? ['tokens', 'requests'];
    const batchSize = options.batchSize ?? BATCH_SIZE;
    const limit = options.limit ?? Infinity;
    const result = Object.fromEntries(Object.keys(this.deleters).map((kind) => [kind, 0])) as unknown as FlushResult;
    for (const kind of Object.keys(this.deleters) as Array<keyof FlushResult>) {
      if (!kinds.includes(GROUP[kind])) continue;
      let deleted: number;
      let batch: number;
      do {
        batch = Math.min(batchSize, limit - result[kind]);
        deleted = await this.deleters[kind](before, batch);
        result[kind] += deleted;
      } while (deleted === batch && result[kind] < limit);
    }
    return result;
  }
}

/** The janitor of one database: its stores, with expired trusts (and their unused keys) deleted in units of work. */
export function openJanitor(stores: Stores, transactions: TransactionRunner): Janitor {
  return new Janitor(stores, new TrustedIssuerService(stores.trustedIssuers, stores.jwks, transactions));
}
