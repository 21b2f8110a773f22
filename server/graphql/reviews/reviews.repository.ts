/**
 * Reading and moving the review of school-months (unit_reviews, unit_review_events). The
 * units listed are the school-months the warehouse holds a report of (月报 or 分年级) and
 * those with a review row; which of them a viewer sees is the one remit rule
 * (holderSeesSchoolSql), so the queue, its counts and every step agree.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import type { Database } from '../../db/database.ts';
import { holderSeesSchoolSql } from '../../db/remit.ts';
import type { ReviewAction, ReviewStatus } from '../../db/vocabulary/review-statuses.ts';

/** What a unit list asks for; null leaves a field open. */
export interface UnitFilter {
  month: string | null;
  status: ReviewStatus | null;
  township: string | null;
  schoolCode: string | null;
  /** Exactly these units (a step's read-back); null: any. */
  keys: readonly UnitKey[] | null;
}

export interface UnitKey {
  schoolCode: string;
  month: string;
}

export interface UnitRow {
  school_code: string;
  month: string;
  school_name: string | null;
  township: string | null;
  status: ReviewStatus;
  reasons: string | null;
  has_data: boolean;
  updated_at: Date | string | null;
  updated_by_name: string | null;
}

export interface EventRow {
  school_code: string;
  month: string;
  action: ReviewAction;
  from_status: ReviewStatus | null;
  to_status: ReviewStatus | null;
  note: string | null;
  batch_id: string | null;
  username: string | null;
  occurred_at: Date | string;
}

/** `SELECT school_code, month`: every school-month with data or a review row. */
const UNITS_SQL = sql`SELECT school_code, month FROM monthly_reports
  UNION SELECT school_code, month FROM participation
  UNION SELECT school_code, month FROM unit_reviews`;

/**
 * SQL truth of "the row `alias` (school_code, month) is one of `keys`": a semi-join with a
 * VALUES list, which DuckDB plans as a hash join (an OR per key made a step on a month of
 * 150 schools cost seconds).
 */
function keyedSql(alias: RawBuilder<unknown>, keys: readonly UnitKey[]): RawBuilder<unknown> {
  if (keys.length === 0) return sql`FALSE`;
  return sql`EXISTS (SELECT 1 FROM (VALUES ${sql.join(
    keys.map((k) => sql`(${k.schoolCode}, ${k.month})`),
  )}) AS want(school_code, month)
    WHERE want.school_code = ${alias}.school_code AND want.month = ${alias}.month)`;
}

function whereSql(viewer: Viewer, filter: UnitFilter, withStatus: boolean): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [
    holderSeesSchoolSql(viewer, sql`k.school_code`, sql`k.month`),
  ];
  if (filter.month !== null) conditions.push(sql`k.month = ${filter.month}`);
  if (filter.schoolCode !== null) conditions.push(sql`k.school_code = ${filter.schoolCode}`);
  if (filter.township !== null) conditions.push(sql`s.township = ${filter.township}`);
  if (withStatus && filter.status !== null)
    conditions.push(sql`coalesce(r.status, 'DRAFT') = ${filter.status}`);
  if (filter.keys !== null) conditions.push(keyedSql(sql`k`, filter.keys));
  return sql.join(conditions, sql` AND `);
}

const FROM_SQL = sql`FROM (${UNITS_SQL}) k
  LEFT JOIN schools s ON s.school_code = k.school_code
  LEFT JOIN unit_reviews r ON r.school_code = k.school_code AND r.month = k.month`;

