/**
 * The policy and clock a load judges flags by, attached to the load's connection.
 * loadPaths reads the policy in force once and sets it here; loadKind (several layers
 * down, behind load-file.ts's fixed options) reads it back for its batch. A connection
 * without one judges by the stored policy and the real clock.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { readStoredPolicyOn } from '../../server/policy/policy-store.ts';
import type { JudgeOptions } from './judge.ts';

const contexts = new WeakMap<DuckDBConnection, JudgeOptions>();

export function setJudgeContext(conn: DuckDBConnection, options: JudgeOptions): void {
  contexts.set(conn, options);
}

export function clearJudgeContext(conn: DuckDBConnection): void {
  contexts.delete(conn);
}

export async function judgeContextOf(conn: DuckDBConnection): Promise<JudgeOptions> {
  const set = contexts.get(conn);
  if (set) return set;
  const stored = await readStoredPolicyOn(conn, { storeDefault: false });
  return { policy: stored.policy, now: new Date() };
}
