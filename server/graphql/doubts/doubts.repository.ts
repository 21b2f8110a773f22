/**
 * Reading and reviewing data doubts. Every read starts from the same WHERE (visibility,
 * then the filter), so the list, its total and the school page agree; a review is one
 * guarded UPDATE (visibility and from-status in its WHERE) plus its event row.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import type { Database } from '../../db/database.ts';
import type { DoubtAction, DoubtStatus } from '../../db/tables/data-doubts.table.ts';
import { filterConditions, type ScopeFilter } from '../scope/scope.ts';
import { doubtSelect, doubtVisibleSql, type DoubtRow } from './doubt-row.ts';

/** What a doubt list asks for; every field narrows, null leaves it open. */
export interface DoubtFilter {
  /** Inclusive bounds on the doubt's month ("YYYY-MM"). */
  from: string | null;
  to: string | null;
  schoolCode: string | null;
  status: DoubtStatus | null;
  rule: string | null;
  /** The school's registry attributes; narrows the remit, never widens it. */
  scope: ScopeFilter;
}

export const ANY_DOUBT: DoubtFilter = {
  from: null,
  to: null,
  schoolCode: null,
  status: null,
  rule: null,
  scope: {},
};

/** Visibility AND the filter, over `data_doubts d LEFT JOIN schools s`. */
function whereSql(viewer: Viewer, filter: DoubtFilter): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [doubtVisibleSql(viewer)];
  if (filter.from !== null) conditions.push(sql`d.month >= ${filter.from}`);
  if (filter.to !== null) conditions.push(sql`d.month <= ${filter.to}`);
  if (filter.schoolCode !== null) conditions.push(sql`d.school_code = ${filter.schoolCode}`);
  if (filter.status !== null) conditions.push(sql`d.status = ${filter.status}`);
  if (filter.rule !== null) conditions.push(sql`d.rule = ${filter.rule}`);
  conditions.push(...filterConditions(filter.scope));
  return sql.join(conditions, sql` AND `);
}

type PageRow = Omit<DoubtRow, 'doubt_id'> & {
  doubt_id: DoubtRow['doubt_id'] | null;
  total: number;
};

/**
 * One page of matching doubts (newest month first, then school and rule) and the total,
 * in one statement; a page past the end still reports the total (one row of NULLs).
 */
export async function doubtPage(
  db: Kysely<Database>,
  viewer: Viewer,
  filter: DoubtFilter,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: DoubtRow[] }> {
  const order = sql`month DESC, school_code, rule, doubt_id`;
  const result = await sql<PageRow>`WITH matched AS (
      SELECT d.doubt_id, d.month, d.school_code, d.rule FROM data_doubts d
      LEFT JOIN schools s ON s.school_code = d.school_code
      WHERE ${whereSql(viewer, filter)}),
    page AS (SELECT doubt_id FROM matched ORDER BY ${order}
      LIMIT ${page.limit} OFFSET ${page.offset}),
    page_rows AS (${doubtSelect()} WHERE d.doubt_id IN (SELECT doubt_id FROM page))
    SELECT (SELECT count(*) FROM matched)::INTEGER AS total, r.*
    FROM (SELECT 1) AS one LEFT JOIN page_rows r ON TRUE
    ORDER BY r.month DESC, r.school_code, r.rule, r.doubt_id`.execute(db);
  const rows = result.rows.filter((r): r is PageRow & DoubtRow => r.doubt_id !== null);
  return { total: result.rows[0]?.total ?? 0, rows };
}

export interface DoubtReviewWrite {
  doubtId: number;
  from: readonly DoubtStatus[];
  to: DoubtStatus;
  note: string;
  reviewedBy: string;
  at: Date;
}

const instant = (at: Date) => sql`CAST(${at.toISOString()} AS TIMESTAMPTZ)`;

/**
 * Moves a visible doubt in one of `from` to `to` with the review's note; false when no row
 * matched (missing, out of remit or in another status). Evidence stays as the check left it.
 */
export async function updateDoubtReview(
  db: Kysely<Database>,
  viewer: Viewer,
  write: DoubtReviewWrite,
): Promise<boolean> {
  const result = await sql`UPDATE data_doubts AS d SET status = ${write.to},
      review_note = ${write.note}, reviewed_by = ${write.reviewedBy},
      reviewed_at = ${instant(write.at)}, updated_at = ${instant(write.at)}
    WHERE d.doubt_id = ${write.doubtId}
      AND d.status IN (${sql.join(write.from.map((s) => sql`${s}`))})
      AND ${doubtVisibleSql(viewer)}
    RETURNING d.doubt_id`.execute(db);
  return result.rows.length === 1;
}

export interface DoubtEventWrite {
  doubtId: number;
  action: DoubtAction;
  fromStatus: DoubtStatus;
  toStatus: DoubtStatus;
  userId: number;
  username: string;
  note: string;
  at: Date;
}

export async function insertDoubtEvent(db: Kysely<Database>, e: DoubtEventWrite): Promise<void> {
  await db
    .insertInto('data_doubt_events')
    .values({
      doubt_id: e.doubtId,
      action: e.action,
      from_status: e.fromStatus,
      to_status: e.toStatus,
      user_id: e.userId,
      username: e.username,
      note: e.note,
      batch_id: null,
      occurred_at: instant(e.at) as never,
    })
    .execute();
}
