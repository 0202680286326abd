import { Errors } from '../../errors';
import type { TokenKind, TokenRecord } from '../../tokens/token.model';
import type { TokenStore } from '../../tokens/token.store';
import { isForeignKeyViolation } from '../database-errors';
import { booleanLiteral, join, list, Sql, sql } from '../sql';
import { SqlDatabase } from '../sql-database';
import { StatementBatcher } from '../statement-batcher';
import { bool, json, time, timeOrNull } from './columns';

const SELECT = sql`SELECT "signature", "kind", "request_id", "client_id", "subject", "scope", "audience", "issued_at", "expires_at", "active", "ext", "used_at"
  FROM "hydrant_token"`;

/**
 * Issued tokens in SQL. Issuing and introspecting are the hot paths of the server, so issued tokens are
 * group-committed, and lookups that arrive together are answered by one query: through sqlite3's thread
 * pool a statement costs about 50 µs of CPU whether it reads one row or twenty.
 */
export class SqlTokenStore implements TokenStore {
  private readonly inserts: StatementBatcher<TokenRecord>;
  private readonly lookUp: (signature: string) => Promise<TokenRecord | null>;

  constructor(private readonly db: SqlDatabase) {
    // One group commit at a time: SQLite has one writer anyway, and on PostgreSQL every commit waits for
    // its WAL flush, so fewer and larger commits cost less. Lookups run in parallel from PostgreSQL's pool.
    this.inserts = new StatementBatcher((rows) => this.insertRows(rows), { maxInFlight: 1 });
    this.lookUp = db.batchedRead((signatures: string[]) => this.selectBySignatures(signatures));
  }

  /** Inside a unit of work the tokens are written with it; otherwise each joins the next group commit. */
  async insert(tokens: TokenRecord[]): Promise<void> {
    try {
      if (this.db.inUnitOfWork()) await this.insertRows(tokens);
      else await Promise.all(tokens.map((t) => this.inserts.add(t)));
    } catch (e) {
      // The client was deleted while its request was in flight.
      if (isForeignKeyViolation(e)) throw Errors.invalidClient().withHint('The client does not exist.');
      throw e;
    }
  }

  /** Lookups that arrive together share one statement. */
  async findBySignature(signature: string, kind: TokenKind): Promise<TokenRecord | null> {
    const record = await this.lookUp(signature);
    return record?.kind === kind ? record : null;
  }

  private async selectBySignatures(signatures: string[]): Promise<Array<TokenRecord | null>> {
    const rows = await this.db.all<TokenRow>(sql`${SELECT} WHERE "signature" IN (${list(signatures)})`);
    const found = new Map(rows.map((row) => [row.signature, row]));
    return signatures.map((signature) => {
      const row = found.get(signature);
      return row ? fromRow(row) : null;
    });
  }

  private async insertRows(tokens: TokenRecord[]): Promise<void> {
    const tuples = tokens.map(
      (t) => sql`(${list([t.signature, t.kind, t.requestId, t.clientId, t.subject, t.scopes.join(' '), JSON.stringify(t.audience),
        t.issuedAt, t.expiresAt, t.active, JSON.stringify(t.ext)])})`,
    );
    await this.db.run(sql`INSERT INTO "hydrant_token" ("signature", "kind", "request_id", "client_id", "subject", "scope", "audience",
      "issued_at", "expires_at", "active", "ext") VALUES ${join(tuples, ', ')}`);
  }

  async deactivate(signature: string): Promise<void> {
    await this.db.run(sql`UPDATE "hydrant_token" SET "active" = ${false} WHERE "signature" = ${signature}`);
  }

  async deactivateRequest(requestId: string): Promise<void> {
    await this.deactivateRequests([requestId]);
  }

  /** One statement, which ends any grace period too: a revoked chain stays revoked. */
  async deactivateRequests(requestIds: string[]): Promise<void> {
    if (requestIds.length === 0) return;
    await this.db.run(this.updateChains(requestIds, sql`"active" = ${false}, "used_at" = NULL`));
  }

  async retireRequest(requestId: string, until: Date | null): Promise<void> {
    await this.db.run(
      until === null
        ? this.updateChains([requestId], sql`"active" = ${false}`, sql`"active" = ${true}`)
        : this.updateChains([requestId], sql`"expires_at" = ${until}`, sql`"expires_at" > ${until}`),
    );
  }

  /**
   * An UPDATE of every token of the named grants (that match `where`). On PostgreSQL it locks their rows in
   * signature order first, so that updates of one chain at once (every loser of a refresh race revokes it,
   * every refresh retires it) queue on its first row instead of deadlocking: a bare UPDATE locks rows in
   * the order it meets them, and that order changes as concurrent updates create new row versions
   * (ory/hydra#3604). SQLite has one writer at a time, so its rows need no order.
   */
  private updateChains(requestIds: string[], set: Sql, where?: Sql): Sql {
    const inChains = sql`"request_id" IN (${list(requestIds)})`;
    const chosen = where ? sql`${inChains} AND ${where}` : inChains;
    return this.db.dialect === 'postgres'
      ? sql`WITH "chain" AS MATERIALIZED (SELECT "signature" FROM "hydrant_token" WHERE ${chosen} ORDER BY "signature" FOR UPDATE)
          UPDATE "hydrant_token" SET ${set} WHERE "signature" IN (SELECT "signature" FROM "chain")`
      : sql`UPDATE "hydrant_token" SET ${set} WHERE ${chosen}`;
  }

  async rotate(signature: string, now: Date): Promise<boolean> {
    const changed = await this.db.run(
      sql`UPDATE "hydrant_token" SET "active" = ${false}, "used_at" = ${now} WHERE "signature" = ${signature} AND "active" = ${true}`,
    );
    return changed === 1;
  }

  deleteByClient(clientId: string): Promise<number> {
    return this.db.run(sql`DELETE FROM "hydrant_token" WHERE "client_id" = ${clientId}`);
  }

  /**
   * Small batches keep each statement short, so that the flush never holds the database for long. Each
   * side of the OR has its index (the revoked side a partial one, hence `active` as a literal), so neither
   * reads the whole table.
   */
  deleteInactiveBatch(before: Date, batchSize: number): Promise<number> {
    return this.db.deleteBatch('hydrant_token', 'signature',
      sql`"expires_at" < ${before} OR ("active" = ${booleanLiteral(false)} AND "issued_at" < ${before})`, batchSize);
  }
}

interface TokenRow {
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

function fromRow(row: TokenRow): TokenRecord {
  return {
    signature: row.signature,
    kind: row.kind as TokenKind,
    requestId: row.request_id,
    clientId: row.client_id,
    subject: row.subject,
    scopes: row.scope ? row.scope.split(' ') : [],
    audience: json<string[]>(row.audience),
    issuedAt: time(row.issued_at),
    expiresAt: time(row.expires_at),
    active: bool(row.active),
    ext: json<Record<string, unknown>>(row.ext),
    usedAt: timeOrNull(row.used_at),
  };
}
