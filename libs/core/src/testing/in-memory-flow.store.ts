import { canTransition, Flow, FlowState } from '../flows/flow.model';
import { FlowChanges, FlowStore } from '../flows/flow.store';
import { copy, yieldTurn } from './yield-turn';

/**
 * FlowStore in memory, for fast specs: the semantics of SqlFlowStore without a database. Each call yields a
 * turn before it reads and between a read and a write that SQL does as two statements, so concurrent calls
 * interleave as concurrent requests do; a guarded transition stays one atomic step, as its UPDATE is.
 * Flows are stored and answered as copies, so a caller cannot change stored state by accident.
 */
export class InMemoryFlowStore implements FlowStore {
  private readonly rows = new Map<string, Flow>();

  /** `clientExists`: the foreign key to the clients table; omitted, any client id is accepted. */
  constructor(private readonly clientExists?: (clientId: string) => boolean) {}

  async insert(flow: Flow): Promise<void> {
    await yieldTurn();
    if (this.rows.has(flow.id)) throw new Error(`UNIQUE constraint failed: hydrant_flow.id (${flow.id})`);
    if (this.clientExists && !this.clientExists(flow.clientId)) throw new Error('FOREIGN KEY constraint failed: hydrant_flow.client_id');
    this.rows.set(flow.id, copy(flow));
  }

  async findById(id: string): Promise<Flow | null> {
    await yieldTurn();
    const flow = this.rows.get(id);
    return flow ? copy(flow) : null;
  }

  async transition(id: string, from: FlowState, to: FlowState, changes: FlowChanges): Promise<boolean> {
    if (!canTransition(from, to)) throw new Error(`a flow cannot move from ${from} to ${to}`);
    await yieldTurn();
    const flow = this.rows.get(id);
    if (!flow || flow.state !== from) return false;
    const set: Partial<Flow> = {};
    for (const [key, value] of Object.entries(changes)) {
      // An undefined field is a column left alone, as SqlFlowStore's toRow makes it.
      if (value !== undefined && key !== 'id' && key !== 'state') (set as Record<string, unknown>)[key] = copy(value);
    }
    this.rows.set(id, { ...flow, ...set, state: to });
    return true;
  }

  async findGranted(subject: string, filter: { clientId?: string; loginSessionId?: string } = {}): Promise<Flow[]> {
    await yieldTurn();
    return this.newestFirst(
      (f) =>
        f.subject === subject &&
        f.granted &&
        (filter.clientId === undefined || f.clientId === filter.clientId) &&
        (filter.loginSessionId === undefined || f.loginSessionId === filter.loginSessionId),
    );
  }

  async findRemembered(subject: string, clientId: string, now: Date): Promise<Flow[]> {
    await yieldTurn();
    return this.newestFirst(
      (f) =>
        f.subject === subject &&
        f.clientId === clientId &&
        f.granted &&
        f.remember &&
        (f.rememberUntil === null || f.rememberUntil.getTime() > now.getTime()),
    );
  }

  async clientIdsOfLoginSession(sid: string): Promise<string[]> {
    await yieldTurn();
    const ids = new Set<string>();
    for (const f of this.rows.values()) if (f.loginSessionId === sid && f.granted) ids.add(f.clientId);
    return [...ids];
  }

  async deleteByIds(ids: string[]): Promise<void> {
    await yieldTurn();
    for (const id of ids) this.rows.delete(id);
  }

  async deleteAbandonedBatch(before: Date, batchSize: number): Promise<number> {
    await yieldTurn();
    const keys = [...this.rows.values()]
      .filter((f) => f.expiresAt.getTime() < before.getTime() && !f.granted)
      .slice(0, Math.floor(batchSize))
      .map((f) => f.id);
    if (keys.length === 0) return 0;
    // SqlDatabase.deleteBatch selects the keys, then deletes them by key in a second statement.
    await yieldTurn();
    for (const id of keys) this.rows.delete(id);
    return keys.length;
  }

  /** What the database's ON DELETE CASCADE does when a client is deleted (InMemoryClientStore calls it). */
  cascadeClientDeletion(clientId: string): void {
    for (const [id, flow] of this.rows) if (flow.clientId === clientId) this.rows.delete(id);
  }

  /** Every stored flow, as copies: for specs that check what was written. */
  all(): Flow[] {
    return [...this.rows.values()].map((f) => copy(f));
  }

  private newestFirst(match: (flow: Flow) => boolean): Flow[] {
    return [...this.rows.values()]
      .filter(match)
      .sort((a, b) => b.requestedAt.getTime() - a.requestedAt.getTime())
      .map((f) => copy(f));
  }
}
