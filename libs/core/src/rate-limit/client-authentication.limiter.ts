import { hash } from 'node:crypto';
import { RateLimitedError } from './rate-limited.error';
import { RateLimiter, windowAt } from './rate-limiter';
import { sourceNetwork } from './source-network';

/** What the limiter needs of the counters (RateLimiter), so that specs can count in memory. */
export type WindowCounters = Pick<RateLimiter, 'peek' | 'count' | 'uncount'>;

/** Who tried to authenticate: the client it claimed to be and the address it came from, where known. */
export interface AuthenticationAttempt {
  clientId?: string;
  source?: string;
}

/** A client may fail this many times the per-source limit, from all sources together. */
export const CLIENT_FAILURE_FACTOR = 10;

/**
 * How long this process trusts a count it read. Failures counted here update it at once; those of other
 * workers and instances take effect here within this time, and every failure is counted in the database
 * (so the (limit + 1)th failure anywhere is refused exactly). Without it, every token request would read
 * the database once more.
 */
const VIEW_TTL_MS = 1000;
const MAX_VIEWS = 10_000;

const REFUSAL_HINT = 'Too many failed client authentications for this client or from this address; retry after the time Retry-After gives.';

interface Bucket {
  key: string;
  limit: number;
}

interface View {
  hits: number;
  windowStart: number;
  readAt: number;
}

/**
 * Failed client authentications, limited per source address and per client, in the database so that the
 * limit holds across workers and instances (OAUTH2_CLIENT_AUTHENTICATION_FAILURE_LIMIT per source and
 * window, ten times that per client; 0 turns it off). Only failures count. Over the limit the caller
 * answers 429 with Retry-After before it verifies anything, so that a guesser cannot make the server
 * spend scrypt on guesses; and a verification that is expensive counts its failure before it starts
 * (reserve), so that many guesses sent at once cannot all slip under the limit. A refused attempt counts
 * nothing.
 *
 * A client is counted under a digest of its id (ids are client-chosen, of any length and characters), and
 * unknown ids count like known ones, so that the limit says nothing about which clients exist.
 */
export class ClientAuthenticationLimiter {
  /** The latest count this process knows per bucket. */
  private readonly views = new Map<string, View>();

  constructor(
    private readonly counters: WindowCounters,
    private readonly perSource: number,
    private readonly windowMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Refuses (429) an attempt whose client or source has used up its failures in this window. */
  async ensureAllowed(attempt: AuthenticationAttempt): Promise<void> {
    const buckets = this.buckets(attempt);
    if (buckets.length === 0) return;
    const now = this.clock();
    const { start } = windowAt(this.windowMs, now);
    const unknown = buckets.filter((b) => {
      const view = this.views.get(b.key);
      return !view || view.windowStart !== start || now - view.readAt >= VIEW_TTL_MS;
    });
    if (unknown.length > 0) {
      const hits = await this.counters.peek(unknown.map((b) => b.key), this.windowMs, now);
      unknown.forEach((b, i) => this.remember(b.key, hits[i], start, now));
    }
    const over = buckets.some((b) => (this.views.get(b.key)?.hits ?? 0) >= b.limit);
    if (over) throw this.refusal(now);
  }

  /**
   * Counts a failure before an expensive verification, and refuses (429) when that goes over the limit;
   * the answer takes the count back, for a verification that succeeds.
   */
  async reserve(attempt: AuthenticationAttempt): Promise<() => Promise<void>> {
    const now = this.clock();
    const refusal = await this.countFailure(attempt, now);
    if (refusal) throw refusal;
    return () => this.uncount(this.buckets(attempt), now);
  }

  /** Counts a failed attempt; answers the refusal to send instead of the failure when it went over the limit. */
  recordFailure(attempt: AuthenticationAttempt): Promise<RateLimitedError | undefined> {
    return this.countFailure(attempt, this.clock());
  }

  /**
   * A refused attempt counts nothing: it is taken back at once. Otherwise one source's failures sent all at
   * once, refused at its own limit, would still use up the budget of the client they name.
   */
  private async countFailure(attempt: AuthenticationAttempt, now: number): Promise<RateLimitedError | undefined> {
    const buckets = this.buckets(attempt);
    if (buckets.length === 0) return undefined;
    const { start } = windowAt(this.windowMs, now);
    const hits = await this.counters.count(buckets.map((b) => b.key), this.windowMs, now);
    buckets.forEach((b, i) => this.remember(b.key, hits[i], start, now));
    if (buckets.every((b, i) => hits[i] <= b.limit)) return undefined;
    await this.uncount(buckets, now);
    return this.refusal(now);
  }

  private async uncount(buckets: Bucket[], now: number): Promise<void> {
    if (buckets.length === 0) return;
    await this.counters.uncount(buckets.map((b) => b.key), this.windowMs, now);
    const { start } = windowAt(this.windowMs, now);
    for (const b of buckets) {
      const view = this.views.get(b.key);
      if (view && view.windowStart === start && view.hits > 0) view.hits--;
    }
  }

  private buckets({ clientId, source }: AuthenticationAttempt): Bucket[] {
    if (this.perSource <= 0) return [];
    const buckets: Bucket[] = [];
    if (clientId !== undefined) buckets.push({ key: `client-authentication:client:${digest(clientId)}`, limit: this.perSource * CLIENT_FAILURE_FACTOR });
    if (source) {
      const key = sourceNetwork(source);
      buckets.push({ key: `client-authentication:source:${key.length <= 64 ? key : digest(key)}`, limit: this.perSource });
    }
    return buckets;
  }

  private remember(key: string, hits: number, windowStart: number, readAt: number): void {
    if (!this.views.has(key) && this.views.size >= MAX_VIEWS) this.views.delete(this.views.keys().next().value as string);
    this.views.set(key, { hits, windowStart, readAt });
  }

  private refusal(now: number): RateLimitedError {
    return RateLimitedError.until(windowAt(this.windowMs, now).end, now, REFUSAL_HINT);
  }
}

function digest(value: string): string {
  return hash('sha256', value, 'base64url');
}
