import type { ClientAssertionJtiStore } from '../../clients/authentication/client-assertion-jti.store';
import { isUniqueViolation } from '../database-errors';
import { sql } from '../sql';
import { SqlDatabase } from '../sql-database';

/** The used jtis of assertions in SQL. */
export class SqlClientAssertionJtiStore implements ClientAssertionJtiStore {
  constructor(private readonly db: SqlDatabase) {}

  async remember(signature: string, expiresAtMs: number): Promise<boolean> {
    try {
      await this.db.run(sql`INSERT INTO "hydrant_client_assertion_jti" ("signature", "expires_at") VALUES (${signature}, ${expiresAtMs})`);
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return this.db.deleteBatch('hydrant_client_assertion_jti', 'signature', sql`"expires_at" < ${before}`, batchSize);
  }
}
