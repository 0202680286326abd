import { canTransitionLogout, type LogoutRequest, type LogoutState } from '../../flows/logout-request.model';
import type { LogoutRequestStore } from '../../flows/logout-request.store';
import { sql } from '../sql';
import { SqlDatabase } from '../sql-database';
import { bool, time } from './columns';

/** Logout requests in SQL. */
export class SqlLogoutRequestStore implements LogoutRequestStore {
  constructor(private readonly db: SqlDatabase) {}

  async insert(r: LogoutRequest): Promise<void> {
    await this.db.run(sql`INSERT INTO "hydrant_logout_request" ("id", "state", "subject", "sid", "client_id", "rp_initiated", "request_url",
      "post_logout_redirect_uri", "verifier", "requested_at", "expires_at")
      VALUES (${r.id}, ${r.state}, ${r.subject}, ${r.sid}, ${r.clientId}, ${r.rpInitiated}, ${r.requestUrl}, ${r.postLogoutRedirectUri},
        ${r.verifier}, ${r.requestedAt}, ${r.expiresAt})`);
  }

  async findById(id: string): Promise<LogoutRequest | null> {
    const row = await this.db.one<LogoutRow>(sql`SELECT "id", "state", "subject", "sid", "client_id", "rp_initiated", "request_url",
      "post_logout_redirect_uri", "verifier", "requested_at", "expires_at" FROM "hydrant_logout_request" WHERE "id" = ${id}`);
    return row && fromRow(row);
  }

  async transition(id: string, from: LogoutState, to: LogoutState, verifier?: string): Promise<boolean> {
    if (!canTransitionLogout(from, to)) throw new Error(`a logout request cannot move from ${from} to ${to}`);
    const keepVerifier = verifier === undefined ? sql`` : sql`, "verifier" = ${verifier}`;
    const changed = await this.db.run(sql`UPDATE "hydrant_logout_request" SET "state" = ${to}${keepVerifier} WHERE "id" = ${id} AND "state" = ${from}`);
    return changed === 1;
  }

  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return this.db.deleteBatch('hydrant_logout_request', 'id', sql`"expires_at" < ${before}`, batchSize);
  }
}

interface LogoutRow {
  id: string;
  state: string;
  subject: string;
  sid: string;
  client_id: string | null;
  rp_initiated: boolean | number;
  request_url: string;
  post_logout_redirect_uri: string;
  verifier: string | null;
  requested_at: string | number;
  expires_at: string | number;
}

function fromRow(row: LogoutRow): LogoutRequest {
  return {
    id: row.id,
    state: row.state as LogoutState,
    subject: row.subject,
    sid: row.sid,
    clientId: row.client_id,
    rpInitiated: bool(row.rp_initiated),
    requestUrl: row.request_url,
    postLogoutRedirectUri: row.post_logout_redirect_uri,
    verifier: row.verifier,
    requestedAt: time(row.requested_at),
    expiresAt: time(row.expires_at),
  };
}
