import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A fixed-window counter shared by every worker and instance (e.g. registrations per source IP, failed client authentications). */
@Entity('hydrant_rate_limit')
export class RateLimitEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  bucket: string;

  /** Start of the current window, milliseconds since the epoch. */
  @Column({ name: 'window_start', type: 'bigint' })
  windowStart: string;

  /** End of the current window, milliseconds since the epoch: the janitor deletes the row after it. */
  @Column({ name: 'window_end', type: 'bigint' })
  windowEnd: string;

  @Column({ type: 'integer' })
  hits: number;
}
