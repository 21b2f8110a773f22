/**
 * Reads of supervision visits. A visit is visible when its school is in the viewer's
 * scope (withScope, the one place remit meets the requested scope) in the visit's month
 * or in the current month — the same rule as flags (flagVisibleSql).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { CheckResult, ChecklistItem, VisitKind } from '../../db/tables/visits.table.ts';
import { flagSelect, flagVisibleSql, type FlagRow, type FlagView } from '../flags/flag-row.ts';
import { withScope, type ScopeRequest } from '../scope/scope.ts';

export interface VisitRow {
  visit_id: number | bigint;
  school_code: string;
  school_name: string | null;
  /** YYYY-MM-DD */
  visit_date: string;
  kind: VisitKind;
  user_name: string;
  inspector_id: string | null;
  findings: string;
  evidence: string | null;
  created_at: Date;
}

/** Narrowing filters; null: any. Dates are YYYY-MM-DD, inclusive. */
export interface VisitFilter {
  visitId: number | null;
  schoolCode: string | null;
  inspectorId: string | null;
  kind: VisitKind | null;
  from: string | null;
  to: string | null;
}

function conditions(filter: VisitFilter): RawBuilder<unknown>[] {
  return [
    ...(filter.visitId !== null ? [sql`v.visit_id = ${filter.visitId}`] : []),
    ...(filter.schoolCode !== null ? [sql`v.school_code = ${filter.schoolCode}`] : []),
    ...(filter.inspectorId !== null ? [sql`v.inspector_id = ${filter.inspectorId}`] : []),
    ...(filter.kind !== null ? [sql`v.kind = ${filter.kind}`] : []),
    ...(filter.from !== null ? [sql`v.visit_date >= CAST(${filter.from} AS DATE)`] : []),
    ...(filter.to !== null ? [sql`v.visit_date <= CAST(${filter.to} AS DATE)`] : []),
  ];
}

const where = (filter: VisitFilter) => {
  const all = conditions(filter);
  return all.length === 0 ? sql`TRUE` : sql.join(all, sql` AND `);
};

/** Months (YYYY-MM) of the visits the filter matches, whoever may see them. */
export async function visitMonths(db: Kysely<Database>, filter: VisitFilter): Promise<string[]> {
  const result = await sql<{ month: string }>`
    SELECT DISTINCT strftime(v.visit_date, '%Y-%m') AS month FROM visits v
    WHERE ${where(filter)} ORDER BY month`.execute(db);
  return result.rows.map((r) => r.month);
}

export interface VisitPageQuery {
  /** Month in which "their schools now" is judged. */
  currentMonth: string;
  limit: number;
  offset: number;
}

/**
 * One page of visible visits, newest first, and how many match in all (also for a page
 * past the end). `request.months` must hold the current month and every month a matching
 * visit is dated in (see visitMonths).
 */
export async function visitPage(
  db: Kysely<Database>,
  request: ScopeRequest,
  filter: VisitFilter,
  page: VisitPageQuery,
): Promise<{ total: number; rows: VisitRow[] }> {
  const result = await sql<VisitRow & { total: number; visit_id: number | bigint | null }>`
    ${withScope(request)},
    matching AS (
      SELECT v.visit_id, v.school_code, s.school_name,
        strftime(v.visit_date, '%Y-%m-%d') AS visit_date, v.kind, v.user_name, v.inspector_id,
        v.findings, v.evidence, v.created_at
      FROM visits v
      LEFT JOIN schools s ON s.school_code = v.school_code
      WHERE ${where(filter)} AND EXISTS (
        SELECT 1 FROM scope sc WHERE sc.school_code = v.school_code
          AND sc.month IN (strftime(v.visit_date, '%Y-%m'), ${page.currentMonth}))),
    page AS (
      SELECT * FROM matching ORDER BY visit_date DESC, visit_id DESC
      LIMIT ${page.limit} OFFSET ${page.offset})
    SELECT (SELECT count(*) FROM matching)::INTEGER AS total, page.*
    FROM (SELECT 1) AS one LEFT JOIN page ON TRUE
    ORDER BY page.visit_date DESC, page.visit_id DESC`.execute(db);
  const total = result.rows[0]?.total ?? 0;
  return {
    total,
    rows: result.rows.filter((r): r is VisitRow & { total: number } => r.visit_id !== null),
  };
}

export interface VisitCheckRow {
  visit_id: number | bigint;
  item: ChecklistItem;
  result: CheckResult;
  note: string | null;
}

/** The checklist rows of the given visits. */
export async function visitChecks(
  db: Kysely<Database>,
  visitIds: readonly number[],
): Promise<VisitCheckRow[]> {
  if (visitIds.length === 0) return [];
  const result = await sql<VisitCheckRow>`
    SELECT visit_id, item, result, note FROM visit_checks
    WHERE visit_id IN (${sql.join(visitIds.map((id) => sql`${id}`))})`.execute(db);
  return result.rows;
}

/** The visible flags the given visits raised, oldest first. */
export async function visitFlags(
  db: Kysely<Database>,
  view: FlagView,
  visitIds: readonly number[],
): Promise<FlagRow[]> {
  if (visitIds.length === 0) return [];
  const result = await sql<FlagRow>`${flagSelect(view)}
    WHERE f.visit_id IN (${sql.join(visitIds.map((id) => sql`${id}`))})
      AND ${flagVisibleSql(view)}
    ORDER BY f.flag_id`.execute(db);
  return result.rows;
}
