/**
 * The DuckDB instance settings every warehouse opens with, and that the benchmarks' raw
 * DuckDB references use so ratios compare like with like. Kept free of other imports: the
 * raw reference processes load this and DuckDB only.
 *
 * Memory: DuckDB's default memory_limit is 80 % of RAM. Measured on the 10,000-school
 * stress load (1.2 M participation rows in one file), the process peaked at about the limit
 * plus 230 MiB (1 GB → 1,046 MiB, 768 MB → 992, 512 MB → 785) and took the same time, and the
 * API benchmark's p95s did not move; so 512 MB, which DuckDB exceeds by spilling to the
 * warehouse's work folder, not by failing.
 */
export const DEFAULT_MEMORY_LIMIT_MB = 512;

/** Two threads: the machines this runs on have two cores, shared with Node. */
export const DUCKDB_THREADS = 2;

/**
 * DuckDB's memory_limit from KEHOU_DUCKDB_MEMORY_MB (whole megabytes, at least 128: DuckDB
 * needs about that per thread), else the default. A typo stops the program rather than
 * silently giving DuckDB 80 % of the machine.
 */
export function memoryLimitFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.KEHOU_DUCKDB_MEMORY_MB;
  if (raw === undefined || raw.trim() === '') return `${DEFAULT_MEMORY_LIMIT_MB}MB`;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 128)
    throw new Error(
      `KEHOU_DUCKDB_MEMORY_MB 必须是不小于 128 的整数 / must be a whole number ≥ 128 (got "${raw}")`,
    );
  return `${mb}MB`;
}
