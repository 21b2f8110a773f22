/**
 * How accepted units of a kind reach their table: the unit's identity (its earlier
 * version is deleted) and the value of each target column, as SQL over stg.
 */
export interface ApplyPlan {
  table: string;
  /** [target column, SQL over stg] identifying a unit. */
  unitColumns: ReadonlyArray<readonly [string, string]>;
  /** [target column, SQL over stg] for every loaded column except provenance. */
  values: ReadonlyArray<readonly [string, string]>;
  /** Statements run after the insert, inside the same transaction, given the group's batches. */
  after?: (batchIds: readonly number[]) => string[];
}

/** Plain mapping: target column = v_<same key>. */
export function sameNames(keys: readonly string[]): Array<readonly [string, string]> {
  return keys.map((k) => [k, `v_${k}`] as const);
}
