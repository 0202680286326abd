import { Errors } from '../../errors';
import type { ApplicationSettings } from '../../clients/application-settings.model';
import { defaultMetadata } from '../../clients/client.metadata';
import type { Client } from '../../clients/client.model';
import type { ClientQuery, ClientStore } from '../../clients/client.store';
import { isUniqueViolation } from '../database-errors';
import { join, list, sql, Sql } from '../sql';
import { SqlDatabase } from '../sql-database';
import { json, jsonOrNull, time } from './columns';

/**
 * PostgreSQL text cannot hold NUL (the query fails), and no stored id has one (ids are printable ASCII).
 * URLs with NUL are refused before routing; a client id decoded from HTTP Basic credentials can still
 * carry one, so a lookup by such an id finds nothing, on either dialect.
 */
const holdsNul = (value: string): boolean => value.includes('\u0000');

const SELECT = sql`SELECT "id", "client_name", "owner", "document", "secret_hash", "rotated_secret_hashes", "registration_token_hash",
  "application", "created_at", "updated_at" FROM "hydrant_client"`;

/** Parsed clients kept per process at most (each is a few KB). */
const MAX_PARSED = 10_000;

/**
 * Clients in SQL. No process keeps a copy: a client changed or deleted through any worker or instance is
 * what the very next request there sees.
 */
export class SqlClientStore implements ClientStore {
  /** The client rows that requests arriving together ask for, read by one statement. */
  private readonly lookUp: (id: string) => Promise<ClientRow | null>;
  /**
   * The last row read per client and what it parsed into, so that a row read again unchanged is not parsed
   * again. Never answered without reading the row: a change anywhere is seen at the next lookup.
   */
  private readonly parsed = new Map<string, { row: ClientRow; client: Client }>();

  constructor(private readonly db: SqlDatabase) {
    this.lookUp = db.batchedRead((ids: string[]) => this.selectRows(ids));
  }

  async findById(id: string): Promise<Client | null> {
    const row = holdsNul(id) ? null : await this.lookUp(id);
    return row ? toClient(row) : null;
  }

  /** Lookups that arrive together share one statement (the token endpoint reads a client on every request). */
  async findForAuthentication(id: string): Promise<Client | null> {
    const row = holdsNul(id) ? null : await this.lookUp(id);
    return row ? this.parse(row) : null;
  }

  /** The rows of `ids`, in their order (null where there is none). */
  private async selectRows(ids: string[]): Promise<Array<ClientRow | null>> {
    const rows = await this.db.all<ClientRow>(sql`${SELECT} WHERE "id" IN (${list([...new Set(ids)])})`);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /** The client a row holds; the same object as last time when the row is unchanged. */
  private parse(row: ClientRow): Client {
    const last = this.parsed.get(row.id);
    if (last && sameRow(last.row, row)) return last.client;
    const client = toClient(row);
    if (!last && this.parsed.size >= MAX_PARSED) this.parsed.delete(this.parsed.keys().next().value as string);
    this.parsed.set(row.id, { row, client });
    return client;
  }

  async insert(client: Client): Promise<void> {
    const c = toColumns(client);
    try {
      await this.db.run(sql`INSERT INTO "hydrant_client" ("id", "client_name", "owner", "document", "secret_hash", "rotated_secret_hashes",
        "registration_token_hash", "application", "created_at", "updated_at")
        VALUES (${client.id}, ${c.clientName}, ${c.owner}, ${c.document}, ${c.secretHash}, ${c.rotatedSecretHashes}, ${c.registrationTokenHash},
          ${c.application}, ${client.createdAt}, ${client.updatedAt})`);
    } catch (e) {
      if (isUniqueViolation(e)) throw Errors.conflict().withHint(`A client with id "${client.id}" exists already.`);
      throw e;
    }
  }

  async update(client: Client): Promise<void> {
    const c = toColumns(client);
    await this.db.run(sql`UPDATE "hydrant_client" SET "client_name" = ${c.clientName}, "owner" = ${c.owner}, "document" = ${c.document},
      "secret_hash" = ${c.secretHash}, "rotated_secret_hashes" = ${c.rotatedSecretHashes}, "registration_token_hash" = ${c.registrationTokenHash},
      "application" = ${c.application}, "created_at" = ${client.createdAt}, "updated_at" = ${client.updatedAt} WHERE "id" = ${client.id}`);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run(sql`DELETE FROM "hydrant_client" WHERE "id" = ${id}`)) > 0;
  }

  async find(query: ClientQuery): Promise<Client[]> {
    const conditions = filters(query);
    if (query.afterId !== undefined) conditions.push(sql`"id" > ${query.afterId}`);
    const where = conditions.length > 0 ? sql` WHERE ${join(conditions, ' AND ')}` : sql``;
    const offset = query.offset ? sql` OFFSET ${query.offset}` : sql``;
    const rows = await this.db.all<ClientRow>(sql`${SELECT}${where} ORDER BY "id" ASC LIMIT ${query.limit}${offset}`);
    return rows.map(toClient);
  }

  async count(query: Pick<ClientQuery, 'clientName' | 'owner'>): Promise<number> {
    const conditions = filters(query);
    const where = conditions.length > 0 ? sql` WHERE ${join(conditions, ' AND ')}` : sql``;
    const row = await this.db.one<{ count: string | number }>(sql`SELECT COUNT(*) AS "count" FROM "hydrant_client"${where}`);
    return Number(row?.count ?? 0);
  }
}

function filters(query: Pick<ClientQuery, 'clientName' | 'owner'>): Sql[] {
  const conditions: Sql[] = [];
  if (query.clientName !== undefined) conditions.push(sql`"client_name" = ${query.clientName}`);
  if (query.owner !== undefined) conditions.push(sql`"owner" = ${query.owner}`);
  return conditions;
}

/** The columns beside the id and the times. The metadata is kept whole as a JSON document. */
function toColumns(client: Client) {
  return {
    clientName: client.metadata.client_name,
    owner: client.metadata.owner,
    document: JSON.stringify(client.metadata),
    secretHash: client.secretHash,
    rotatedSecretHashes: JSON.stringify(client.rotatedSecretHashes),
    registrationTokenHash: client.registrationTokenHash,
    application: client.application === null ? null : JSON.stringify(client.application),
  };
}

interface ClientRow {
  id: string;
  client_name: string;
  owner: string;
  document: string;
  secret_hash: string | null;
  rotated_secret_hashes: string;
  registration_token_hash: string | null;
  application: string | null;
  created_at: string | number;
  updated_at: string | number;
}

function sameRow(a: ClientRow, b: ClientRow): boolean {
  return (
    a.document === b.document &&
    a.secret_hash === b.secret_hash &&
    a.rotated_secret_hashes === b.rotated_secret_hashes &&
    a.registration_token_hash === b.registration_token_hash &&
    a.application === b.application &&
    a.client_name === b.client_name &&
    a.owner === b.owner &&
    Number(a.created_at) === Number(b.created_at) &&
    Number(a.updated_at) === Number(b.updated_at)
  );
}

function toClient(row: ClientRow): Client {
  return {
    id: row.id,
    // Defaults first, so that a field added after the row was written reads as its default.
    metadata: { ...defaultMetadata(), ...json<object>(row.document) } as Client['metadata'],
    secretHash: row.secret_hash,
    rotatedSecretHashes: json<string[]>(row.rotated_secret_hashes),
    registrationTokenHash: row.registration_token_hash,
    application: jsonOrNull<ApplicationSettings>(row.application),
    createdAt: time(row.created_at),
    updatedAt: time(row.updated_at),
  };
}
