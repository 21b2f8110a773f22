/**
 * The demo shows a published evaluation: after the load and the casework, the demo bureau
 * user publishes the newest school year that is over on the demo's "today" (casework.asOf),
 * through the server's own publishing service, on that day: the same checks, audit row and
 * snapshot as a bureau inspector publishing in the dashboard.
 *
 * Once per warehouse: a school year published already (an earlier demo run, or someone
 * working in it) is left as it is.
 */
import type { Viewer } from '../../server/auth/viewer.ts';
import { DEMO_USERNAMES } from '../../server/auth/demo-users.ts';
import { currentMonth, periodOf, previousPeriod, type Period } from '../../server/db/calendar.ts';
import type { Warehouse } from '../../server/db/connect.ts';
import type { WarehouseWriter } from '../../server/db/writer.ts';
import { listPublications } from '../../server/graphql/evaluation/evaluation-publication.repository.ts';
import {
  publishPeriod,
  type Published,
} from '../../server/graphql/evaluation/evaluation-publication.service.ts';
import type { Logger } from '../../server/log.ts';
import type { DistrictPolicy } from '../../server/policy/policy.ts';

export interface DemoPublication {
  period: Period;
  /** null when the year had been published already. */
  published: Published | null;
}

/**
 * The newest school year over by `asOf` with at least one of the demo's `months`: the year
 * before the one `asOf` falls in. Null when the demo's months all come later.
 */
export function newestCompleteYear(asOf: Date, months: readonly string[]): Period | null {
  const year = previousPeriod(periodOf(currentMonth(asOf), 'YEAR'));
  const last = year.months.at(-1) as string;
  return months.some((m) => m <= last) ? year : null;
}

export async function publishDemoEvaluation(
  handles: { warehouse: Warehouse; writer: WarehouseWriter; policy: DistrictPolicy; log: Logger },
  asOf: string,
  months: readonly string[],
): Promise<DemoPublication | null> {
  const at = new Date(asOf);
  const period = newestCompleteYear(at, months);
  if (period === null) return null;
  const { warehouse } = handles;
  if ((await listPublications(warehouse.db, period.key)).length > 0)
    return { period, published: null };
  const user = await warehouse.db
    .selectFrom('users')
    .select(['user_id', 'username', 'display_name', 'role', 'inspector_id'])
    .where('username', '=', DEMO_USERNAMES.bureau)
    .executeTakeFirstOrThrow();
  const viewer: Viewer = {
    userId: user.user_id,
    username: user.username,
    name: user.display_name,
    role: user.role,
    inspectorId: user.inspector_id,
    schoolCode: null,
    township: null,
    sessionHash: '',
  };
  const published = await publishPeriod(
    {
      viewer,
      db: warehouse.db,
      writer: handles.writer,
      log: handles.log,
      policy: handles.policy,
      now: () => at,
    },
    period.key,
    `${period.label}课后服务年度考核结果（演示）`,
  );
  return { period, published };
}
