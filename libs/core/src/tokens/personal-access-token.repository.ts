import { DataSource } from 'typeorm';
import { deleteBatch, executeWrite, placeholders } from '../persistence/sql-dialect';
import { database } from '../persistence/unit-of-work';

/**
 * A personal access token (Spatio's PAT): a bearer token an operator issues for a subject, outside any
 * OAuth grant. Like every token it is kept by its signature, never as the token.
 */
export interface PersonalAccessToken {
  id: string;
  signature: string;
  subject: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
}

const COLUMNS = ['id', 'signature', 'subject', 'name', 'scope', 'created_at', 'expires_at'];
const SELECT = `SELECT ${COLUMNS.map((c) => `"${c}"`).join(', ')} FROM "hydrant_personal_access_token"`;

/** The only code that reads or writes personal access tokens. */
export class PersonalAccessTokenRepository {
  private readonly param: (index: number) => string;

  constructor(private readonly dataSource: DataSource) {
    this.param = placeholders(dataSource);
  }

  async insert(pat: PersonalAccessToken): Promise<void> {
    await database(this.dataSource).query(
      `INSERT INTO "hydrant_personal_access_token" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map((_, i) => this.param(i)).join(', ')})`,
      [pat.id, pat.signature, pat.subject, pat.name, pat.scopes.join(' '), pat.createdAt.getTime(), pat.expiresAt.getTime()],
    );
  }

  async findBySignature(signature: string): Promise<PersonalAccessToken | null> {
    const rows: RawPat[] = await database(this.dataSource).query(`${SELECT} WHERE "signature" = ${this.param(0)}`, [signature]);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  /** A subject's tokens, newest first. */
  async findBySubject(subject: string): Promise<PersonalAccessToken[]> {
    const rows: RawPat[] = await database(this.dataSource).query(`${SELECT} WHERE "subject" = ${this.param(0)} ORDER BY "created_at" DESC, "id"`, [subject]);
    return rows.map(fromRow);
  }

  /** Deletes one token; false when there was none. */
  async delete(id: string): Promise<boolean> {
    return (await executeWrite(this.dataSource, `DELETE FROM "hydrant_personal_access_token" WHERE "id" = ${this.param(0)}`, [id])) > 0;
  }

  /** Deletes up to `batchSize` tokens that expired before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return deleteBatch(this.dataSource, 'hydrant_personal_access_token', 'id', `"expires_at" < ${this.param(0)}`, [before.getTime()], batchSize);
  }
}

interface RawPat {
  id: string;
  signature: string;
  subject: string;
  name: string;
  scope: string;
  created_at: string | number;
  expires_at: string | number;
}

function fromRow(row: RawPat): PersonalAccessToken {
  return {
    id: row.id,
    signature: row.signature,
    subject: row.subject,
    name: row.name,
    scopes: row.scope ? row.scope.split(' ') : [],
    createdAt: new Date(Number(row.created_at)),
    expiresAt: new Date(Number(row.expires_at)),
  };
}
