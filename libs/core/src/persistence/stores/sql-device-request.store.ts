import type { DeviceRequest, DeviceRequestState } from '../../device/device-request.model';
import type { DeviceRequestChanges, DeviceRequestStore } from '../../device/device-request.store';
import { identifier, join, sql, Sql } from '../sql';
import { SqlDatabase } from '../sql-database';
import { json, time, timeOrNull } from './columns';

const SELECT = sql`SELECT "id", "device_code_signature", "user_code_hash", "client_id", "scope", "audience", "state", "csrf_hash", "verifier_hash",
  "flow_id", "created_at", "expires_at", "interval_ms", "last_polled_at" FROM "hydrant_device_request"`;

const COLUMNS: Record<keyof DeviceRequestChanges, string> = { csrfHash: 'csrf_hash', verifierHash: 'verifier_hash', flowId: 'flow_id' };

/** Device authorizations in SQL; every step of one is a guarded update, so each code and verifier works once. */
export class SqlDeviceRequestStore implements DeviceRequestStore {
  constructor(private readonly db: SqlDatabase) {}

  async insert(r: DeviceRequest): Promise<void> {
    await this.db.run(sql`INSERT INTO "hydrant_device_request" ("id", "device_code_signature", "user_code_hash", "client_id", "scope", "audience", "state",
      "csrf_hash", "verifier_hash", "flow_id", "created_at", "expires_at", "interval_ms", "last_polled_at")
      VALUES (${r.id}, ${r.deviceCodeSignature}, ${r.userCodeHash}, ${r.clientId}, ${r.scopes.join(' ')}, ${JSON.stringify(r.audience)}, ${r.state},
        ${r.csrfHash}, ${r.verifierHash}, ${r.flowId}, ${r.createdAt}, ${r.expiresAt}, ${r.intervalMs}, ${r.lastPolledAt})`);
  }

  findById(id: string): Promise<DeviceRequest | null> {
    return this.findWhere(sql`"id" = ${id}`);
  }

  findByDeviceCode(signature: string): Promise<DeviceRequest | null> {
    return this.findWhere(sql`"device_code_signature" = ${signature}`);
  }

  findByUserCode(hash: string): Promise<DeviceRequest | null> {
    return this.findWhere(sql`"user_code_hash" = ${hash}`);
  }

  async transition(id: string, from: DeviceRequestState, to: DeviceRequestState, changes: DeviceRequestChanges, now: Date): Promise<boolean> {
    const sets: Sql[] = [sql`"state" = ${to}`];
    for (const [field, column] of Object.entries(COLUMNS) as Array<[keyof DeviceRequestChanges, string]>) {
      if (changes[field] !== undefined) sets.push(sql`${identifier(column)} = ${changes[field]}`);
    }
    const changed = await this.db.run(
      sql`UPDATE "hydrant_device_request" SET ${join(sets, ', ')} WHERE "id" = ${id} AND "state" = ${from} AND "expires_at" > ${now}`,
    );
    return changed === 1;
  }

  async recordPoll(id: string, now: Date): Promise<boolean> {
    const changed = await this.db.run(sql`UPDATE "hydrant_device_request" SET "last_polled_at" = ${now}
      WHERE "id" = ${id} AND ("last_polled_at" IS NULL OR "last_polled_at" + "interval_ms" <= ${now})`);
    return changed === 1;
  }

  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return this.db.deleteBatch('hydrant_device_request', 'id', sql`"expires_at" < ${before}`, batchSize);
  }

  private async findWhere(where: Sql): Promise<DeviceRequest | null> {
    const row = await this.db.one<DeviceRow>(sql`${SELECT} WHERE ${where}`);
    return row && fromRow(row);
  }
}

interface DeviceRow {
  id: string;
  device_code_signature: string;
  user_code_hash: string;
  client_id: string;
  scope: string;
  audience: string;
  state: string;
  csrf_hash: string | null;
  verifier_hash: string | null;
  flow_id: string | null;
  created_at: string | number;
  expires_at: string | number;
  interval_ms: string | number;
  last_polled_at: string | number | null;
}

function fromRow(row: DeviceRow): DeviceRequest {
  return {
    id: row.id,
    deviceCodeSignature: row.device_code_signature,
    userCodeHash: row.user_code_hash,
    clientId: row.client_id,
    scopes: row.scope ? row.scope.split(' ') : [],
    audience: json<string[]>(row.audience),
    state: row.state as DeviceRequestState,
    csrfHash: row.csrf_hash,
    verifierHash: row.verifier_hash,
    flowId: row.flow_id,
    createdAt: time(row.created_at),
    expiresAt: time(row.expires_at),
    intervalMs: Number(row.interval_ms),
    lastPolledAt: timeOrNull(row.last_polled_at),
  };
}
