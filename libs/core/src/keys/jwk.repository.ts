import { DataSource, EntityManager } from 'typeorm';
import { JwkEntity } from '../persistence/entities';

export interface StoredJwk {
  setId: string;
  kid: string;
  alg: string;
  use: string;
  publicJwk: Record<string, unknown>;
  privateJwkJwe: string | null;
  createdAt: Date;
}

/** The only code that reads or writes JSON Web Keys. */
export class JwkRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The keys of a set, newest first. */
  async findSet(setId: string, manager?: EntityManager): Promise<StoredJwk[]> {
    const rows = await (manager ?? this.dataSource.manager).getRepository(JwkEntity).find({ where: { setId }, order: { createdAt: 'DESC', kid: 'ASC' } });
    return rows.map(toStored);
  }

  /** Every key of every set (the secret migration re-encrypts them all). */
  async findAll(manager?: EntityManager): Promise<StoredJwk[]> {
    const rows = await (manager ?? this.dataSource.manager).getRepository(JwkEntity).find({ order: { setId: 'ASC', kid: 'ASC' } });
    return rows.map(toStored);
  }

  /** One key of a set, or null. */
  async findKey(setId: string, kid: string, manager?: EntityManager): Promise<StoredJwk | null> {
    const row = await (manager ?? this.dataSource.manager).getRepository(JwkEntity).findOne({ where: { setId, kid } });
    return row ? toStored(row) : null;
  }

  async insert(key: StoredJwk, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).getRepository(JwkEntity).insert(toEntity(key));
  }

  /** Inserts the key or replaces the one with the same set and kid (PUT semantics). */
  async upsert(key: StoredJwk, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).getRepository(JwkEntity).upsert(toEntity(key), ['setId', 'kid']);
  }

  /** Whether a key was there to delete. */
  async deleteKey(setId: string, kid: string, manager?: EntityManager): Promise<boolean> {
    const result = await (manager ?? this.dataSource.manager).getRepository(JwkEntity).delete({ setId, kid });
    return (result.affected ?? 0) > 0;
  }

  /** How many keys the set had. */
  async deleteSet(setId: string, manager?: EntityManager): Promise<number> {
    const result = await (manager ?? this.dataSource.manager).getRepository(JwkEntity).delete({ setId });
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
