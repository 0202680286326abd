/** Server-wide values in the database, shared by every worker and instance. */
export interface SettingStore {
  /**
   * The stored value of `key`, storing `candidate` first if there is none. When several processes race,
   * the first insert wins and every process answers that same value.
   */
  getOrInsert(key: string, candidate: string): Promise<string>;
  /** The stored value of `key`, or null. */
  get(key: string): Promise<string | null>;
  delete(key: string): Promise<void>;
}
