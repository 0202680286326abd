import { Errors, OAuth2Error } from '../errors';

/**
 * A 429 `too_many_requests` that knows when to try again, so that the public port can answer it with
 * `Retry-After` (RFC 9110 §10.2.3, RFC 6585 §4). Hints and debug text keep the delay.
 */
export class RateLimitedError extends OAuth2Error {
  constructor(
    /** Whole seconds until the window that refused the request ends; at least 1. */
    readonly retryAfterSeconds: number,
    options: { hint?: string; debug?: string } = {},
  ) {
    const base = Errors.tooManyRequests();
    super(base.error, base.description, base.statusCode, options);
  }

  /** Refused until `until` (milliseconds since the epoch), counted from `now`. */
  static until(until: number, now: number, hint: string): RateLimitedError {
    return new RateLimitedError(Math.max(1, Math.ceil((until - now) / 1000)), { hint });
  }

  override withHint(hint: string): RateLimitedError {
    return new RateLimitedError(this.retryAfterSeconds, { hint, debug: this.debug });
  }

  override withDebug(debug: string): RateLimitedError {
    return new RateLimitedError(this.retryAfterSeconds, { hint: this.hint, debug });
  }
}
