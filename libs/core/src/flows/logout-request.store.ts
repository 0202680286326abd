import { LogoutRequest, LogoutState } from './logout-request.model';

/** What logout needs from storage: logout requests. */
export interface LogoutRequestStore {
  insert(request: LogoutRequest): Promise<void>;
  findById(id: string): Promise<LogoutRequest | null>;
  /**
   * Moves the request from `from` to `to` (keeping `verifier` when given) if it is still in `from`; answers
   * whether this call did. A transition the state machine does not have is a programming error.
   */
  transition(id: string, from: LogoutState, to: LogoutState, verifier?: string): Promise<boolean>;
  /** Deletes up to `batchSize` requests that expired before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number>;
}
