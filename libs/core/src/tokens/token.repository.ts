import { DataSource, Repository } from 'typeorm';
import { Errors } from '../errors';
import { isForeignKeyViolation } from '../persistence/database-errors';
import { TokenEntity } from '../persistence/entities';
import { StatementBatcher } from '../persistence/statement-batcher';
import { deleteBatch, executeWrite, placeholders, sqlBoolean, sqlBooleanLiteral } from '../persistence/sql-dialect';
import { SqliteStatements, sqliteStatements } from '../persistence/sqlite-statements';
import { TokenKind, TokenRecord } from './token.model';
import { database, unitOfWork } from '../persistence/unit-of-work';

const COLUMNS = ['signature', 'kind', 'request_id', 'client_id', 'subject', 'scope', 'audience', 'issued_at', 'expires_at', 'active', 'ext'];
const READ_COLUMNS = [...COLUMNS, 'used_at'];
const SELECT_TOKENS = `SELECT ${READ_COLUMNS.map((c) => `"${c}"`).join(', ')} FROM "hydrant_token"`;
const INSERT_TOKENS = `INSERT INTO "hydrant_token" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES`;

/**
 * The only code that reads or writes issued tokens. Issuing and introspecting are the hot paths of the
 * server, so they use plain SQL (no query building per request), issued tokens are group-committed, and
 * lookups that arrive together are answered by one query: through sqlite3's thread pool a statement costs
 * about 50 µs of CPU whether it reads one row or twenty.
 */
export class TokenRepository {
  private readonly inserts: StatementBatcher<TokenRecord>;
  private readonly lookups: StatementBatcher<string, TokenRecord | null>;
  private readonly param: (index: number) => string;
  /** On SQLite, the hot statements outside units of work run prepared. */
  private readonly prepared?: SqliteStatements;

  constructor(private readonly dataSource: DataSource) {
    this.param = placeholders(dataSource);
    if (dataSource.options.type === 'sqlite') this.prepared = sqliteStatements(dataSource);
    // One group commit at a time: SQLite has one writer anyway, and on PostgreSQL every commit waits for
    // its WAL flush, so fewer and larger commits cost less. Lookups run in parallel from PostgreSQL's pool.
    this.inserts = new StatementBatcher((rows) => this.insertRows(rows), { maxInFlight: 1 });
    this.lookups = new StatementBatcher((signatures) => this.selectBySignatures(signatures), {
      maxInFlight: dataSource.options.type === 'postgres' ? 4 : 1,
    });
  }

  private repo(): Repository<TokenEntity> {
    return database(this.dataSource).getRepository(TokenEntity);
  }

  /**
   * Stores issued tokens. Inside a unit of work they are written with it; otherwise each token joins the
   * next group commit and the promise settles once it is stored.
   */
  async insert(tokens: TokenRecord[]): Promise<void> {
    try {
      if (unitOfWork(this.dataSource)) await this.insertRows(tokens);
      else await Promise.all(tokens.map((t) => this.inserts.add(t)));
    } catch (e) {
      // The client was deleted while its request was in flight.
      if (isForeignKeyViolation(e)) throw Errors.invalidClient().withHint('The client does not exist.');
      throw e;
    }
  }

  /** The token of `kind` stored under `signature`. Inside a unit of work it is read with it; otherwise it joins the next batched lookup. */
  async findBySignature(signature: string, kind: TokenKind): Promise<TokenRecord | null> {
    const [record] = unitOfWork(this.dataSource) ? await this.selectBySignatures([signature]) : [await this.lookups.add(signature)];
    return record?.kind === kind ? record : null;
  }

  private async selectBySignatures(signatures: string[]): Promise<Array<TokenRecord | null>> {
    const sql = `${SELECT_TOKENS} WHERE "signature" IN (${signatures.map((_, i) => this.param(i)).join(', ')})`;
    const rows = await this.query<RawToken>(sql, signatures);
    const found = new Map(rows.map((row) => [row.signature, row]));
    return signatures.map((signature) => {
      const row = found.get(signature);
      return row ? fromRow(row) : null;
    });
  }

  private async insertRows(tokens: TokenRecord[]): Promise<void> {
    const values: unknown[] = [];
    const tuples = tokens.map((t) => {
      const row = [t.signature, t.kind, t.requestId, t.clientId, t.subject, t.scopes.join(' '), JSON.stringify(t.audience),
        t.issuedAt.getTime(), t.expiresAt.getTime(), sqlBoolean(this.dataSource, t.active), JSON.stringify(t.ext)];
      const start = values.length;
      values.push(...row);
      return `(${row.map((_, i) => this.param(start + i)).join(', ')})`;
    });
    await this.query(`${INSERT_TOKENS} ${tuples.join(', ')}`, values);
  }

