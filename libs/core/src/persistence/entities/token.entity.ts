import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An issued access or refresh token, keyed by its signature (never the token). Every token issued from one
 * grant shares a `request_id`, so that a refresh token's chain, or everything an authorization code issued,
 * can be revoked in one statement.
 */
@Entity('hydrant_token')
export class TokenEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  signature: string;

  /** `access_token` or `refresh_token`. */
  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Index('hydrant_token_request_idx')
  @Column({ name: 'request_id', type: 'varchar', length: 64 })
  requestId: string;

  @Index('hydrant_token_client_idx')
  @Column({ name: 'client_id', type: 'varchar', length: 255 })
  clientId: string;

  @Column({ type: 'varchar', length: 255, default: '' })
  subject: string;

  /** Granted scopes, space separated. */
  @Column({ type: 'text', default: '' })
  scope: string;

  /** Granted audience, JSON array. */
  @Column({ type: 'text', default: '[]' })
  audience: string;

  @Column({ name: 'issued_at', type: 'bigint' })
  issuedAt: string;

  @Index('hydrant_token_expires_idx')
  @Column({ name: 'expires_at', type: 'bigint' })
  expiresAt: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  /** Extra claims for introspection (`ext`), JSON object. */
  @Column({ type: 'text', default: '{}' })
  ext: string;

  /** When a refresh token was rotated: the start of OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD. */
  @Column({ name: 'used_at', type: 'bigint', nullable: true })
  usedAt: string | null;
}
