import { LoginSession } from './login-session.model';

/** What login and logout need from storage: login sessions. */
export interface LoginSessionStore {
  insert(session: LoginSession): Promise<void>;
  findById(id: string): Promise<LoginSession | null>;
  /** Moves a remembered session's end (extend_session_lifespan). */
  extend(id: string, expiresAt: Date | null): Promise<void>;
  /** Ends sessions by subject or by id; answers the ended sessions. */
  delete(filter: { subject: string } | { id: string }): Promise<LoginSession[]>;
  /** Deletes up to `batchSize` sessions that ran out before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number>;
}
