import type { PersonalAccessToken, PersonalAccessTokenStore } from '../../tokens/personal-access-token.store';
import { sql } from '../sql';
import { SqlDatabase } from '../sql-database';
import { time } from './columns';

const SELECT = sql`SELECT "id", "signature", "subject", "name", "scope", "created_at", "expires_at" FROM "hydrant_personal_access_token"`;

/** Personal access tokens in SQL. */
export class SqlPersonalAccessTokenStore implements PersonalAccessTokenStore {
  constructor(private readonly db: SqlDatabase) {}

  async insert(pat: PersonalAccessToken): Promise<void> {
    await this.db.run(sql`INSERT INTO "hydrant_personal_access_token" ("id", "signature", "subject", "name", "scope", "created_at", "expires_at")
      VALUES (${pat.id}, ${pat.signature}, ${pat.subject}, ${pat.name}, ${pat.scopes.join(' ')}, ${pat.createdAt}, ${pat.expiresAt})`);
  }

  async findBySignature(signature: string): Promise<PersonalAccessToken | null> {
    const row = await this.db.one<PatRow>(sql`${SELECT} WHERE "signature" = ${signature}`);
    return row && fromRow(row);
  }

  async findBySubject(subject: string): Promise<PersonalAccessToken[]> {
    return (await this.db.all<PatRow>(sql`${SELECT} WHERE "subject" = ${subject} ORDER BY "created_at" DESC, "id"`)).map(fromRow);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run(sql`DELETE FROM "hydrant_personal_access_token" WHERE "id" = ${id}`)) > 0;
  }

  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return this.db.deleteBatch('hydrant_personal_access_token', 'id', sql`"expires_at" < ${before}`, batchSize);
  }
}

interface PatRow {
  id: string;
  signature: string;
  subject: string;
  name: string;
  scope: string;
  created_at: string | number;
  expires_at: string | number;
}

function fromRow(row: PatRow): PersonalAccessToken {
  return {
    id: row.id,
    signature: row.signature,
    subject: row.subject,
    name: row.name,
    scopes: row.scope ? row.scope.split(' ') : [],
    createdAt: time(row.created_at),
    expiresAt: time(row.expires_at),
  };
}
