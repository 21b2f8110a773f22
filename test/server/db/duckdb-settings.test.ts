/**
 * DuckDB's memory_limit: 512 MB unless KEHOU_DUCKDB_MEMORY_MB says otherwise, refused when
 * mistyped (DuckDB would otherwise take 80 % of the machine), and what a warehouse opens with.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openWarehouse, type Warehouse } from '../../../server/db/connect.ts';
import { memoryLimitFromEnv } from '../../../server/db/duckdb-settings.ts';
import { scalar } from '../../helpers/with-warehouse.ts';

let warehouse: Warehouse | null = null;

afterEach(async () => {
  vi.unstubAllEnvs();
  await warehouse?.close();
  warehouse = null;
});

describe('memoryLimitFromEnv', () => {
  it('is 512 MB when unset or blank', () => {
    expect(memoryLimitFromEnv({})).toBe('512MB');
    expect(memoryLimitFromEnv({ KEHOU_DUCKDB_MEMORY_MB: ' ' })).toBe('512MB');
  });

  it('takes whole megabytes from KEHOU_DUCKDB_MEMORY_MB', () => {
    expect(memoryLimitFromEnv({ KEHOU_DUCKDB_MEMORY_MB: '2048' })).toBe('2048MB');
  });

  it.each(['1GB', '100', '0', '-512', '512.5', 'lots'])('refuses "%s"', (raw) => {
    expect(() => memoryLimitFromEnv({ KEHOU_DUCKDB_MEMORY_MB: raw })).toThrow(
      /KEHOU_DUCKDB_MEMORY_MB.*must be a whole number ≥ 128/u,
    );
  });
});

describe('a warehouse', () => {
  // DuckDB reports the limit in its own units: 512 MB = 488.2 MiB, 300 MB = 286.1 MiB.
  it('opens with the default limit', async () => {
    vi.stubEnv('KEHOU_DUCKDB_MEMORY_MB', '');
    warehouse = await openWarehouse(':memory:');
    expect(await scalar(warehouse, `SELECT current_setting('memory_limit')`)).toBe('488.2 MiB');
  });

  it('opens with the limit the environment sets', async () => {
    vi.stubEnv('KEHOU_DUCKDB_MEMORY_MB', '300');
    warehouse = await openWarehouse(':memory:');
    expect(await scalar(warehouse, `SELECT current_setting('memory_limit')`)).toBe('286.1 MiB');
  });
});
