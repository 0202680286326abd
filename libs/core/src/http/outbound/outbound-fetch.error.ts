/**
 * Why an outbound call failed. Its message is the same whatever happened (refused address, closed port,
 * timeout, error status, oversized body), so that no answer built from it tells an open port from a
 * closed one or a private address from a public one; what really happened is in `detail`, for the log and
 * for `withDebug` only.
 */
export class OutboundFetchError extends Error {
  /**
   * `timedOut`: the call ran out of its whole time (not connecting, which is a connection error). `status`:
   * the refused status, when the call failed on one (for its trace span).
   */
  constructor(
    readonly detail: string,
    readonly timedOut = false,
    readonly status?: number,
  ) {
    super('could not be fetched');
    this.name = 'OutboundFetchError';
  }
}
