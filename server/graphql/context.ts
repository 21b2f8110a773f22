import type { Kysely } from 'kysely';
import type { Viewer } from '../auth/viewer.ts';
import type { Database } from '../db/database.ts';
import type { WarehouseWriter } from '../db/writer.ts';
import type { Logger } from '../log.ts';
import type { DistrictPolicy } from '../policy/policy.ts';

/** What every resolver gets: the signed-in viewer and handles, never a global connection. */
export interface GraphQLContext {
  viewer: Viewer;
  /** Pooled read handle: each query on its own connection, committed data only. */
  db: Kysely<Database>;
  writer: WarehouseWriter;
  log: Logger;
  /** The district policy (versions by effective month). */
  policy: DistrictPolicy;
  /** The clock (tests fix it): "today", overdue and visit dates are judged by it. */
  now: () => Date;
  /**
   * The request is an export (header `x-kehou-disclosure: export`): priority-group counts
   * are protected whatever the role (see scope/disclosure.ts).
   */
  exportRequest?: boolean;
}
