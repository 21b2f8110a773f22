/**
 * Server settings from the environment (cli-contract.md). Secrets never come from here
 * or the command line: passwords are read from stdin, demo passwords from
 * KEHOU_DEMO_PASSWORD only in the demo.
 */
import { warehousePathFromEnv } from './db/connect.ts';

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
    maxUploadBytes: Number(env.KEHOU_MAX_UPLOAD_MB ?? 50) * 1024 * 1024,
    maxUploadFiles: Number(env.KEHOU_MAX_UPLOAD_FILES ?? 400),
  };
}
