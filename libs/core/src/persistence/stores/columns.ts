/**
 * Column values as the drivers answer them, read back into the domain's types. Every time column is a
 * bigint of milliseconds since the epoch (PostgreSQL's driver answers bigint as text), every boolean is
 * SQLite's 0/1 or PostgreSQL's boolean, and every document is JSON text.
 */
export const time = (value: string | number): Date => new Date(Number(value));

export const timeOrNull = (value: string | number | null | undefined): Date | null =>
  value === null || value === undefined ? null : new Date(Number(value));

export const bool = (value: boolean | number): boolean => Boolean(value);

export const json = <T>(value: string): T => JSON.parse(value) as T;

export const jsonOrNull = <T>(value: string | null): T | null => (value === null ? null : (JSON.parse(value) as T));
