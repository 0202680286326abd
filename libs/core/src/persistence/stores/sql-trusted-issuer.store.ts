import { Errors } from '../../errors';
import type { TrustedIssuer } from '../../trust/trusted-issuer.model';
import type { TrustedIssuerQuery, TrustedIssuerStore } from '../../trust/trusted-issuer.store';
import { isUniqueViolation } from '../database-errors';
import { join, sql, Sql } from '../sql';
import { SqlDatabase } from '../sql-database';
import { bool, time } from './columns';

const SELECT = sql`SELECT "id", "issuer", "subject", "allow_any_subject", "scope", "key_id", "created_at", "expires_at" FROM "hydrant_trusted_jwt_issuer"`;

/** Trusted issuers of the JWT bearer grant in SQL. */
export class SqlTrustedIssuerStore implements TrustedIssuerStore {
  constructor(private readonly db: SqlDatabase) {}

  async insert(trust: TrustedIssuer): Promise<void> {
    try {
      await this.db.run(sql`INSERT INTO "hydrant_trusted_jwt_issuer" ("id", "issuer", "subject", "allow_any_subject", "scope", "key_set", "key_id", "created_at", "expires_at")
        VALUES (${trust.id}, ${trust.issuer}, ${trust.subject}, ${trust.allowAnySubject}, ${trust.scopes.join(' ')}, ${trust.issuer}, ${trust.keyId},
          ${trust.createdAt}, ${trust.expiresAt})`);
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw Errors.conflict().withHint(`Issuer "${trust.issuer}" is trusted already for this subject with key "${trust.keyId}".`);
      }
      throw e;
    }
  }

  async findById(id: string): Promise<TrustedIssuer | null> {
    const row = await this.db.one<TrustRow>(sql`${SELECT} WHERE "id" = ${id}`);
    return row && fromRow(row);
  }

  async find(query: TrustedIssuerQuery): Promise<TrustedIssuer[]> {
    const conditions: Sql[] = [];
    if (query.issuer !== undefined) conditions.push(sql`"issuer" = ${query.issuer}`);
    if (query.afterId !== undefined) conditions.push(sql`"id" > ${query.afterId}`);
    const where = conditions.length > 0 ? sql`WHERE ${join(conditions, ' AND ')}` : sql``;
    return (await this.db.all<TrustRow>(sql`${SELECT} ${where} ORDER BY "id" LIMIT ${query.limit}`)).map(fromRow);
  }

  async findForAssertion(issuer: string, subject: string): Promise<TrustedIssuer[]> {
    const rows = await this.db.all<TrustRow>(
      sql`${SELECT} WHERE "issuer" = ${issuer} AND ("subject" = ${subject} OR "allow_any_subject" = ${true}) ORDER BY "id"`,
    );
    return rows.map(fromRow);
  }

  async countUsingKey(issuer: string, keyId: string): Promise<number> {
    const row = await this.db.one<{ n: string | number }>(
      sql`SELECT COUNT(*) AS "n" FROM "hydrant_trusted_jwt_issuer" WHERE "key_set" = ${issuer} AND "key_id" = ${keyId}`,
    );
    return Number(row?.n ?? 0);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run(sql`DELETE FROM "hydrant_trusted_jwt_issuer" WHERE "id" = ${id}`)) > 0;
  }

  async findExpired(before: Date, limit: number): Promise<TrustedIssuer[]> {
    return (await this.db.all<TrustRow>(sql`${SELECT} WHERE "expires_at" < ${before} ORDER BY "expires_at", "id" LIMIT ${Math.floor(limit)}`)).map(fromRow);
  }
}

interface TrustRow {
  id: string;
  issuer: string;
  subject: string;
  allow_any_subject: boolean | number;
  scope: string;
  key_id: string;
  created_at: string | number;
  expires_at: string | number;
}

function fromRow(row: TrustRow): TrustedIssuer {
  return {
    id: row.id,
    issuer: row.issuer,
    subject: row.subject,
    allowAnySubject: bool(row.allow_any_subject),
    scopes: row.scope ? row.scope.split(' ') : [],
    keyId: row.key_id,
    createdAt: time(row.created_at),
    expiresAt: time(row.expires_at),
  };
}
