import { DataSource } from 'typeorm';
import { SettingEntity } from '../persistence/entities';
import { database } from '../persistence/unit-of-work';

/** Server-wide values in the database, shared by every worker and instance. */
export class SettingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Returns the stored value of `key`, storing `candidate` first if there is none. When several processes
   * race, the first insert wins and every process returns that same value.
   */
  async getOrInsert(key: string, candidate: string): Promise<string> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(SettingEntity)
      .values({ key, value: candidate })
      .orIgnore()
      .execute();
    const row = await this.dataSource.getRepository(SettingEntity).findOneByOrFail({ key });
    return row.value;
  }

  /** The stored value of `key`, or null. */
  async get(key: string): Promise<string | null> {
    const row = await database(this.dataSource).getRepository(SettingEntity).findOneBy({ key });
    return row?.value ?? null;
  }

  async delete(key: string): Promise<void> {
    await database(this.dataSource).getRepository(SettingEntity).delete({ key });
  }
}
