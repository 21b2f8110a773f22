/**
 * The 走访计划's reads beside the risk score: which schools a 督学 is assigned in a month
 * (the remit rule of server/db/remit.ts), who is assigned to a page of schools, and the
 * schools without a visit in a span of days.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';
import { assignmentPeriodsSql, periodHoldsSql } from '../../db/remit.ts';

export interface PlanInspectorRow {
  school_code: string;
  inspector_id: string;
  inspector_name: string;
}

/** Codes of the schools assigned to `inspectorId` in `month`, sorted. */
export async function assignedSchoolCodes(
  db: Kysely<Database>,
  inspectorId: string,
  month: string,
): Promise<string[]> {
  const result = await sql<{ school_code: string }>`SELECT DISTINCT p.school_code
    FROM (${assignmentPeriodsSql(inspectorId)}) p
    WHERE ${periodHoldsSql(sql`p.valid_from`, sql`p.valid_until`, sql`${month}`)}
    ORDER BY p.school_code`.execute(db);
  return result.rows.map((r) => r.school_code);
}

/** The 督学 assigned in `month` to each of `schoolCodes` (a page: callers bound it). */
export async function inspectorsOf(
  db: Kysely<Database>,
  schoolCodes: readonly string[],
  month: string,
): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (schoolCodes.length === 0) return out;
  const result = await sql<PlanInspectorRow>`SELECT DISTINCT p.school_code, p.inspector_id,
      coalesce(i.inspector_name, p.inspector_id) AS inspector_name
    FROM (${assignmentPeriodsSql(null)}) p
    LEFT JOIN inspectors i ON i.inspector_id = p.inspector_id
    WHERE p.school_code IN (${sql.join([...schoolCodes])})
      AND ${periodHoldsSql(sql`p.valid_from`, sql`p.valid_until`, sql`${month}`)}
    ORDER BY p.school_code, p.inspector_id`.execute(db);
  for (const r of result.rows) {
    const list = out.get(r.school_code) ?? [];
    list.push({ id: r.inspector_id, name: r.inspector_name });
    out.set(r.school_code, list);
  }
  return out;
}

export interface UnvisitedRow {
  school_code: string;
  school_name: string;
  township: string;
  last_visit: string | null;
  total: number;
}

/**
 * Schools open at some time from `from` to `to` (dates, inclusive) with no visit in those
 * days, by township then code; `total` counts them all, the rows are the first `limit`.
 */
export async function unvisitedRows(
  db: Kysely<Database>,
  span: { from: string; to: string },
  limit: number,
): Promise<UnvisitedRow[]> {
  const result = await sql<UnvisitedRow>`WITH open_schools AS (
      SELECT s.school_code, s.school_name, s.township FROM schools s
      WHERE (s.valid_from IS NULL OR s.valid_from::DATE <= ${span.to}::DATE)
        AND (s.valid_to IS NULL OR s.valid_to::DATE > ${span.from}::DATE)),
    unvisited AS (
      SELECT o.*, (SELECT strftime(max(v.visit_date::DATE), '%Y-%m-%d') FROM visits v
          WHERE v.school_code = o.school_code AND v.visit_date::DATE < ${span.from}::DATE) AS last_visit
      FROM open_schools o
      WHERE NOT EXISTS (SELECT 1 FROM visits v WHERE v.school_code = o.school_code
        AND v.visit_date::DATE BETWEEN ${span.from}::DATE AND ${span.to}::DATE))
    SELECT u.*, count(*) OVER ()::INTEGER AS total FROM unvisited u
    ORDER BY u.township, u.school_code LIMIT ${limit}`.execute(db);
  return result.rows;
}
