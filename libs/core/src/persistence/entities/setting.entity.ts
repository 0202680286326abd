import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Server-wide values that every worker and instance must agree on, such as a generated system secret. */
@Entity('hydrant_setting')
export class SettingEntity {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'text' })
  value: string;
}
