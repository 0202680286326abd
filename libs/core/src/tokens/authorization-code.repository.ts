import { DataSource } from 'typeorm';
import { deleteBatch, executeWrite, placeholders, sqlBoolean } from '../persistence/sql-dialect';
import { database } from '../persistence/unit-of-work';

/** An issued authorization code, keyed by its signature. Everything else about the grant is its flow's. */
export interface AuthorizationCodeRecord {
  signature: string;
  flowId: string;
  clientId: string;
  expiresAt: Date;
  used: boolean;
}

/** The only code that reads or writes authorization codes. */
export class AuthorizationCodeRepository {
  private readonly param: (index: number) => string;

  constructor(private readonly dataSource: DataSource) {
    this.param = placeholders(dataSource);
  }

  async insert(code: AuthorizationCodeRecord): Promise<void> {
    await database(this.dataSource).query(
      `INSERT INTO "hydrant_authorization_code" ("signature", "flow_id", "client_id", "expires_at", "used") VALUES (${[0, 1, 2, 3, 4].map(this.param).join(', ')})`,
      [code.signature, code.flowId, code.clientId, code.expiresAt.getTime(), sqlBoolean(this.dataSource, code.used)],
    );
  }

  async findBySignature(signature: string): Promise<AuthorizationCodeRecord | null> {
    const rows: Array<{ signature: string; flow_id: string; client_id: string; expires_at: string | number; used: boolean | number }> =
      await database(this.dataSource).query(`SELECT * FROM "hydrant_authorization_code" WHERE "signature" = ${this.param(0)}`, [signature]);
    if (rows.length === 0) return null;
    const row = rows[0];
    return { signature: row.signature, flowId: row.flow_id, clientId: row.client_id, expiresAt: new Date(Number(row.expires_at)), used: Boolean(row.used) };
  }

  /** Marks the code used if nobody did before; answers whether this call did (RFC 6749 §4.1.2: single use). */
  async markUsed(signature: string): Promise<boolean> {
    const changed = await executeWrite(
      this.dataSource,
      `UPDATE "hydrant_authorization_code" SET "used" = ${this.param(0)} WHERE "signature" = ${this.param(1)} AND "used" = ${this.param(2)}`,
      [sqlBoolean(this.dataSource, true), signature, sqlBoolean(this.dataSource, false)],
    );
    return changed === 1;
  }

  /** Deletes up to `batchSize` codes that expired before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return deleteBatch(this.dataSource, 'hydrant_authorization_code', 'signature', `"expires_at" < ${this.param(0)}`, [before.getTime()], batchSize);
  }
}
