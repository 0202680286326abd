import { DataSource, FindOptionsWhere, MoreThan, Repository } from 'typeorm';
import { Errors } from '../errors';
import { ClientEntity } from '../persistence/entities';
import { isUniqueViolation } from '../persistence/database-errors';
import { placeholders } from '../persistence/sql-dialect';
import { SqliteStatements, sqliteStatements } from '../persistence/sqlite-statements';
import { StatementBatcher } from '../persistence/statement-batcher';
import { defaultMetadata } from './client.metadata';
import { ApplicationSettings } from './application-settings.model';
import { Client } from './client.model';
import { database, unitOfWork } from '../persistence/unit-of-work';

export interface ClientQuery {
  clientName?: string;
  owner?: string;
  /** Keyset paging: only clients whose id sorts after this one. */
  afterId?: string;
  /** Offset paging, for the legacy `limit`/`offset` parameters. */
  offset?: number;
  limit: number;
}

/**
 * PostgreSQL text cannot hold NUL (the query fails), and no stored id has one (ids are printable ASCII).
 * URLs with NUL are refused before routing; a client id decoded from HTTP Basic credentials can still
 * carry one, so a lookup by such an id finds nothing, on either dialect.
 */
const holdsNul = (value: string): boolean => value.includes('\u0000');

const SELECT_CLIENTS = `SELECT "id", "client_name", "owner", "document", "secret_hash", "rotated_secret_hashes", "registration_token_hash",
  "application", "created_at", "updated_at" FROM "hydrant_client"`;

/**
 * The only code that reads or writes clients in the database. No process keeps a copy: a client changed
 * or deleted through any worker or instance is what the very next request there sees.
 */
export class ClientRepository {
  private readonly param: (index: number) => string;
  /** The clients that token requests arriving together authenticate as, read by one statement. */
  private readonly lookups: StatementBatcher<string, Client | null>;
  /** On SQLite, the lookups outside units of work run prepared. */
  private readonly prepared?: SqliteStatements;
  /**
   * The last row read per client and what it parsed into, so that a row read again unchanged is not parsed
   * again. Never answered without reading the row: a change anywhere is seen at the next lookup.
   */
  private readonly parsed = new Map<string, { row: RawClient; client: Client }>();

  constructor(private readonly dataSource: DataSource) {
    this.param = placeholders(dataSource);
    if (dataSource.options.type === 'sqlite') this.prepared = sqliteStatements(dataSource);
    this.lookups = new StatementBatcher((ids) => this.lookUp(ids), { maxInFlight: dataSource.options.type === 'postgres' ? 4 : 1 });
  }

  private repo(): Repository<ClientEntity> {
    return database(this.dataSource).getRepository(ClientEntity);
  }

  async findById(id: string): Promise<Client | null> {
    if (holdsNul(id)) return null;
    const [row] = await this.selectRows([id]);
    return row ? toClient(fromRow(row)) : null;
  }

  /**
   * The client a request authenticates as, read as it is now, and read-only. Outside a unit of work it
   * joins the next batched lookup (the token endpoint reads a client on every request).
   */
  async findForAuthentication(id: string): Promise<Client | null> {
    if (holdsNul(id)) return null;
    return unitOfWork(this.dataSource) ? this.findById(id) : this.lookups.add(id);
  }

  /** The rows of `ids`, in their order (null where there is none). */
  private async selectRows(ids: string[]): Promise<Array<RawClient | null>> {
    const sql = `${SELECT_CLIENTS} WHERE "id" IN (${ids.map((_, i) => this.param(i)).join(', ')})`;
    const rows: RawClient[] = this.prepared && !unitOfWork(this.dataSource) ? await this.prepared.all<RawClient>(sql, ids) : await database(this.dataSource).query(sql, ids);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  }

  private async lookUp(ids: string[]): Promise<Array<Client | null>> {
    return (await this.selectRows(ids)).map((row) => (row ? this.parse(row) : null));
  }

  /**
   * The client a row holds; the same object as last time when the row is unchanged, so callers of
   * findForAuthentication must not change it (management reads, which change clients, use findById).
   */
  private parse(row: RawClient): Client {
    const last = this.parsed.get(row.id);
    if (last && sameRow(last.row, row)) return last.client;
    const client = toClient(fromRow(row));
    if (!last && this.parsed.size >= MAX_PARSED) this.parsed.delete(this.parsed.keys().next().value as string);
    this.parsed.set(row.id, { row, client });
    return client;
  }

