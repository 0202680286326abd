import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A JSON Web Key of a named key set (Hydra's `hydra.openid.id-token`, `hydra.jwt.access-token`, or one an
 * operator created). The private part is stored only as a JWE encrypted under SECRETS_SYSTEM.
 */
@Entity('hydrant_jwk')
export class JwkEntity {
  @PrimaryColumn({ name: 'set_id', type: 'varchar', length: 255 })
  setId: string;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  kid: string;

  @Column({ type: 'varchar', length: 16 })
  alg: string;

  @Column({ name: 'key_use', type: 'varchar', length: 8, default: 'sig' })
  use: string;

  /** The public JWK, JSON. */
  @Column({ name: 'public_jwk', type: 'text' })
  publicJwk: string;

  /** The private JWK as a compact JWE (dir, A256GCM); null for keys held as public only. */
  @Column({ name: 'private_jwk_jwe', type: 'text', nullable: true })
  privateJwkJwe: string | null;

  /** Milliseconds since the epoch; the newest key of a set signs. */
  @Column({ name: 'created_at', type: 'bigint' })
  createdAt: string;
}
