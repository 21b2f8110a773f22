/** The stg rows of accepted units, as a SQL relation (data rows only). */
export const ACCEPTED_ROWS = `(SELECT s.* FROM stg s JOIN stg_units u ON u.unit = s.unit WHERE s.skip IS NULL AND NOT u.rejected)`;

/** Rows per batch of a relation with a batch_id column, as [batch_id, n] pairs. */
export function countByBatchSql(relation: string, column = 'batch_id'): string {
  return `SELECT ${column}::INTEGER AS batch_id, count(*)::INTEGER AS n FROM ${relation} GROUP BY ${column}`;
}
