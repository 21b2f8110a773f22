/**
 * 清河县's policy (qinghe-policy.yaml): what the generator's rule breaks are planted
 * against. The demo stores it in the warehouse before loading, so its flags and the
 * dashboard's metrics are judged by it.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Warehouse } from '../../server/db/connect.ts';
import { storePolicyFileOn, type StoreResult } from '../../server/policy/policy-store.ts';

export const DEMO_POLICY_PATH = fileURLToPath(new URL('./qinghe-policy.yaml', import.meta.url));

export async function storeDemoPolicy(warehouse: Warehouse): Promise<StoreResult> {
  const text = await readFile(DEMO_POLICY_PATH, 'utf8');
  const conn = await warehouse.connect();
  try {
    return await storePolicyFileOn(conn, {
      text,
      fileName: basename(DEMO_POLICY_PATH),
      loadedBy: 'demo',
    });
  } finally {
    conn.closeSync();
  }
}
