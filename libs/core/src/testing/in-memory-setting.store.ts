import { SettingStore } from '../settings/setting.store';
import { yieldTurn } from './yield-turn';

/**
 * SettingStore in memory, with SqlSettingStore's semantics: `getOrInsert` is an insert that does nothing
 * when the key is taken, then a read, so that of several racing callers the first insert wins and every
 * one answers its value.
 */
export class InMemorySettingStore implements SettingStore {
  private readonly rows = new Map<string, string>();

  async getOrInsert(key: string, candidate: string): Promise<string> {
    await yieldTurn();
    if (!this.rows.has(key)) this.rows.set(key, candidate);
    const value = await this.get(key);
    if (value === null) throw new Error(`the setting ${key} was deleted while it was being stored`);
    return value;
  }

  async get(key: string): Promise<string | null> {
    await yieldTurn();
    return this.rows.get(key) ?? null;
  }

  async delete(key: string): Promise<void> {
    await yieldTurn();
    this.rows.delete(key);
  }
}
