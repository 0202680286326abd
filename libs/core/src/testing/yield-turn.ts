/**
 * What the in-memory stores share so that they behave like the SQL ones under concurrency. A statement
 * against a database is a trip through the event loop: other requests run meanwhile. Each fake method
 * yields a macrotask before it reads and, where the SQL store runs two statements, again between them, so
 * that calls started together interleave as real requests do; everything one SQL statement does (a
 * guarded update, a multi-row insert) happens between two yields, and so stays atomic.
 */
export function yieldTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A copy of a stored value: a database answers new objects on every read and keeps none the caller holds,
 * so a caller that changes what it read (or wrote) changes nothing stored. Not structuredClone: under jest
 * that answers Dates and arrays of Node's realm, which fail `instanceof Date` in the realm of the spec.
 */
export function copy<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, copy(v)])) as T;
  }
  return value;
}
