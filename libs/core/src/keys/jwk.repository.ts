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

  async insert(key: StoredJwk, manager?: EntityManager): Promise<void> {
    const entity = new JwkEntity();
    entity.setId = key.setId;
    entity.kid = key.kid;
    entity.alg = key.alg;
    entity.use = key.use;
    entity.publicJwk = JSON.stringify(key.publicJwk);
    entity.privateJwkJwe = key.privateJwkJwe;
    entity.createdAt = String(key.createdAt.getTime());
    await (manager ?? this.dataSource.manager).getRepository(JwkEntity).insert(entity);
  }
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
