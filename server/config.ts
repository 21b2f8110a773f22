/**
 * Server settings from the environment (cli-contract.md). Secrets never come from here
 * or the command line: passwords are read from stdin, demo passwords from
 * KEHOU_DEMO_PASSWORD only in the demo.
 */
import { warehousePathFromEnv } from './db/connect.ts';
import { originalsRetentionDaysFromEnv } from './db/originals.ts';

export interface ServerConfig {
  dbPath: string;
  port: number;
  host: string;
  /** NODE_ENV=production: no introspection, no "did you mean", masked errors. */
  production: boolean;
  /** NODE_ENV=development: stack traces and unmasked errors in responses. */
  development: boolean;
  /** Served over HTTPS (directly or behind a proxy): Secure + __Host- session cookie. */
  https: boolean;
  /** Express "trust proxy" setting, for the client IP behind a reverse proxy. */
  trustProxy: boolean | number;
  /** Largest upload file, bytes. */
  maxUploadBytes: number;
  maxUploadFiles: number;
  /** Largest evidence file (photo, PDF), bytes (KEHOU_EVIDENCE_MAX_MB, default 10). */
  maxEvidenceBytes: number;
  /** Most evidence files on one visit, complaint or flag (KEHOU_EVIDENCE_MAX_FILES, default 20). */
  maxEvidencePerOwner: number;
  /** A GraphQL request's warehouse work is interrupted after this long (QUERY_TIMEOUT). */
  queryTimeoutMs: number;
  /** A request body (sign-in, GraphQL) must have arrived this long after the request began. */
  bodyTimeoutMs: number;
  /** An upload's body must have arrived in this long, and never stall for bodyTimeoutMs. */
  uploadTimeoutMs: number;
  /**
   * Kept originals (server/db/originals.ts) no current figure comes from are removed this
   * many days after their last load (KEHOU_ORIGINALS_RETENTION_DAYS, default 365).
   */
  originalsRetentionDays: number;
  /**
   * The bearer token `GET /metrics` asks for (KEHOU_METRICS_TOKEN, at least 16 characters);
   * null: the endpoint answers unproxied loopback requests only.
   */
  metricsToken: string | null;
  /** Where `warehouse backup-rotate` writes (KEHOU_BACKUP_ROOT), for the backup age; null: unknown. */
  backupRoot: string | null;
}

/** A token short enough to guess is a configuration mistake, not a protection. */
const MIN_METRICS_TOKEN = 16;

function metricsToken(env: NodeJS.ProcessEnv): string | null {
  const token = env.KEHOU_METRICS_TOKEN;
  if (token === undefined || token === '') return null;
  if (token.length < MIN_METRICS_TOKEN)
    throw new Error(
      `KEHOU_METRICS_TOKEN 至少需要 ${MIN_METRICS_TOKEN} 个字符 / must be at least ${MIN_METRICS_TOKEN} characters long`,
    );
  return token;
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  // A typo must stop the server, not silently disable a limit.
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} 必须是正数 / must be a positive number (got "${raw}")`);
  return value;
}

export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const trust = env.KEHOU_TRUST_PROXY;
  return {
    dbPath: warehousePathFromEnv(env),
    port: Number(env.PORT ?? 4000),
    host: env.HOST ?? '127.0.0.1',
    production: env.NODE_ENV === 'production',
    development: env.NODE_ENV === 'development',
    https: env.KEHOU_HTTPS === '1' || env.KEHOU_HTTPS === 'true',
    trustProxy:
      trust === undefined ? false : /^\d+$/u.test(trust) ? Number(trust) : trust === 'true',
    maxUploadBytes: positiveNumber(env, 'KEHOU_MAX_UPLOAD_MB', 50) * 1024 * 1024,
    maxUploadFiles: positiveNumber(env, 'KEHOU_MAX_UPLOAD_FILES', 400),
    maxEvidenceBytes: positiveNumber(env, 'KEHOU_EVIDENCE_MAX_MB', 10) * 1024 * 1024,
    maxEvidencePerOwner: positiveNumber(env, 'KEHOU_EVIDENCE_MAX_FILES', 20),
    queryTimeoutMs: positiveNumber(env, 'KEHOU_QUERY_TIMEOUT_S', 10) * 1000,
    bodyTimeoutMs: positiveNumber(env, 'KEHOU_BODY_TIMEOUT_S', 30) * 1000,
    uploadTimeoutMs: positiveNumber(env, 'KEHOU_UPLOAD_TIMEOUT_MIN', 15) * 60_000,
    originalsRetentionDays: originalsRetentionDaysFromEnv(env),
    metricsToken: metricsToken(env),
    backupRoot: env.KEHOU_BACKUP_ROOT ? env.KEHOU_BACKUP_ROOT : null,
  };
}