/** A page of units (newest month first, then township and school) and the total. */
export async function unitPage(
  db: Kysely<Database>,
  viewer: Viewer,
  filter: UnitFilter,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: UnitRow[] }> {
  const where = whereSql(viewer, filter, true);
  const total = await sql<{
    n: number;
  }>`SELECT count(*)::INTEGER AS n ${FROM_SQL} WHERE ${where}`.execute(db);
  const rows = await sql<UnitRow>`SELECT k.school_code, k.month, s.school_name, s.township,
      coalesce(r.status, 'DRAFT') AS status, r.reasons, r.updated_at, r.updated_by_name,
      (EXISTS (SELECT 1 FROM monthly_reports m WHERE m.school_code = k.school_code AND m.month = k.month)
        OR EXISTS (SELECT 1 FROM participation p WHERE p.school_code = k.school_code AND p.month = k.month)) AS has_data
    ${FROM_SQL} WHERE ${where}
    ORDER BY k.month DESC, s.township NULLS LAST, k.school_code
    LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db);
  return { total: total.rows[0]?.n ?? 0, rows: rows.rows };
}

/** Units by status over the viewer's units matching the filter (its status aside). */
export async function unitCounts(
  db: Kysely<Database>,
  viewer: Viewer,
  filter: UnitFilter,
): Promise<Map<ReviewStatus, number>> {
  const result = await sql<{ status: ReviewStatus; n: number }>`SELECT
      coalesce(r.status, 'DRAFT') AS status, count(*)::INTEGER AS n
    ${FROM_SQL} WHERE ${whereSql(viewer, filter, false)} GROUP BY 1`.execute(db);
  return new Map(result.rows.map((r) => [r.status, r.n]));
}

/** The history of each unit, oldest step first. */
export async function unitEvents(
  db: Kysely<Database>,
  keys: readonly UnitKey[],
): Promise<EventRow[]> {
  if (keys.length === 0) return [];
  const result = await sql<EventRow>`SELECT school_code, month, action, from_status, to_status,
      note, batch_id, username, occurred_at FROM unit_review_events
    e WHERE ${keyedSql(sql`e`, keys)}
    ORDER BY occurred_at, event_id`.execute(db);
  return result.rows;
}

/** Whether the school is in the registry. */
export async function schoolExists(db: Kysely<Database>, schoolCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('schools')
    .select('school_code')
    .where('school_code', '=', schoolCode)
    .executeTakeFirst();
  return row !== undefined;
}

const instant = (at: Date) => sql`CAST(${at.toISOString()} AS TIMESTAMPTZ)`;

export interface StepWrite {
  key: UnitKey;
  action: Exclude<ReviewAction, 'LOCKED_LOAD_REFUSED'>;
  from: ReviewStatus;
  to: ReviewStatus;
  /** The unit's reasons after the step (a return's), null otherwise. */
  reasons: string | null;
  /** The event's note: the reasons of a return, the reason of an unlock. */
  note: string | null;
  viewer: Viewer;
  at: Date;
}

/**
 * Writes steps: each unit's row (created on its first step) and its event, in two
 * statements however many units a step names.
 */
export async function writeSteps(db: Kysely<Database>, steps: readonly StepWrite[]): Promise<void> {
  if (steps.length === 0) return;
  await sql`INSERT INTO unit_reviews (school_code, month, status, reasons, updated_at,
      updated_by, updated_by_name)
    VALUES ${sql.join(
      steps.map(
        (step) => sql`(${step.key.schoolCode}, ${step.key.month}, ${step.to}, ${step.reasons},
          ${instant(step.at)}, ${step.viewer.userId}, ${step.viewer.name})`,
      ),
    )}
    ON CONFLICT (school_code, month) DO UPDATE SET status = excluded.status,
      reasons = excluded.reasons, updated_at = excluded.updated_at,
      updated_by = excluded.updated_by, updated_by_name = excluded.updated_by_name`.execute(db);
  await sql`INSERT INTO unit_review_events (school_code, month, action, from_status, to_status,
      note, batch_id, user_id, username, occurred_at)
    VALUES ${sql.join(
      steps.map(
        (step) => sql`(${step.key.schoolCode}, ${step.key.month}, ${step.action}, ${step.from},
          ${step.to}, ${step.note}, NULL, ${step.viewer.userId}, ${step.viewer.username},
          ${instant(step.at)})`,
      ),
    )}`.execute(db);
}
