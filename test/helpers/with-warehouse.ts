/**
 * A fresh in-memory warehouse per test (migrations applied, closed afterwards) and a
 * small query helper returning plain row objects (BIGINT counts become numbers).
 */
import { afterEach, beforeEach } from 'vitest';
import { openWarehouse, type Warehouse } from '../../server/db/connect.ts';

export type Row = Record<string, unknown>;

/** Registers beforeEach/afterEach hooks; call the returned function inside a test. */
export function useWarehouse(): () => Warehouse {
  let current: Warehouse | null = null;
  beforeEach(async () => {
    current = await openWarehouse(':memory:');
  });
  afterEach(async () => {
    const w = current;
    current = null;
    await w?.close();
  });
  return () => {
    if (!current) throw new Error('useWarehouse(): no warehouse outside a test');
    return current;
  };
}

/** Runs `fn` with a fresh in-memory warehouse and closes it, whatever happens. */
export async function withWarehouse<T>(fn: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await openWarehouse(':memory:');
  try {
    return await fn(warehouse);
  } finally {
    await warehouse.close();
  }
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

export async function query(warehouse: Warehouse, sql: string): Promise<Row[]> {
  const conn = await warehouse.connect();
  try {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((r) => plain(r) as Row);
  } finally {
    conn.closeSync();
  }
}

/** The single value of a one-row, one-column query. */
export async function scalar(warehouse: Warehouse, sql: string): Promise<unknown> {
  const rows = await query(warehouse, sql);
  const first = rows[0];
  if (!first) throw new Error(`no row: ${sql}`);
  return Object.values(first)[0];
}

/** Every table the ETL writes, in a stable order. */
export const LOADED_TABLES = [
  'load_batches',
  'load_rejects',
  'schools',
  'inspectors',
  'inspector_assignments',
  'monthly_reports',
  'participation',
  'survey_items',
  'survey_responses',
  'survey_answers',
] as const;

/** Full contents of every loaded table, each sorted, for before/after comparisons. */
export async function snapshot(warehouse: Warehouse): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const table of LOADED_TABLES)
    out[table] = await query(warehouse, `SELECT * FROM ${table} ORDER BY ALL`);
  return out;
}

export async function counts(warehouse: Warehouse): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of LOADED_TABLES)
    out[table] = Number(await scalar(warehouse, `SELECT count(*) FROM ${table}`));
  return out;
}
