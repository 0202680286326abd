/** Deletes up to `batchSize` entries of `rows` that `doomed` picks, in insertion order, as the SQL stores' batched deletes do; answers how many. */
export function deleteBatch<K, V>(rows: Map<K, V>, doomed: (value: V) => boolean, batchSize: number): number {
  let deleted = 0;
  for (const [key, value] of rows) {
    if (deleted >= batchSize) break;
    if (!doomed(value)) continue;
    rows.delete(key);
    deleted++;
  }
  return deleted;
}
