import type { Stores } from '../stores';

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
}

const BATCH_SIZE = 500;

/** One kind of row a flush deletes, a batch at a time. */
type BatchDeleter = (before: Date, batchSize: number) => Promise<number>;

/**
 * Deletes what can no longer be used, if it ran out before `notAfter` (later rows are kept, e.g. for
 * audits): tokens that expired or were revoked, authorization codes that expired, flows abandoned before
 * consent, login sessions that ended, logout requests that expired, remembered assertion jtis, personal
 * access tokens and device authorizations that expired, and the counters of rate-limit windows that ended. Works in small batches so
 * that a large flush never holds the database's write lock for long (`POST /admin/oauth2/flush`,
 * `hydrant janitor`).
 */
export class Janitor {
  private readonly deleters: Record<keyof FlushResult, BatchDeleter>;

  constructor({ tokens, codes, flows, loginSessions, logoutRequests, jtis, pats, deviceRequests, rateLimits }: Stores) {
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
    };
  }

  async flush(notAfter: Date = new Date()): Promise<FlushResult> {
    const before = new Date(Math.min(notAfter.getTime(), Date.now()));
    const result: FlushResult = { tokens: 0, codes: 0, flows: 0, loginSessions: 0, logoutRequests: 0, assertions: 0, personalAccessTokens: 0, deviceRequests: 0, rateLimits: 0 };
    for (const kind of Object.keys(this.deleters) as Array<keyof FlushResult>) {
      let deleted: number;
      do {
        deleted = await this.deleters[kind](before, BATCH_SIZE);
        result[kind] += deleted;
      } while (deleted === BATCH_SIZE);
    }
    return result;
  }
}
