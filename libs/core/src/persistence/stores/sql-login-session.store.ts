import type { LoginSession } from '../../flows/login-session.model';
import type { LoginSessionStore } from '../../flows/login-session.store';
import { identifier, sql } from '../sql';
import { SqlDatabase } from '../sql-database';
import { bool, time, timeOrNull } from './columns';

const SELECT = sql`SELECT "id", "subject", "authenticated_at", "remember", "expires_at", "identity_provider_session_id" FROM "hydrant_login_session"`;

/** Login sessions in SQL. */
export class SqlLoginSessionStore implements LoginSessionStore {
  constructor(private readonly db: SqlDatabase) {}

  async insert(s: LoginSession): Promise<void> {
    await this.db.run(sql`INSERT INTO "hydrant_login_session" ("id", "subject", "authenticated_at", "remember", "expires_at", "identity_provider_session_id")
      VALUES (${s.id}, ${s.subject}, ${s.authenticatedAt}, ${s.remember}, ${s.expiresAt}, ${s.identityProviderSessionId})`);
  }

  async findById(id: string): Promise<LoginSession | null> {
    const row = await this.db.one<SessionRow>(sql`${SELECT} WHERE "id" = ${id}`);
    return row && fromRow(row);
  }

  async extend(id: string, expiresAt: Date | null): Promise<void> {
    await this.db.run(sql`UPDATE "hydrant_login_session" SET "expires_at" = ${expiresAt} WHERE "id" = ${id}`);
  }

  async delete(filter: { subject: string } | { id: string }): Promise<LoginSession[]> {
    const where = 'subject' in filter ? sql`${identifier('subject')} = ${filter.subject}` : sql`${identifier('id')} = ${filter.id}`;
    const rows = await this.db.all<SessionRow>(sql`${SELECT} WHERE ${where}`);
    if (rows.length > 0) await this.db.run(sql`DELETE FROM "hydrant_login_session" WHERE ${where}`);
    return rows.map(fromRow);
  }

  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return this.db.deleteBatch('hydrant_login_session', 'id', sql`"expires_at" < ${before}`, batchSize);
  }
}

interface SessionRow {
  id: string;
  subject: string;
  authenticated_at: string | number;
  remember: boolean | number;
  expires_at: string | number | null;
  identity_provider_session_id: string;
}

function fromRow(row: SessionRow): LoginSession {
  return {
    id: row.id,
    subject: row.subject,
    authenticatedAt: time(row.authenticated_at),
    remember: bool(row.remember),
    expiresAt: timeOrNull(row.expires_at),
    identityProviderSessionId: row.identity_provider_session_id,
  };
}
