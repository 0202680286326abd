import { Flow, FlowState } from './flow.model';

/** The fields a transition may change, besides the state. */
export type FlowChanges = Partial<Omit<Flow, 'id' | 'state' | 'clientId' | 'csrf' | 'request' | 'requestedAt' | 'expiresAt'>>;

/** What the login/consent flows need from storage: flows, and so consent sessions. */
export interface FlowStore {
  insert(flow: Flow): Promise<void>;
  findById(id: string): Promise<Flow | null>;
  /**
   * Moves a flow from `from` to `to` with `changes`, if it is still in `from`; answers whether it did. Two
   * processes presenting the same challenge or verifier race here, and exactly one wins. A transition the
   * state machine (flow.model.ts) does not have is a programming error, thrown before anything is written.
   */
  transition(id: string, from: FlowState, to: FlowState, changes: FlowChanges): Promise<boolean>;
  /** A subject's granted consents (the "authorized apps"), newest first; optionally for one client or login session. */
  findGranted(subject: string, filter?: { clientId?: string; loginSessionId?: string }): Promise<Flow[]>;
  /** Consents of `subject` for `clientId` that were remembered and have not run out at `now`, newest first. */
  findRemembered(subject: string, clientId: string, now: Date): Promise<Flow[]>;
  /** The clients a login session consented to: the ones to tell when it ends (OIDC logout). */
  clientIdsOfLoginSession(sid: string): Promise<string[]>;
  /** Deletes the given flows (revoked consents). */
  deleteByIds(ids: string[]): Promise<void>;
  /** Deletes up to `batchSize` flows that never became a consent session and expired before `before`. */
  deleteAbandonedBatch(before: Date, batchSize: number): Promise<number>;
}
