import { Errors } from '../../errors';
import type { JwkStore, SigningHead, StoredJwk } from '../../keys/jwk.store';
import { isUniqueViolation } from '../database-errors';
import { list, sql } from '../sql';
import { SqlDatabase } from '../sql-database';
import { json, time } from './columns';

/** PostgreSQL advisory lock that serialises the creation of a set's first key across instances. */
const SET_CREATION_LOCK = 4_444_446;

const SELECT = sql`SELECT "set_id", "kid", "alg", "key_use", "public_jwk", "private_jwk_jwe", "created_at" FROM "hydrant_jwk"`;

/** JSON Web Keys in SQL. */
export class SqlJwkStore implements JwkStore {
  /** The signing keys that signatures under way together ask for, read by one statement. */
  private readonly head: (setId: string) => Promise<SigningHead | null>;

  constructor(private readonly db: SqlDatabase) {
    this.head = db.batchedRead((setIds: string[]) => this.selectHeads(setIds));
  }

  /** On PostgreSQL an advisory lock held to the end of the transaction; SQLite's `BEGIN IMMEDIATE` already lets one writer in. */
  async lockSetCreation(): Promise<void> {
    if (this.db.dialect === 'postgres') await this.db.all(sql`SELECT pg_advisory_xact_lock(${SET_CREATION_LOCK})`);
  }

  async findSet(setId: string): Promise<StoredJwk[]> {
    return (await this.db.all<JwkRow>(sql`${SELECT} WHERE "set_id" = ${setId} ORDER BY "created_at" DESC, "kid" ASC`)).map(fromRow);
  }

  async findAll(): Promise<StoredJwk[]> {
    return (await this.db.all<JwkRow>(sql`${SELECT} ORDER BY "set_id" ASC, "kid" ASC`)).map(fromRow);
  }

  /** Reads that arrive together share one statement. */
  findSigningHead(setId: string): Promise<SigningHead | null> {
    return this.head(setId);
  }

  private async selectHeads(setIds: string[]): Promise<Array<SigningHead | null>> {
    const rows = await this.db.all<{ set_id: string; kid: string; public_jwk: string }>(sql`SELECT "set_id", "kid", "public_jwk" FROM (
        SELECT "set_id", "kid", "public_jwk", ROW_NUMBER() OVER (PARTITION BY "set_id" ORDER BY "created_at" DESC, "kid" ASC) AS "rank"
        FROM "hydrant_jwk" WHERE "set_id" IN (${list([...new Set(setIds)])}) AND "key_use" = 'sig' AND "private_jwk_jwe" IS NOT NULL
      ) AS "ranked" WHERE "rank" = 1`);
    const bySet = new Map(rows.map((r) => [r.set_id, { kid: r.kid, publicJwk: r.public_jwk }]));
    return setIds.map((id) => bySet.get(id) ?? null);
  }

  async findPublicKeys(setId: string): Promise<Array<{ kid: string; publicJwk: string }>> {
    const rows = await this.db.all<{ kid: string; public_jwk: string }>(
      sql`SELECT "kid", "public_jwk" FROM "hydrant_jwk" WHERE "set_id" = ${setId} ORDER BY "created_at" DESC, "kid" ASC`,
    );
    return rows.map((r) => ({ kid: r.kid, publicJwk: r.public_jwk }));
  }

  async findKey(setId: string, kid: string): Promise<StoredJwk | null> {
    const row = await this.db.one<JwkRow>(sql`${SELECT} WHERE "set_id" = ${setId} AND "kid" = ${kid}`);
    return row && fromRow(row);
  }

  async insert(key: StoredJwk): Promise<void> {
    try {
      await this.db.run(insertKey(key));
    } catch (e) {
      if (isUniqueViolation(e)) throw Errors.conflict().withHint(`Key set "${key.setId}" already has a key with kid "${key.kid}".`);
      throw e;
    }
  }

  async upsert(key: StoredJwk): Promise<void> {
    await this.db.run(sql`${insertKey(key)}
      ON CONFLICT ("set_id", "kid") DO UPDATE SET "alg" = excluded."alg", "key_use" = excluded."key_use", "public_jwk" = excluded."public_jwk",
        "private_jwk_jwe" = excluded."private_jwk_jwe", "created_at" = excluded."created_at"`);
  }

  async deleteKey(setId: string, kid: string): Promise<boolean> {
    return (await this.db.run(sql`DELETE FROM "hydrant_jwk" WHERE "set_id" = ${setId} AND "kid" = ${kid}`)) > 0;
  }

  deleteSet(setId: string): Promise<number> {
    return this.db.run(sql`DELETE FROM "hydrant_jwk" WHERE "set_id" = ${setId}`);
  }
}

const insertKey = (key: StoredJwk) => sql`INSERT INTO "hydrant_jwk" ("set_id", "kid", "alg", "key_use", "public_jwk", "private_jwk_jwe", "created_at")
  VALUES (${key.setId}, ${key.kid}, ${key.alg}, ${key.use}, ${JSON.stringify(key.publicJwk)}, ${key.privateJwkJwe}, ${key.createdAt})`;

interface JwkRow {
  set_id: string;
  kid: string;
  alg: string;
  key_use: string;
  public_jwk: string;
  private_jwk_jwe: string | null;
  created_at: string | number;
}

function fromRow(row: JwkRow): StoredJwk {
  return {
    setId: row.set_id,
    kid: row.kid,
    alg: row.alg,
    use: row.key_use,
    publicJwk: json<Record<string, unknown>>(row.public_jwk),
    privateJwkJwe: row.private_jwk_jwe,
    createdAt: time(row.created_at),
  };
}
