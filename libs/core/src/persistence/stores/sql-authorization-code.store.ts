import type { AuthorizationCodeRecord, AuthorizationCodeStore } from '../../tokens/authorization-code.store';
import { sql } from '../sql';
import { SqlDatabase } from '../sql-database';
import { bool, time } from './columns';

/** Authorization codes in SQL. */
export class SqlAuthorizationCodeStore implements AuthorizationCodeStore {
  constructor(private readonly db: SqlDatabase) {}

  async insert(code: AuthorizationCodeRecord): Promise<void> {
    await this.db.run(sql`INSERT INTO "hydrant_authorization_code" ("signature", "flow_id", "client_id", "expires_at", "used")
      VALUES (${code.signature}, ${code.flowId}, ${code.clientId}, ${code.expiresAt}, ${code.used})`);
  }

  async findBySignature(signature: string): Promise<AuthorizationCodeRecord | null> {
    const row = await this.db.one<{ signature: string; flow_id: string; client_id: string; expires_at: string | number; used: boolean | number }>(
      sql`SELECT "signature", "flow_id", "client_id", "expires_at", "used" FROM "hydrant_authorization_code" WHERE "signature" = ${signature}`,
    );
    return row && { signature: row.signature, flowId: row.flow_id, clientId: row.client_id, expiresAt: time(row.expires_at), used: bool(row.used) };
  }

  async markUsed(signature: string): Promise<boolean> {
    const changed = await this.db.run(sql`UPDATE "hydrant_authorization_code" SET "used" = ${true} WHERE "signature" = ${signature} AND "used" = ${false}`);
    return changed === 1;
  }

  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return this.db.deleteBatch('hydrant_authorization_code', 'signature', sql`"expires_at" < ${before}`, batchSize);
  }
}
