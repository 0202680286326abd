import type { SettingStore } from '../../settings/setting.store';
import { sql } from '../sql';
import { SqlDatabase } from '../sql-database';

/** Server-wide settings in SQL. */
export class SqlSettingStore implements SettingStore {
  constructor(private readonly db: SqlDatabase) {}

  /** When several processes race, the first insert wins (the others do nothing) and all read it back. */
  async getOrInsert(key: string, candidate: string): Promise<string> {
    await this.db.run(sql`INSERT INTO "hydrant_setting" ("key", "value") VALUES (${key}, ${candidate}) ON CONFLICT ("key") DO NOTHING`);
    const value = await this.get(key);
    if (value === null) throw new Error(`the setting ${key} was deleted while it was being stored`);
    return value;
  }

  async get(key: string): Promise<string | null> {
    return (await this.db.one<{ value: string }>(sql`SELECT "value" FROM "hydrant_setting" WHERE "key" = ${key}`))?.value ?? null;
  }

  async delete(key: string): Promise<void> {
    await this.db.run(sql`DELETE FROM "hydrant_setting" WHERE "key" = ${key}`);
  }
}
