/**
 * Writes of the rectification loop, run inside the writer's transaction. The UPDATE is the
 * authority: it moves a flag only when the flag is in one of the step's from-statuses, is
 * visible to the viewer and sits on a school the viewer acts on now; a refused step
 * matches no row and changes nothing.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { FlagAction, FlagResolution, FlagStatus } from '../../db/tables/flags.table.ts';
import type { FlagStep } from '../__generated__/resolvers-types.ts';
import { flagStepOnSchoolSql, mayTakeStep } from './flag-permissions.ts';
import { closingVisitSql, flagVisibleSql, type FlagView } from './flag-row.ts';

/** An instant as a TIMESTAMPTZ parameter (the driver cannot bind a Date). */
const instant = (at: Date) => sql<Date>`CAST(${at.toISOString()} AS TIMESTAMPTZ)`;
const date = (day: string | null) => (day === null ? null : sql<string>`CAST(${day} AS DATE)`);

/** Columns a step writes besides status and updated_at; undefined leaves a column as is. */
export interface FlagChanges {
  rectifyDeadline?: string | null;
  rectifyRequest?: string | null;
  rectifyReport?: string | null;
  resolution?: FlagResolution | null;
}

export interface FlagStepUpdate {
  /** The step taken: a role moves a flag only by a step it may take (flag-permissions.ts). */
  step: FlagStep;
  flagId: number;
  from: readonly FlagStatus[];
  to: FlagStatus;
  changes: FlagChanges;
  at: Date;
  /**
   * When set, the step also requires this visit to qualify (closingVisitSql).
   */
  followUpVisitId: number | null;
}

/** Applies one guarded step; true when the flag moved. */
export async function updateFlagStep(
  db: Kysely<Database>,
  view: FlagView,
  update: FlagStepUpdate,
): Promise<boolean> {
  const { changes } = update;
  let query = db
    .updateTable('flags as f')
    .set({
      status: update.to,
      updated_at: instant(update.at),
      ...(changes.rectifyDeadline !== undefined
        ? { rectify_deadline: date(changes.rectifyDeadline) }
        : {}),
      ...(changes.rectifyRequest !== undefined ? { rectify_request: changes.rectifyRequest } : {}),
      ...(changes.rectifyReport !== undefined ? { rectify_report: changes.rectifyReport } : {}),
      ...(changes.resolution !== undefined ? { resolution: changes.resolution } : {}),
    })
    .where('f.flag_id', '=', update.flagId)
    .where('f.status', 'in', update.from)
    .where(
      mayTakeStep(view.viewer, update.step)
        ? flagStepOnSchoolSql(view.viewer, sql`f.school_code`, view.currentMonth)
        : sql<boolean>`FALSE`,
    )
    .where(flagVisibleSql(view));
  if (update.followUpVisitId !== null)
    query = query.where(sql<boolean>`EXISTS (
      SELECT 1 FROM visits v WHERE v.visit_id = ${update.followUpVisitId} AND ${closingVisitSql()})`);
  const rows = await query.returning('f.flag_id').execute();
  return rows.length > 0;
}

/** One step of a flag's history, by a named user. */
export interface FlagEventEntry {
  flagId: number;
  action: FlagAction;
  fromStatus: FlagStatus | null;
  toStatus: FlagStatus;
  userId: number;
  username: string;
  userName: string;
  at: Date;
  note: string | null;
  /** YYYY-MM-DD: the rectification deadline this step set. */
  deadline: string | null;
  visitId: number | null;
}

export async function insertFlagEvent(db: Kysely<Database>, event: FlagEventEntry): Promise<void> {
  await db
    .insertInto('flag_events')
    .values({
      flag_id: event.flagId,
      action: event.action,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      user_id: event.userId,
      username: event.username,
      user_name: event.userName,
      occurred_at: instant(event.at),
      note: event.note,
      deadline: date(event.deadline),
      batch_id: null,
      visit_id: event.visitId,
    })
    .execute();
}
