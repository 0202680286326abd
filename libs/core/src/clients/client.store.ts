import { Client } from './client.model';

export interface ClientQuery {
  clientName?: string;
  owner?: string;
  /** Keyset paging: only clients whose id sorts after this one. */
  afterId?: string;
  /** Offset paging, for the legacy `limit`/`offset` parameters. */
  offset?: number;
  limit: number;
}

/** What client management and client authentication need from storage. No process keeps a copy. */
export interface ClientStore {
  findById(id: string): Promise<Client | null>;
  /**
   * The client a request authenticates as, read as it is now, and read-only: the answer may be shared with
   * other requests, so it must not be changed (management reads, which change clients, use findById).
   */
  findForAuthentication(id: string): Promise<Client | null>;
  /** Inserts a new client; a taken id is a 409 conflict. */
  insert(client: Client): Promise<void>;
  update(client: Client): Promise<void>;
  /** Deletes the client; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Clients in id order. */
  find(query: ClientQuery): Promise<Client[]>;
  count(query: Pick<ClientQuery, 'clientName' | 'owner'>): Promise<number>;
}
