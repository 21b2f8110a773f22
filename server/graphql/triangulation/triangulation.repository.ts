/**
 * Reads of one school's month for 多方印证. The resolver first proves the school is in the
 * viewer's scope in the month (schoolMonths, the school page's own read); everything here
 * is then that school's rows of that month, which the same rule ("in remit in the row's
 * month or now") lets the viewer see. Complaints are read from their table directly.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/database.ts';

export interface ReportExtraRow {
  fees_published: boolean;
  homework_periods: number;
  written_homework_g12: boolean;
}

/** The report's fields the school page does not read (null: no report that month). */
export async function reportExtras(
  db: Kysely<Database>,
  schoolCode: string,
  month: string,
): Promise<ReportExtraRow | null> {
  const result = await sql<ReportExtraRow>`SELECT fees_published, homework_periods,
      written_homework_g12
    FROM monthly_reports WHERE school_code = ${schoolCode} AND month = ${month}`.execute(db);
  return result.rows[0] ?? null;
}

export interface ComplaintCountRow {
  flag_code: string;
  complaints: number;
}

/** Complaints received in the month, by category: counts only, no complainant or text. */
export async function complaintCounts(
  db: Kysely<Database>,
  schoolCode: string,
  month: string,
): Promise<ComplaintCountRow[]> {
  const result = await sql<ComplaintCountRow>`SELECT flag_code, count(*)::INTEGER AS complaints
    FROM complaints WHERE school_code = ${schoolCode} AND month = ${month}
    GROUP BY flag_code ORDER BY flag_code`.execute(db);
  return result.rows;
}

export interface FindingRow {
  kind: 'CHECK' | 'FLAG';
  code: string;
  /** YYYY-MM-DD */
  date: string;
  note: string | null;
}

/**
 * The month's visit findings: checklist items with a problem on visits dated in the month,
 * and inspection flags about the month. A flag a complaint raised (rule `<CODE>.complaint`)
 * is the complaint's, already on the complaints side: counting it here would make one
 * event two sources.
 * Bounded: a school has a handful of visits a month.
 */
export async function visitFindings(
  db: Kysely<Database>,
  schoolCode: string,
  month: string,
): Promise<FindingRow[]> {
  const result = await sql<FindingRow>`SELECT * FROM (
      SELECT 'CHECK' AS kind, c.item AS code, strftime(v.visit_date, '%Y-%m-%d') AS date, c.note
      FROM visits v JOIN visit_checks c ON c.visit_id = v.visit_id
      WHERE v.school_code = ${schoolCode} AND strftime(v.visit_date, '%Y-%m') = ${month}
        AND c.result = 'PROBLEM'
      UNION ALL
      SELECT 'FLAG' AS kind, f.code,
        coalesce(strftime(v.visit_date, '%Y-%m-%d'), f.month || '-01') AS date, f.detail AS note
      FROM flags f LEFT JOIN visits v ON v.visit_id = f.visit_id
      WHERE f.school_code = ${schoolCode} AND f.month = ${month} AND f.source = 'inspection'
        AND f.rule NOT LIKE '%.complaint'
    ) ORDER BY date, kind, code LIMIT 200`.execute(db);
  return result.rows;
}
