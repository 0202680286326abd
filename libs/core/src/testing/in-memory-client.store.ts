import { Client } from '../clients/client.model';
import { ClientQuery, ClientStore } from '../clients/client.store';
import { Errors } from '../errors';
import { copy, yieldTurn } from './yield-turn';

/** Byte order of ids, as the database's ORDER BY "id" sorts ASCII ids. */
const byId = (a: Client, b: Client): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * ClientStore in memory, with SqlClientStore's semantics: a taken id is a 409 conflict; an id holding NUL
 * finds nothing; listings are in id order with keyset or offset paging; a deleted client takes its rows in
 * other tables with it (ON DELETE CASCADE), through the callbacks given to `onDelete`.
 */
export class InMemoryClientStore implements ClientStore {
  private readonly rows = new Map<string, Client>();
  private readonly cascades: Array<(clientId: string) => void> = [];

  /** Registers what a client's deletion also deletes (tokens, codes, flows). */
  onDelete(cascade: (clientId: string) => void): void {
    this.cascades.push(cascade);
  }

  /** Whether a client exists now, synchronously: the foreign key other fakes check. */
  has(id: string): boolean {
    return this.rows.has(id);
  }

  async findById(id: string): Promise<Client | null> {
    await yieldTurn();
    const row = id.includes('\u0000') ? undefined : this.rows.get(id);
    return row ? copy(row) : null;
  }

  async findForAuthentication(id: string): Promise<Client | null> {
    return this.findById(id);
  }

  async insert(client: Client): Promise<void> {
    await yieldTurn();
    if (this.rows.has(client.id)) throw Errors.conflict().withHint(`A client with id "${client.id}" exists already.`);
    this.rows.set(client.id, copy(client));
  }

  async update(client: Client): Promise<void> {
    await yieldTurn();
    if (this.rows.has(client.id)) this.rows.set(client.id, copy(client));
  }

  async delete(id: string): Promise<boolean> {
    await yieldTurn();
    if (!this.rows.delete(id)) return false;
    for (const cascade of this.cascades) cascade(id);
    return true;
  }

  async find(query: ClientQuery): Promise<Client[]> {
    await yieldTurn();
    const matching = this.matching(query)
      .filter((c) => query.afterId === undefined || c.id > query.afterId)
      .sort(byId);
    const offset = query.offset ?? 0;
    return matching.slice(offset, offset + query.limit).map(copy);
  }

  async count(query: Pick<ClientQuery, 'clientName' | 'owner'>): Promise<number> {
    await yieldTurn();
    return this.matching(query).length;
  }

  private matching(query: Pick<ClientQuery, 'clientName' | 'owner'>): Client[] {
    return [...this.rows.values()].filter(
      (c) => (query.clientName === undefined || c.metadata.client_name === query.clientName) && (query.owner === undefined || c.metadata.owner === query.owner),
    );
  }
}
