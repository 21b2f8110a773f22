/**
 * flag_base (a temp view): one row per judged school-month (flag_scope, with the batch its
 * events name as scope_batch) with everything a rule reads —
 * the school (stage, open in the month), the monthly report (r), the participation
 * rollup (p) and the excess of its grades with more participants than applicants, the fees in cents
 * and the month's rules (flag_month_rules) with the end-time cap of the school's stage.
 * Columns of a missing report or rollup are NULL, so a rule's comparison on them is never
 * true. The semester fee totals (a window over the school's earlier reports) are only
 * computed when the policy caps fees per semester.
 */
import { MONTH_RULES_TABLE } from './month-rules-table.ts';
import { hhmmMinutes, semesterLabel, semesterStart } from './sql-format.ts';

const stageValue = (column: string): string =>
  `CASE s.stage WHEN 'primary' THEN m.${column.replace('%', 'primary')}
     WHEN 'junior' THEN m.${column.replace('%', 'junior')}
     WHEN 'nine_year' THEN m.${column.replace('%', 'nine_year')}
     ELSE m.${column.replace('%', 'complete')} END`;

/** Fee per day in cents, rounded half up: fee × minutes ÷ minutes per period. */
const dayCents = (r: string, m: string): string =>
  `(((${r}.fee_per_period * 100)::BIGINT * ${r}.daily_minutes * 2 + ${m}.minutes_per_period)
    // (2 * ${m}.minutes_per_period))`;

/** Each report of the scope's schools with its month's fee and the semester's total so far. */
const SEMESTER_FEES = `semester_fees AS (
    SELECT school_code, month,
      sum(month_cents) OVER (PARTITION BY school_code, semester ORDER BY month) AS semester_cents,
      ${semesterLabel('semester')} AS semester_label
    FROM (SELECT r.school_code, r.month, ${semesterStart('r.month')} AS semester,
        ${dayCents('r', 'fm')} * r.service_days AS month_cents
      FROM monthly_reports r JOIN ${MONTH_RULES_TABLE} fm ON fm.month = r.month
      WHERE r.school_code IN (SELECT school_code FROM flag_scope))),`;

export interface BaseOptions {
  /** Compute semester fee totals (some version caps fees per semester). */
  semesterFees: boolean;
}

/** The SELECT of flag_base. */
export function baseSql(options: BaseOptions): string {
  const semester = options.semesterFees;
  return `WITH ${semester ? SEMESTER_FEES : ''}
    part AS (
      SELECT x.school_code, x.month, max(x.batch_id) AS part_batch,
        sum(x.participants - x.applicants) FILTER (WHERE x.participants > x.applicants) AS forced_excess
      FROM participation x JOIN flag_scope sc ON sc.school_code = x.school_code AND sc.month = x.month
      GROUP BY x.school_code, x.month)
    SELECT sc.school_code, sc.month, sc.batch_id AS scope_batch, s.stage,
      s.school_code IS NOT NULL
        AND (s.valid_from IS NULL OR s.valid_from <= last_day(CAST(sc.month || '-01' AS DATE)))
        AND (s.valid_to IS NULL OR s.valid_to > CAST(sc.month || '-01' AS DATE)) AS school_open,
      r.school_code IS NOT NULL AS has_report,
      r.school_days, r.service_days, r.daily_minutes, r.latest_end_time,
      ${hhmmMinutes('r.latest_end_time')} AS end_minutes,
      r.homework_periods, r.written_homework_g12, r.fee_waived, r.waived_but_charged,
      r.fees_published, (r.teacher_pay_per_period * 100)::BIGINT AS pay_cents,
      r.providers, r.providers_unapproved, r.largest_group, r.incidents,
      r.batch_id AS report_batch,
      (r.fee_per_period * 100)::BIGINT AS fee_cents,
      ${dayCents('r', 'm')} AS day_cents,
      ${dayCents('r', 'm')} * r.service_days AS month_cents,
      ${semester ? 'f.semester_cents, f.semester_label' : 'NULL::BIGINT AS semester_cents, NULL::VARCHAR AS semester_label'},
      p.enrolled, p.applicants, p.participants,
      p.left_behind_enrolled, p.left_behind_participants, p.migrant_enrolled,
      p.migrant_participants, p.disabled_enrolled, p.disabled_participants,
      p.poor_enrolled, p.poor_participants, part.part_batch, part.forced_excess,
      ${stageValue('cap_%')} AS cap_minutes,
      ${stageValue('cap_%_text')} AS cap_text,
      m.* EXCLUDE (month)
    FROM flag_scope sc
    LEFT JOIN schools s ON s.school_code = sc.school_code
    LEFT JOIN monthly_reports r ON r.school_code = sc.school_code AND r.month = sc.month
    ${semester ? 'LEFT JOIN semester_fees f ON f.school_code = sc.school_code AND f.month = sc.month' : ''}
    LEFT JOIN participation_monthly p ON p.school_code = sc.school_code AND p.month = sc.month
    LEFT JOIN part ON part.school_code = sc.school_code AND part.month = sc.month
    -- The month rules last: DuckDB estimates tables written in the load's transaction at 0
    -- rows and builds its hash tables on them, so joined first their many columns would
    -- ride along in every hash table built on the scope side (4× the time at 1M rows).
    JOIN ${MONTH_RULES_TABLE} m ON m.month = sc.month`;
}
