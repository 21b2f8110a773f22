/**
 * Flags of schools within the viewer's remit. A flag is visible when its school is in
 * scope in the flag's month (or, for flags without a month, in the current month).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { FlagStatus } from '../../db/tables/flags.table.ts';
import { withScope, type ScopeRequest } from '../scope/scope.ts';

export interface FlagRow {
  flag_id: number;
  school_code: string;
  school_name: string | null;
  month: string | null;
  code: string;
  status: FlagStatus;
  detail: string;
  created_at: Date;
  updated_at: Date;
  total: number;
}

export interface FlagFilter {
  /** Month the flag is about; omitted: any month. */
  month: string | null;
  schoolCode: string | null;
  status: FlagStatus | null;
  /** The month in which flags without a month of their own are scoped. */
  currentMonth: string;
  limit: number;
  offset: number;
}

/** `request.months` must hold every month a flag may be about (see flags.service.ts). */
export async function flagPage(
  db: Kysely<Database>,
  request: ScopeRequest,
  filter: FlagFilter,
): Promise<FlagRow[]> {
  const conditions = [
    sql`sc.month = coalesce(f.month, ${filter.currentMonth})`,
    ...(filter.month !== null ? [sql`f.month = ${filter.month}`] : []),
    ...(filter.schoolCode !== null ? [sql`f.school_code = ${filter.schoolCode}`] : []),
    ...(filter.status !== null ? [sql`f.status = ${filter.status}`] : []),
  ];
  const result = await sql<FlagRow>`${withScope(request)}
    SELECT f.flag_id, f.school_code, s.school_name, f.month, f.code, f.status, f.detail,
      f.created_at, f.updated_at, (count(*) OVER ())::INTEGER AS total
    FROM flags f
    JOIN scope sc ON sc.school_code = f.school_code
    LEFT JOIN schools s ON s.school_code = f.school_code
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY f.created_at DESC, f.flag_id DESC
    LIMIT ${filter.limit} OFFSET ${filter.offset}`.execute(db);
  return result.rows;
}

/** Months any flag is about, so the scope covers them all. */
export async function flagMonths(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('flags')
    .select('month')
    .distinct()
    .where('month', 'is not', null)
    .execute();
  return rows.map((r) => r.month as string).sort();
}
