import { DataSource } from 'typeorm';
import { JwkEntity } from '../persistence/entities';
import { placeholders } from '../persistence/sql-dialect';
import { SqliteStatements, sqliteStatements } from '../persistence/sqlite-statements';
import { StatementBatcher } from '../persistence/statement-batcher';
import { database, unitOfWork } from '../persistence/unit-of-work';

export interface StoredJwk {
  setId: string;
  kid: string;
  alg: string;
  use: string;
  publicJwk: Record<string, unknown>;
  privateJwkJwe: string | null;
  createdAt: Date;
}

/** PostgreSQL advisory lock that serialises the creation of a set's first key across instances. */
const SET_CREATION_LOCK = 4_444_446;

/** A set's signing key as findSigningHead answers it. */
export interface SigningHead {
  kid: string;
  /** The public JWK as stored (JSON text): it names the key pair. */
  publicJwk: string;
}

/** The only code that reads or writes JSON Web Keys. */
export class JwkRepository {
  /** The signing keys that signatures under way together ask for, read by one statement. */
  private readonly heads: StatementBatcher<string, SigningHead | null>;
  /** On SQLite, those reads run prepared. */
  private readonly prepared?: SqliteStatements;

  constructor(private readonly dataSource: DataSource) {
    if (dataSource.options.type === 'sqlite') this.prepared = sqliteStatements(dataSource);
    this.heads = new StatementBatcher((setIds) => this.selectHeads(setIds), { maxInFlight: dataSource.options.type === 'postgres' ? 4 : 1 });
  }

  /**
   * Inside a unit of work, waits until no other one may be creating a set's first key: on PostgreSQL an
   * advisory lock held to the end of the transaction; SQLite's `BEGIN IMMEDIATE` already lets one writer in.
   */
  async lockSetCreation(): Promise<void> {
    if (this.dataSource.options.type === 'postgres') await database(this.dataSource).query('SELECT pg_advisory_xact_lock($1)', [SET_CREATION_LOCK]);
  }

  /** The keys of a set, newest first. */
  async findSet(setId: string): Promise<StoredJwk[]> {
    const rows = await database(this.dataSource).getRepository(JwkEntity).find({ where: { setId }, order: { createdAt: 'DESC', kid: 'ASC' } });
    return rows.map(toStored);
  }

  /** Every key of every set (the secret migration re-encrypts them all). */
  async findAll(): Promise<StoredJwk[]> {
    const rows = await database(this.dataSource).getRepository(JwkEntity).find({ order: { setId: 'ASC', kid: 'ASC' } });
    return rows.map(toStored);
  }

  /**
   * The key a set signs with now: its newest key with a private part and use "sig". Read on every
   * signature; outside a unit of work it joins the next batched read, which starts after the call.
   */
  async findSigningHead(setId: string): Promise<SigningHead | null> {
    if (unitOfWork(this.dataSource)) return (await this.selectHeads([setId]))[0];
    return this.heads.add(setId);
  }

  private async selectHeads(setIds: string[]): Promise<Array<SigningHead | null>> {
    const distinct = [...new Set(setIds)];
    const param = placeholders(this.dataSource);
    const sql = `SELECT "set_id", "kid", "public_jwk" FROM (
        SELECT "set_id", "kid", "public_jwk", ROW_NUMBER() OVER (PARTITION BY "set_id" ORDER BY "created_at" DESC, "kid" ASC) AS "rank"
        FROM "hydrant_jwk" WHERE "set_id" IN (${distinct.map((_, i) => param(i)).join(', ')}) AND "key_use" = 'sig' AND "private_jwk_jwe" IS NOT NULL
      ) AS "ranked" WHERE "rank" = 1`;
    type Row = { set_id: string; kid: string; public_jwk: string };
    const rows: Row[] = this.prepared && !unitOfWork(this.dataSource) ? await this.prepared.all<Row>(sql, distinct) : await database(this.dataSource).query(sql, distinct);
    const bySet = new Map(rows.map((r) => [r.set_id, { kid: r.kid, publicJwk: r.public_jwk }]));
    return setIds.map((id) => bySet.get(id) ?? null);
  }

  /** The public JWKs of a set as stored (JSON text), newest first, in findSet's order. */
  async findPublicKeys(setId: string): Promise<Array<{ kid: string; publicJwk: string }>> {
    const param = placeholders(this.dataSource);
    const rows: Array<{ kid: string; public_jwk: string }> = await database(this.dataSource).query(
      `SELECT "kid", "public_jwk" FROM "hydrant_jwk" WHERE "set_id" = ${param(0)} ORDER BY "created_at" DESC, "kid" ASC`,
      [setId],
    );
    return rows.map((r) => ({ kid: r.kid, publicJwk: r.public_jwk }));
  }

  /** One key of a set, or null. */
  async findKey(setId: string, kid: string): Promise<StoredJwk | null> {
    const row = await database(this.dataSource).getRepository(JwkEntity).findOne({ where: { setId, kid } });
    return row ? toStored(row) : null;
  }

  async insert(key: StoredJwk): Promise<void> {
    await database(this.dataSource).getRepository(JwkEntity).insert(toEntity(key));
  }

  /** Inserts the key or replaces the one with the same set and kid (PUT semantics). */
  async upsert(key: StoredJwk): Promise<void> {
    await database(this.dataSource).getRepository(JwkEntity).upsert(toEntity(key), ['setId', 'kid']);
  }

  /** Whether a key was there to delete. */
  async deleteKey(setId: string, kid: string): Promise<boolean> {
    const result = await database(this.dataSource).getRepository(JwkEntity).delete({ setId, kid });
    return (result.affected ?? 0) > 0;
  }

  /** How many keys the set had. */
  async deleteSet(setId: string): Promise<number> {
    const result = await database(this.dataSource).getRepository(JwkEntity).delete({ setId });
    return result.affected ?? 0;
  }
}

function toEntity(key: StoredJwk): JwkEntity {
  const entity = new JwkEntity();
  entity.setId = key.setId;
  entity.kid = key.kid;
  entity.alg = key.alg;
  entity.use = key.use;
  entity.publicJwk = JSON.stringify(key.publicJwk);
  entity.privateJwkJwe = key.privateJwkJwe;
  entity.createdAt = String(key.createdAt.getTime());
  return entity;
}

function toStored(row: JwkEntity): StoredJwk {
  return {
    setId: row.setId,
    kid: row.kid,
    alg: row.alg,
    use: row.use,
    publicJwk: JSON.parse(row.publicJwk) as Record<string, unknown>,
    privateJwkJwe: row.privateJwkJwe,
    createdAt: new Date(Number(row.createdAt)),
  };
}
