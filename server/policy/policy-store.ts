/**
 * The policy in the warehouse: the newest policy_files row is the policy in force, so the
 * ETL's flags and the server's metrics judge by the same file. A warehouse that has none
 * yet stores the default file (KEHOU_POLICY or district-policy.yaml) first, loaded_by
 * 'default'. Both the ETL (a DuckDBConnection inside its own transaction) and the server
 * (a Kysely handle, e.g. the writer's) use these functions.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Kysely } from 'kysely';
import { kyselyOn } from '../db/connect.ts';
import type { Database } from '../db/database.ts';
import { DEFAULT_POLICY_PATH, parsePolicy, type DistrictPolicy } from './policy.ts';

export interface StoredPolicy {
  /** policy_files.policy_id; null when the default file was read but not stored (dry run). */
  policyId: number | null;
  fileName: string;
  loadedBy: string;
  policy: DistrictPolicy;
}

export interface PolicyFileInput {
  /** The file's text (YAML or JSON). */
  text: string;
  /** Shown in listings and notes, e.g. qinghe-policy.yaml. */
  fileName: string;
  loadedBy: string;
}

export interface StoreResult {
  /** False when the text's sha256 equals the policy in force (nothing written). */
  stored: boolean;
  current: StoredPolicy;
}

/** The default file: KEHOU_POLICY, else server/policy/district-policy.yaml. */
export function defaultPolicyFile(env: NodeJS.ProcessEnv = process.env): {
  path: string;
  text: string;
} {
  const path =
    env.KEHOU_POLICY && env.KEHOU_POLICY.length > 0 ? env.KEHOU_POLICY : DEFAULT_POLICY_PATH;
  return { path, text: readFileSync(path, 'utf8') };
}

async function newestRow(db: Kysely<Database>) {
  return db
    .selectFrom('policy_files')
    .select(['policy_id', 'file_name', 'loaded_by', 'content', 'sha256'])
    .orderBy('policy_id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Stores `input` as the policy in force unless the newest row has the same sha256.
 * Throws PolicyError (every issue with its path) when the file is invalid.
 */
export async function storePolicyFile(
  db: Kysely<Database>,
  input: PolicyFileInput,
): Promise<StoreResult> {
  const policy = parsePolicy(input.text, input.fileName);
  const newest = await newestRow(db);
  if (newest && newest.sha256 === policy.sha256) {
    return {
      stored: false,
      current: {
        policyId: Number(newest.policy_id),
        fileName: newest.file_name,
        loadedBy: newest.loaded_by,
        policy,
      },
    };
  }
  const row = await db
    .insertInto('policy_files')
    .values({
      district: policy.district,
      file_name: input.fileName,
      sha256: policy.sha256,
      content: input.text,
      versions: policy.versions.map((v) => v.version).join(','),
      loaded_by: input.loadedBy,
    })
    .returning('policy_id')
    .executeTakeFirstOrThrow();
  return {
    stored: true,
    current: {
      policyId: Number(row.policy_id),
      fileName: input.fileName,
      loadedBy: input.loadedBy,
      policy,
    },
  };
}

export interface ReadPolicyOptions {
  /** Store the default file when the warehouse has no policy yet (default true). */
  storeDefault?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** The policy in force: the newest stored file, parsed; the default file when none is stored. */
export async function readStoredPolicy(
  db: Kysely<Database>,
  options: ReadPolicyOptions = {},
): Promise<StoredPolicy> {
  const newest = await newestRow(db);
  if (newest) {
    return {
      policyId: Number(newest.policy_id),
      fileName: newest.file_name,
      loadedBy: newest.loaded_by,
      policy: parsePolicy(
        newest.content,
        `policy_files #${String(newest.policy_id)} (${newest.file_name})`,
      ),
    };
  }
  const file = defaultPolicyFile(options.env);
  const input = { text: file.text, fileName: basename(file.path), loadedBy: 'default' };
  if (options.storeDefault === false) {
    return {
      policyId: null,
      fileName: input.fileName,
      loadedBy: 'default',
      policy: parsePolicy(file.text, file.path),
    };
  }
  return (await storePolicyFile(db, input)).current;
}

/** readStoredPolicy on a connection the caller owns (its transaction included). */
export function readStoredPolicyOn(
  conn: DuckDBConnection,
  options: ReadPolicyOptions = {},
): Promise<StoredPolicy> {
  return readStoredPolicy(kyselyOn(conn), options);
}

/** storePolicyFile on a connection the caller owns (its transaction included). */
export function storePolicyFileOn(
  conn: DuckDBConnection,
  input: PolicyFileInput,
): Promise<StoreResult> {
  return storePolicyFile(kyselyOn(conn), input);
}
