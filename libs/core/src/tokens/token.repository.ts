import { DataSource, EntityManager, In, LessThan, Repository } from 'typeorm';
import { TokenEntity } from '../persistence/entities';
import { TokenKind, TokenRecord } from './token.model';

/** The only code that reads or writes issued tokens. */
export class TokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<TokenEntity> {
    return (manager ?? this.dataSource.manager).getRepository(TokenEntity);
  }

  async insert(tokens: TokenRecord[], manager?: EntityManager): Promise<void> {
    await this.repo(manager).insert(tokens.map(toEntity));
  }

  async findBySignature(signature: string, kind?: TokenKind, manager?: EntityManager): Promise<TokenRecord | null> {
    const row = await this.repo(manager).findOneBy(kind ? { signature, kind } : { signature });
    return row ? toRecord(row) : null;
  }

  /** Marks one token inactive. */
  async deactivate(signature: string, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ signature }, { active: false });
  }

  /** Marks every token of a grant inactive (a refresh chain, or what an authorization code issued). */
  async deactivateRequest(requestId: string, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ requestId }, { active: false });
  }

  /** Deletes every token of a client; returns how many. */
  async deleteByClient(clientId: string): Promise<number> {
    return (await this.repo().delete({ clientId })).affected ?? 0;
  }

  /**
   * Deletes up to `batchSize` tokens that expired, or were revoked, before `before`. Small batches keep
   * each statement short, so that the flush never holds the database for long.
   */
  async deleteInactiveBatch(before: Date, batchSize: number): Promise<number> {
    const stale = await this.repo().find({
      select: { signature: true },
      where: [{ expiresAt: LessThan(String(before.getTime())) }, { active: false, issuedAt: LessThan(String(before.getTime())) }],
      take: batchSize,
    });
    if (stale.length === 0) return 0;
    await this.repo().delete({ signature: In(stale.map((t) => t.signature)) });
    return stale.length;
  }
}

function toEntity(token: TokenRecord): TokenEntity {
  const entity = new TokenEntity();
  entity.signature = token.signature;
  entity.kind = token.kind;
  entity.requestId = token.requestId;
  entity.clientId = token.clientId;
  entity.subject = token.subject;
  entity.scope = token.scopes.join(' ');
  entity.audience = JSON.stringify(token.audience);
  entity.issuedAt = String(token.issuedAt.getTime());
  entity.expiresAt = String(token.expiresAt.getTime());
  entity.active = token.active;
  entity.ext = JSON.stringify(token.ext);
  return entity;
}

function toRecord(row: TokenEntity): TokenRecord {
  return {
    signature: row.signature,
    kind: row.kind as TokenKind,
    requestId: row.requestId,
    clientId: row.clientId,
    subject: row.subject,
    scopes: row.scope ? row.scope.split(' ') : [],
    audience: JSON.parse(row.audience) as string[],
    issuedAt: new Date(Number(row.issuedAt)),
    expiresAt: new Date(Number(row.expiresAt)),
    active: Boolean(row.active),
    ext: JSON.parse(row.ext) as Record<string, unknown>,
  };
}
