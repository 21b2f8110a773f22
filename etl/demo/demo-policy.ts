/**
 * 清河县's policy (qinghe-policy.yaml): what the generator's rule breaks are planted
 * against. The demo stores it in the warehouse before loading, so its flags and the
 * dashboard's metrics are judged by it. Its evaluation scheme (qinghe-evaluation.yaml)
 * reaches the server the way a district's does: KEHOU_EVALUATION_SCHEME.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Warehouse } from '../../server/db/connect.ts';
import {
  loadEvaluationScheme,
  type EvaluationScheme,
} from '../../server/policy/evaluation-scheme.ts';
import { storePolicyFileOn, type StoreResult } from '../../server/policy/policy-store.ts';

export const DEMO_POLICY_PATH = fileURLToPath(new URL('./qinghe-policy.yaml', import.meta.url));
export const DEMO_EVALUATION_SCHEME_PATH = fileURLToPath(
  new URL('./qinghe-evaluation.yaml', import.meta.url),
);

/**
 * Points the demo's server at 清河县's evaluation scheme (validated now, so a broken file
 * stops the demo before loading), unless KEHOU_EVALUATION_SCHEME already names another.
 */
export function useDemoEvaluationScheme(env: NodeJS.ProcessEnv = process.env): {
  path: string;
  scheme: EvaluationScheme;
} {
  const given = env.KEHOU_EVALUATION_SCHEME;
  const path = given !== undefined && given.length > 0 ? given : DEMO_EVALUATION_SCHEME_PATH;
  const scheme = loadEvaluationScheme(path);
  env.KEHOU_EVALUATION_SCHEME = path;
  return { path, scheme };
}

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
