import type { Kysely } from 'kysely';
import type { Database } from '../db/database.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import type { Logger } from '../log.ts';
import type { AuthConfig } from './auth-config.ts';

/** What the session middleware and the sign-in routes need; built once by the app. */
export interface AuthDeps {
  /** Pooled read handle. */
  db: Kysely<Database>;
  /**
   * Where session, user and sign-in audit writes go: in the server, the sign-in writer, so
   * they never queue behind an upload on the data writer.
   */
  writer: WarehouseWriter;
  log: Logger;
  config: AuthConfig;
  /** Clock for expiry and lockout (tests inject one); defaults to the system clock. */
  now?: () => Date;
}

export function clockOf(deps: Pick<AuthDeps, 'now'>): () => Date {
  return deps.now ?? (() => new Date());
}