  /** Runs a hot statement: with the unit of work's manager inside one, else prepared on SQLite. */
  private async query<T>(sql: string, params: unknown[]): Promise<T[]> {
    if (this.prepared && !unitOfWork(this.dataSource)) return this.prepared.all<T>(sql, params);
    return database(this.dataSource).query(sql, params);
  }

  /** Marks one token inactive. */
  async deactivate(signature: string): Promise<void> {
    await this.repo().update({ signature }, { active: false });
  }

  /**
   * Marks every token of a grant inactive (a refresh chain, or what an authorization code issued). Clearing
   * `used_at` ends any rotation grace period: a revoked chain stays revoked.
   */
  async deactivateRequest(requestId: string): Promise<void> {
    await this.deactivateRequests([requestId]);
  }

  /**
   * One statement. On PostgreSQL it locks the chain's rows in signature order before it updates them, so
   * that revocations of one chain at once (every loser of a refresh race revokes it) queue on its first
   * row instead of deadlocking: a bare UPDATE locks rows in the order it meets them, and that order changes
   * as concurrent updates create new row versions (ory/hydra#3604). SQLite has one writer at a time, so its
   * rows need no order.
   */
  async deactivateRequests(requestIds: string[]): Promise<void> {
    if (requestIds.length === 0) return;
    const inRequests = `"request_id" IN (${requestIds.map((_, i) => this.param(i + 1)).join(', ')})`;
    const set = `UPDATE "hydrant_token" SET "active" = ${this.param(0)}, "used_at" = NULL`;
    const sql =
      this.dataSource.options.type === 'postgres'
        ? `WITH "chain" AS MATERIALIZED (SELECT "signature" FROM "hydrant_token" WHERE ${inRequests} ORDER BY "signature" FOR UPDATE) ` +
          `${set} WHERE "signature" IN (SELECT "signature" FROM "chain")`
        : `${set} WHERE ${inRequests}`;
    await database(this.dataSource).query(sql, [sqlBoolean(this.dataSource, false), ...requestIds]);
  }

  /**
   * Retires a refresh token on use (rotation) if it is still active; answers whether this call did. The
   * time of use is kept for OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD.
   */
  async rotate(signature: string, now: Date): Promise<boolean> {
    const changed = await executeWrite(
      this.dataSource,
      `UPDATE "hydrant_token" SET "active" = ${this.param(0)}, "used_at" = ${this.param(1)} WHERE "signature" = ${this.param(2)} AND "active" = ${this.param(3)}`,
      [sqlBoolean(this.dataSource, false), now.getTime(), signature, sqlBoolean(this.dataSource, true)],
    );
    return changed === 1;
  }

  /** Deletes every token of a client; returns how many. */
  async deleteByClient(clientId: string): Promise<number> {
    return (await this.repo().delete({ clientId })).affected ?? 0;
  }

  /**
   * Deletes up to `batchSize` tokens that expired, or were revoked, before `before`. Small batches keep
   * each statement short, so that the flush never holds the database for long. Each side of the OR has its
   * index (the revoked side a partial one, hence `active` as a literal), so neither reads the whole table.
   */
  deleteInactiveBatch(before: Date, batchSize: number): Promise<number> {
    const [at, issuedBefore] = [0, 1].map(this.param);
    return deleteBatch(this.dataSource, 'hydrant_token', 'signature',
      `"expires_at" < ${at} OR ("active" = ${sqlBooleanLiteral(this.dataSource, false)} AND "issued_at" < ${issuedBefore})`,
      [before.getTime(), before.getTime()], batchSize);
  }
}

interface RawToken {
  signature: string;
  kind: string;
  request_id: string;
  client_id: string;
  subject: string;
  scope: string;
  audience: string;
  issued_at: string | number;
  expires_at: string | number;
  active: boolean | number;
  ext: string;
  used_at: string | number | null;
}

function fromRow(row: RawToken): TokenRecord {
  return {
    signature: row.signature,
    kind: row.kind as TokenKind,
    requestId: row.request_id,
    clientId: row.client_id,
    subject: row.subject,
    scopes: row.scope ? row.scope.split(' ') : [],
    audience: JSON.parse(row.audience) as string[],
    issuedAt: new Date(Number(row.issued_at)),
    expiresAt: new Date(Number(row.expires_at)),
    active: Boolean(row.active),
    ext: JSON.parse(row.ext) as Record<string, unknown>,
    usedAt: row.used_at === null || row.used_at === undefined ? null : new Date(Number(row.used_at)),
  };
}
