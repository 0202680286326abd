import { DeviceRequest, DeviceRequestState } from '../device/device-request.model';
import { DeviceRequestChanges, DeviceRequestStore } from '../device/device-request.store';
import { deleteBatch } from './delete-batch';
import { copy, yieldTurn } from './yield-turn';

/**
 * DeviceRequestStore in memory, with SqlDeviceRequestStore's semantics: device code and user code are
 * unique; a transition and a poll are each one guarded update, so exactly one of two at once wins.
 */
export class InMemoryDeviceRequestStore implements DeviceRequestStore {
  private readonly rows = new Map<string, DeviceRequest>();

  async insert(request: DeviceRequest): Promise<void> {
    await yieldTurn();
    for (const row of this.rows.values()) {
      if (row.id === request.id || row.deviceCodeSignature === request.deviceCodeSignature || row.userCodeHash === request.userCodeHash) {
        throw Object.assign(new Error('UNIQUE constraint failed: hydrant_device_request'), { code: 'SQLITE_CONSTRAINT' });
      }
    }
    this.rows.set(request.id, copy(request));
  }

  async findById(id: string): Promise<DeviceRequest | null> {
    return this.find((r) => r.id === id);
  }

  async findByDeviceCode(signature: string): Promise<DeviceRequest | null> {
    return this.find((r) => r.deviceCodeSignature === signature);
  }

  async findByUserCode(hash: string): Promise<DeviceRequest | null> {
    return this.find((r) => r.userCodeHash === hash);
  }

  async transition(id: string, from: DeviceRequestState, to: DeviceRequestState, changes: DeviceRequestChanges, now: Date): Promise<boolean> {
    await yieldTurn();
    const row = this.rows.get(id);
    if (!row || row.state !== from || row.expiresAt.getTime() <= now.getTime()) return false;
    Object.assign(row, copy(Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined))), { state: to });
    return true;
  }

  async recordPoll(id: string, now: Date): Promise<boolean> {
    await yieldTurn();
    const row = this.rows.get(id);
    if (!row || (row.lastPolledAt !== null && row.lastPolledAt.getTime() + row.intervalMs > now.getTime())) return false;
    row.lastPolledAt = new Date(now.getTime());
    return true;
  }

  async deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    await yieldTurn();
    return deleteBatch(this.rows, (row) => row.expiresAt.getTime() < before.getTime(), batchSize);
  }

  /** Deleting a client deletes its device requests (the foreign key's ON DELETE CASCADE). */
  cascadeClientDeletion(clientId: string): void {
    for (const [id, row] of this.rows) if (row.clientId === clientId) this.rows.delete(id);
  }

  private async find(match: (r: DeviceRequest) => boolean): Promise<DeviceRequest | null> {
    await yieldTurn();
    const row = [...this.rows.values()].find(match);
    return row ? copy(row) : null;
  }
}
