import { DataSource } from 'typeorm';
import { deleteBatch, executeWrite, placeholders, sqlBoolean } from '../persistence/sql-dialect';
import { database } from '../persistence/unit-of-work';
import { canTransitionLogout, LogoutRequest, LogoutState } from './logout-request.model';

/** The only code that reads or writes logout requests. */
export class LogoutRequestRepository {
  private readonly param: (index: number) => string;

  constructor(private readonly dataSource: DataSource) {
    this.param = placeholders(dataSource);
  }

  async insert(r: LogoutRequest): Promise<void> {
    await database(this.dataSource).query(
      `INSERT INTO "hydrant_logout_request" ("id", "state", "subject", "sid", "client_id", "rp_initiated", "request_url", "post_logout_redirect_uri",
        "verifier", "requested_at", "expires_at") VALUES (${[...Array(11).keys()].map(this.param).join(', ')})`,
      [r.id, r.state, r.subject, r.sid, r.clientId, sqlBoolean(this.dataSource, r.rpInitiated), r.requestUrl, r.postLogoutRedirectUri,
        r.verifier, r.requestedAt.getTime(), r.expiresAt.getTime()],
    );
  }

  async findById(id: string): Promise<LogoutRequest | null> {
    const rows: RawLogout[] = await database(this.dataSource).query(`SELECT * FROM "hydrant_logout_request" WHERE "id" = ${this.param(0)}`, [id]);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  /** Moves the request from `from` to `to` if it is still there; answers whether this call did. */
  async transition(id: string, from: LogoutState, to: LogoutState, verifier?: string): Promise<boolean> {
    if (!canTransitionLogout(from, to)) throw new Error(`a logout request cannot move from ${from} to ${to}`);
    // Values in the order their placeholders appear: SQLite's `?` are positional.
    const params: unknown[] = verifier === undefined ? [to] : [to, verifier];
    const sets = verifier === undefined ? '' : `, "verifier" = ${this.param(1)}`;
    const where = `"id" = ${this.param(params.length)} AND "state" = ${this.param(params.length + 1)}`;
    params.push(id, from);
    return (await executeWrite(this.dataSource, `UPDATE "hydrant_logout_request" SET "state" = ${this.param(0)}${sets} WHERE ${where}`, params)) === 1;
  }

  /** Deletes up to `batchSize` requests that expired before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return deleteBatch(this.dataSource, 'hydrant_logout_request', 'id', `"expires_at" < ${this.param(0)}`, [before.getTime()], batchSize);
  }
}

type RawLogout = Record<string, string | number | boolean | null>;

function fromRow(row: RawLogout): LogoutRequest {
  return {
    id: String(row.id),
    state: row.state as LogoutState,
    subject: String(row.subject),
    sid: String(row.sid),
    clientId: row.client_id === null ? null : String(row.client_id),
    rpInitiated: Boolean(row.rp_initiated),
    requestUrl: String(row.request_url),
    postLogoutRedirectUri: String(row.post_logout_redirect_uri),
    verifier: row.verifier === null ? null : String(row.verifier),
    requestedAt: new Date(Number(row.requested_at)),
    expiresAt: new Date(Number(row.expires_at)),
  };
}
