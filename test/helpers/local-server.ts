/** The server settings of an in-process test or benchmark server on loopback. */
import type { ServerConfig } from '../../server/config.ts';

export function localServerConfig(
  dbPath: string,
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  return {
    dbPath,
    port: 0,
    host: '127.0.0.1',
    production: true,
    development: false,
    https: false,
    trustProxy: false,
    maxUploadBytes: 50 * 2 ** 20,
    maxUploadFiles: 400,
    maxEvidenceBytes: 10 * 1024 * 1024,
    maxEvidencePerOwner: 20,
    queryTimeoutMs: 10_000,
    bodyTimeoutMs: 30_000,
    uploadTimeoutMs: 15 * 60_000,
    originalsRetentionDays: 365,
    metricsToken: null,
    backupRoot: null,
    ...overrides,
  };
}