  /** Inserts a new client; a taken id is a 409 conflict. */
  async insert(client: Client): Promise<void> {
    try {
      await this.repo().insert(toEntity(client));
    } catch (e) {
      if (isUniqueViolation(e)) throw Errors.conflict().withHint(`A client with id "${client.id}" exists already.`);
      throw e;
    }
  }

  async update(client: Client): Promise<void> {
    await this.repo().update({ id: client.id }, toEntity(client));
  }

  /** Deletes the client; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const result = await this.repo().delete({ id });
    return (result.affected ?? 0) > 0;
  }

  async find(query: ClientQuery): Promise<Client[]> {
    const where: FindOptionsWhere<ClientEntity> = {};
    if (query.clientName !== undefined) where.clientName = query.clientName;
    if (query.owner !== undefined) where.owner = query.owner;
    if (query.afterId !== undefined) where.id = MoreThan(query.afterId);
    const rows = await this.repo().find({ where, order: { id: 'ASC' }, take: query.limit, skip: query.offset });
    return rows.map(toClient);
  }

  async count(query: Pick<ClientQuery, 'clientName' | 'owner'>): Promise<number> {
    const where: FindOptionsWhere<ClientEntity> = {};
    if (query.clientName !== undefined) where.clientName = query.clientName;
    if (query.owner !== undefined) where.owner = query.owner;
    return this.repo().countBy(where);
  }
}

function toEntity(client: Client): ClientEntity {
  const entity = new ClientEntity();
  entity.id = client.id;
  entity.clientName = client.metadata.client_name;
  entity.owner = client.metadata.owner;
  entity.document = JSON.stringify(client.metadata);
  entity.secretHash = client.secretHash;
  entity.rotatedSecretHashes = JSON.stringify(client.rotatedSecretHashes);
  entity.registrationTokenHash = client.registrationTokenHash;
  entity.application = client.application === null ? null : JSON.stringify(client.application);
  entity.createdAt = client.createdAt;
  entity.updatedAt = client.updatedAt;
  return entity;
}

interface RawClient {
  id: string;
  client_name: string;
  owner: string;
  document: string;
  secret_hash: string | null;
  rotated_secret_hashes: string;
  registration_token_hash: string | null;
  application: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

/** SQLite returns TypeORM's UTC datetimes as text without a zone; PostgreSQL returns Dates. */
function utcDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

function fromRow(row: RawClient): ClientEntity {
  const entity = new ClientEntity();
  entity.id = row.id;
  entity.clientName = row.client_name;
  entity.owner = row.owner;
  entity.document = row.document;
  entity.secretHash = row.secret_hash;
  entity.rotatedSecretHashes = row.rotated_secret_hashes;
  entity.registrationTokenHash = row.registration_token_hash;
  entity.application = row.application;
  entity.createdAt = utcDate(row.created_at);
  entity.updatedAt = utcDate(row.updated_at);
  return entity;
}

/** Parsed clients kept per process at most (each is a few KB). */
const MAX_PARSED = 10_000;

function sameRow(a: RawClient, b: RawClient): boolean {
  return (
    a.document === b.document &&
    a.secret_hash === b.secret_hash &&
    a.rotated_secret_hashes === b.rotated_secret_hashes &&
    a.registration_token_hash === b.registration_token_hash &&
    a.application === b.application &&
    a.client_name === b.client_name &&
    a.owner === b.owner &&
    stamp(a.created_at) === stamp(b.created_at) &&
    stamp(a.updated_at) === stamp(b.updated_at)
  );
}

const stamp = (value: string | Date): string | number => (value instanceof Date ? value.getTime() : value);

function toClient(row: ClientEntity): Client {
  return {
    id: row.id,
    // Defaults first, so that a field added after the row was written reads as its default.
    metadata: { ...defaultMetadata(), ...JSON.parse(row.document) },
    secretHash: row.secretHash,
    rotatedSecretHashes: JSON.parse(row.rotatedSecretHashes) as string[],
    registrationTokenHash: row.registrationTokenHash,
    application: row.application === null ? null : (JSON.parse(row.application) as ApplicationSettings),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}
