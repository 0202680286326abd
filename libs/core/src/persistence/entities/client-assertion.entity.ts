import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A `jti` of a private_key_jwt client assertion already used (RFC 7523 §3 replay protection), until it expires. */
@Entity('hydrant_client_assertion_jti')
export class ClientAssertionJtiEntity {
  /** SHA-256 of client_id and jti. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  signature: string;

  @Index('hydrant_client_assertion_jti_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint' })
  expiresAt: string;
}
