import type { ClientAssertionJtiStore } from '../../clients/authentication/client-assertion-jti.store';
import { Errors } from '../../errors';
import { isUniqueViolation } from '../database-errors';
import { sql } from '../sql';
import { SqlDatabase } from '../sql-database';

/** The used jtis of client assertions in SQL. */
export class SqlClientAssertionJtiStore implements ClientAssertionJtiStore {
  constructor(private readonly db: SqlDatabase) {}

  async remember(signature: string, expiresAtMs: number): Promise<void> {
    try {
      await this.db.run(sql`INSERT INTO "hydrant_client_assertion_jti" ("signature", "expires_at") VALUES (${signature}, ${expiresAtMs})`);
    } catch (e) {
      if (isUniqueViolation(e)) throw Errors.invalidClient().withHint('The client assertion was used before (jti replay).');
      throw e;
    }
  }

  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return this.db.deleteBatch('hydrant_client_assertion_jti', 'signature', sql`"expires_at" < ${before}`, batchSize);
  }
}
