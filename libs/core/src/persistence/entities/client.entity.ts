import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One OAuth 2.0 client. The registered metadata (RFC 7591 §2 plus Hydra's fields) is kept whole as a JSON
 * document, so that a new metadata field needs no migration; the columns beside it are the ones Hydrant
 * filters on or must keep apart from the metadata (secret hashes never leave the server).
 */
@Entity('hydrant_client')
export class ClientEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id: string;

  @Index('hydrant_client_name_idx')
  @Column({ name: 'client_name', type: 'varchar', length: 255, default: '' })
  clientName: string;

  @Index('hydrant_client_owner_idx')
  @Column({ type: 'varchar', length: 255, default: '' })
  owner: string;

  /** JSON of ClientMetadata, without client_id, secret and timestamps. */
  @Column({ type: 'text' })
  document: string;

  /** Hash of the current secret (see client-secret.hasher.ts); null for public clients. */
  @Column({ name: 'secret_hash', type: 'varchar', length: 255, nullable: true })
  secretHash: string | null;

  /** JSON array of hashes of previous secrets that still work after a rotation, newest first. */
  @Column({ name: 'rotated_secret_hashes', type: 'text', default: '[]' })
  rotatedSecretHashes: string;

  /** SHA-256 of the RFC 7592 registration access token; null for clients created on the admin API. */
  @Column({ name: 'registration_token_hash', type: 'varchar', length: 255, nullable: true })
  registrationTokenHash: string | null;

  /** JSON of ApplicationSettings once the client is managed as a Fluxer application; null otherwise. */
  @Column({ type: 'text', nullable: true })
  application: string | null;

  @Column({ name: 'created_at' })
  createdAt: Date;

  @Column({ name: 'updated_at' })
  updatedAt: Date;
}
