import { DataSource } from 'typeorm';
import { Errors } from '../../errors';
import { isUniqueViolation } from '../../persistence/database-errors';
import { ClientAssertionJtiEntity } from '../../persistence/entities';
import { deleteBatch, placeholders } from '../../persistence/sql-dialect';

/** The only code that touches the used-`jti` table of client assertions. */
export class ClientAssertionJtiRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Records a jti as used until `expiresAtMs`; a jti already recorded is a replay (`invalid_client`). */
  async remember(signature: string, expiresAtMs: number): Promise<void> {
    try {
      await this.dataSource.getRepository(ClientAssertionJtiEntity).insert({ signature, expiresAt: String(expiresAtMs) });
    } catch (e) {
      if (isUniqueViolation(e)) throw Errors.invalidClient().withHint('The client assertion was used before (jti replay).');
      throw e;
    }
  }

  /** Forgets up to `batchSize` jtis whose assertions expired before `before`; returns how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return deleteBatch(this.dataSource, 'hydrant_client_assertion_jti', 'signature', `"expires_at" < ${placeholders(this.dataSource)(0)}`,
      [before.getTime()], batchSize);
  }
}
