import { DataSource } from 'typeorm';
import { deleteBatch, placeholders, sqlBoolean } from '../persistence/sql-dialect';
import { database } from '../persistence/unit-of-work';

/**
 * An authentication of a subject in one browser (OIDC `sid`). Every accepted login creates one, so that
 * ID tokens carry a `sid` and logout can find the clients; only a remembered one is tied to the browser's
 * session cookie and lets later flows skip the login UI.
 */
export interface LoginSession {
  id: string;
  subject: string;
  authenticatedAt: Date;
  remember: boolean;
  /** Null: until the browser session ends (remember_for 0). */
  expiresAt: Date | null;
  identityProviderSessionId: string;
}

export function isLoginSessionUsable(session: LoginSession, now = new Date()): boolean {
  return session.remember && (session.expiresAt === null || session.expiresAt > now);
}

/** The only code that reads or writes login sessions. */
export class LoginSessionRepository {
  private readonly param: (index: number) => string;

  constructor(private readonly dataSource: DataSource) {
    this.param = placeholders(dataSource);
  }

  async insert(session: LoginSession): Promise<void> {
    await database(this.dataSource).query(
      `INSERT INTO "hydrant_login_session" ("id", "subject", "authenticated_at", "remember", "expires_at", "identity_provider_session_id")
       VALUES (${[0, 1, 2, 3, 4, 5].map(this.param).join(', ')})`,
      [session.id, session.subject, session.authenticatedAt.getTime(), sqlBoolean(this.dataSource, session.remember),
        session.expiresAt?.getTime() ?? null, session.identityProviderSessionId],
    );
  }

  async findById(id: string): Promise<LoginSession | null> {
    const rows: RawSession[] = await database(this.dataSource).query(`SELECT * FROM "hydrant_login_session" WHERE "id" = ${this.param(0)}`, [id]);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  /** Moves a remembered session's end (extend_session_lifespan). */
  async extend(id: string, expiresAt: Date | null): Promise<void> {
    await database(this.dataSource).query(
      `UPDATE "hydrant_login_session" SET "expires_at" = ${this.param(0)} WHERE "id" = ${this.param(1)}`,
      [expiresAt?.getTime() ?? null, id],
    );
  }

  /** Ends sessions by subject or by id; answers the ended sessions. */
  async delete(filter: { subject: string } | { id: string }): Promise<LoginSession[]> {
    const [column, value] = 'subject' in filter ? ['subject', filter.subject] : ['id', filter.id];
    const db = database(this.dataSource);
    const rows: RawSession[] = await db.query(`SELECT * FROM "hydrant_login_session" WHERE "${column}" = ${this.param(0)}`, [value]);
    if (rows.length > 0) await db.query(`DELETE FROM "hydrant_login_session" WHERE "${column}" = ${this.param(0)}`, [value]);
    return rows.map(fromRow);
  }

  /** Deletes up to `batchSize` sessions that ran out before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return deleteBatch(this.dataSource, 'hydrant_login_session', 'id', `"expires_at" < ${this.param(0)}`, [before.getTime()], batchSize);
  }
}

interface RawSession {
  id: string;
  subject: string;
  authenticated_at: string | number;
  remember: boolean | number;
  expires_at: string | number | null;
  identity_provider_session_id: string;
}

function fromRow(row: RawSession): LoginSession {
  return {
    id: row.id,
    subject: row.subject,
    authenticatedAt: new Date(Number(row.authenticated_at)),
    remember: Boolean(row.remember),
    expiresAt: row.expires_at === null ? null : new Date(Number(row.expires_at)),
    identityProviderSessionId: row.identity_provider_session_id,
  };
}
