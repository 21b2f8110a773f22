/**
 * Hand-written DuckDB SQL computing the dashboard's figures straight from the warehouse's
 * tables: the reference the API (api-bench.ts) and the dashboard (web-bench.ts) are timed
 * against, and checked against (the same numbers, or the benchmark stops).
 */

/** Schools whose figures count: every school, or one inspector's ($inspector). */
function schoolSet(inspector: boolean): string {
  return inspector
    ? `sch AS (SELECT school_code, teachers_total FROM schools WHERE school_code IN
        (SELECT school_code FROM inspector_assignments WHERE inspector_id = $inspector))`
    : `sch AS (SELECT school_code, teachers_total FROM schools)`;
}

const PART_SUMS = `sum(p.enrolled) AS enrolled, sum(p.applicants) AS applicants,
  sum(p.participants) AS participants, sum(p.five_day_participants) AS five_day_participants,
  sum(p.participants) FILTER (WHERE p.five_day_participants IS NOT NULL) AS five_day_base,
  sum(p.left_behind_enrolled) AS lb_e, sum(p.left_behind_participants) AS lb_p,
  sum(p.migrant_enrolled) AS mg_e, sum(p.migrant_participants) AS mg_p,
  sum(p.disabled_enrolled) AS ds_e, sum(p.disabled_participants) AS ds_p,
  sum(p.poor_enrolled) AS pr_e, sum(p.poor_participants) AS pr_p`;

const REPORT_SUMS = `count(*) AS reporting,
  count(*) FILTER (WHERE r.service_days > 0) AS offering,
  count(*) FILTER (WHERE r.service_days >= r.school_days AND r.daily_minutes >= 120) AS five_plus_two,
  count(*) FILTER (WHERE b.loaded_at <= CAST(strftime(strptime(r.month, '%Y-%m') + INTERVAL 1 MONTH, '%Y-%m')
    || '-05 23:59:59+08' AS TIMESTAMPTZ)) AS on_time,
  sum(r.teachers_serving) AS teachers_serving, sum(sch.teachers_total) AS teachers_total,
  sum(r.external_staff) AS external_staff, sum(r.providers) AS providers,
  sum(r.providers_unapproved) AS providers_unapproved`;

const OVERALL = `(SELECT a.batch_id, a.response_no, a.score FROM survey_answers a
  JOIN survey_items i ON i.batch_id = a.batch_id AND i.item_no = a.item_no AND i.is_overall)`;

/** First month of the semester of `col` (September or February), in SQL. */
function semesterStartSql(col: string): string {
  return `CASE WHEN month(strptime(${col}, '%Y-%m')) >= 9 THEN left(${col}, 4) || '-09'
    WHEN month(strptime(${col}, '%Y-%m')) = 1 THEN CAST(CAST(left(${col}, 4) AS INTEGER) - 1 AS VARCHAR) || '-09'
    ELSE left(${col}, 4) || '-02' END`;
}

/** One month's overview figures ($month, $window). */
export function rawOverview(inspector: boolean): string {
  return `WITH ${schoolSet(inspector)},
  rep AS (SELECT ${REPORT_SUMS} FROM monthly_reports r JOIN sch USING (school_code)
    LEFT JOIN load_batches b ON b.batch_id = r.batch_id WHERE r.month = $month),
  par AS (SELECT ${PART_SUMS} FROM participation p JOIN sch USING (school_code) WHERE p.month = $month),
  sat AS (SELECT r.respondent, count(*) AS responses, count(a.score) AS answers,
      sum((a.score - 1) * 25) AS score_sum, count(*) FILTER (WHERE a.score >= 4) AS satisfied
    FROM survey_responses r JOIN sch USING (school_code)
    LEFT JOIN ${OVERALL} a ON a.batch_id = r.batch_id AND a.response_no = r.response_no
    WHERE r.month BETWEEN $window AND $month GROUP BY r.respondent)
  SELECT (SELECT count(*) FROM sch) AS schools, rep.*, par.*,
    (SELECT count(*) FROM flags f JOIN sch USING (school_code)
      WHERE f.status NOT IN ('CLOSED', 'DISMISSED') AND (f.month IS NULL OR f.month <= $month)) AS open_flags,
    (SELECT list(sat ORDER BY respondent) FROM sat) AS satisfaction
  FROM rep, par`;
}

/** The same per month from $from to $to. */
export const RAW_TREND = `WITH ${schoolSet(false)},
  months AS (SELECT strftime(d, '%Y-%m') AS month FROM
    range(strptime($from, '%Y-%m'), strptime($to, '%Y-%m') + INTERVAL 1 MONTH, INTERVAL 1 MONTH) t(d)),
  win AS (SELECT month, ${semesterStartSql('month')} AS window_start FROM months),
  rep AS (SELECT r.month, ${REPORT_SUMS} FROM monthly_reports r JOIN sch USING (school_code)
    LEFT JOIN load_batches b ON b.batch_id = r.batch_id
    WHERE r.month BETWEEN $from AND $to GROUP BY r.month),
  par AS (SELECT p.month, ${PART_SUMS} FROM participation p JOIN sch USING (school_code)
    WHERE p.month BETWEEN $from AND $to GROUP BY p.month),
  sat AS (SELECT w.month, r.respondent, count(*) AS responses, count(a.score) AS answers,
      sum((a.score - 1) * 25) AS score_sum
    FROM win w JOIN survey_responses r ON r.month BETWEEN w.window_start AND w.month
    JOIN sch USING (school_code)
    LEFT JOIN ${OVERALL} a ON a.batch_id = r.batch_id AND a.response_no = r.response_no
    GROUP BY w.month, r.respondent),
  fl AS (SELECT m.month, count(*) AS open_flags FROM months m JOIN flags f
      ON f.status NOT IN ('CLOSED', 'DISMISSED') AND (f.month IS NULL OR f.month <= m.month)
    JOIN sch USING (school_code) GROUP BY m.month)
  SELECT m.month, (SELECT count(*) FROM sch) AS schools, rep.* EXCLUDE (month), par.* EXCLUDE (month),
    coalesce(fl.open_flags, 0) AS open_flags,
    (SELECT list(sat ORDER BY respondent) FROM sat WHERE sat.month = m.month) AS satisfaction
  FROM months m LEFT JOIN rep USING (month) LEFT JOIN par USING (month) LEFT JOIN fl USING (month)
  ORDER BY m.month`;

function gap(prefix: string): string {
  return `(CASE WHEN ${prefix}_e > 0 THEN ${prefix}_p::DOUBLE / ${prefix}_e END
    - CASE WHEN enrolled > 0 THEN participants::DOUBLE / enrolled END)`;
}

/** A page of 100 schools of $month, most negative priority gap first. */
export const RAW_PAGE = `WITH part AS (
    SELECT p.school_code, ${PART_SUMS} FROM participation p WHERE p.month = $month GROUP BY p.school_code),
  sat AS (SELECT r.school_code, count(*) AS responses, count(a.score) AS answers,
      sum((a.score - 1) * 25) AS score_sum
    FROM survey_responses r
    LEFT JOIN ${OVERALL} a ON a.batch_id = r.batch_id AND a.response_no = r.response_no
    WHERE r.respondent = 'parent' AND r.month BETWEEN $window AND $month GROUP BY r.school_code),
  fl AS (SELECT school_code, count(*) AS open_flags FROM flags
    WHERE status NOT IN ('CLOSED', 'DISMISSED') AND (month IS NULL OR month <= $month) GROUP BY school_code)
  SELECT s.school_code, s.school_name, s.township, r.school_days, r.service_days,
    r.teachers_serving, part.* EXCLUDE (school_code), sat.responses, sat.score_sum,
    coalesce(fl.open_flags, 0) AS open_flags,
    least(${['lb', 'mg', 'ds', 'pr'].map(gap).join(', ')}) AS gap,
    count(*) OVER () AS total
  FROM schools s
  LEFT JOIN monthly_reports r ON r.school_code = s.school_code AND r.month = $month
  LEFT JOIN part ON part.school_code = s.school_code
  LEFT JOIN sat ON sat.school_code = s.school_code
  LEFT JOIN fl ON fl.school_code = s.school_code
  ORDER BY gap ASC NULLS LAST, s.school_code LIMIT 100`;

/** `('YYYY-MM', 'period')` rows, written into the raw SQL as literals. */
function periodMonthRows(periods: Record<string, readonly string[]>): string {
  return Object.entries(periods)
    .flatMap(([period, months]) => months.map((m) => `('${m}', '${period}')`))
    .join(', ');
}

/**
 * Per school and period, the counts the evaluation scores (evaluation-measures.repository.ts)
 * for `periods` (key → calendar months) whose service months are `service`: reports (5+2
 * at 5 days a week and 120 minutes, on time by day 5 of the next month), participation,
 * parents' overall answers, rejected rows of the period's batches, rectification deadlines,
 * visits and flags by code and rule. Schools open in the month, as the scope's rule says.
 */
export function rawEvaluation(
  periods: Record<string, readonly string[]>,
  service: ReadonlySet<string>,
): string {
  const serviceRows = Object.fromEntries(
    Object.entries(periods).map(([p, ms]) => [p, ms.filter((m) => service.has(m))]),
  );
  return `WITH pm AS (SELECT * FROM (VALUES ${periodMonthRows(periods)}) t(month, period)),
  sm AS (SELECT month, period, CAST(month || '-01' AS DATE) AS month_start
    FROM (VALUES ${periodMonthRows(serviceRows)}) t(month, period)),
  pairs AS (SELECT sm.period, sm.month, s.school_code FROM sm JOIN schools s
    ON (s.valid_from IS NULL OR s.valid_from <= last_day(sm.month_start))
    AND (s.valid_to IS NULL OR s.valid_to > sm.month_start)),
  months_in AS (SELECT period, school_code, count(*) AS service_months FROM pairs GROUP BY ALL),
  rep AS (SELECT pa.period, pa.school_code, count(*) AS reported,
      count(*) FILTER (WHERE r.service_days > 0) AS offering,
      count(*) FILTER (WHERE r.service_days >= r.school_days AND r.daily_minutes >= 120) AS five_plus_two,
      count(*) FILTER (WHERE b.loaded_at <= CAST(strftime(strptime(r.month, '%Y-%m') + INTERVAL 1 MONTH, '%Y-%m')
        || '-05 23:59:59+08' AS TIMESTAMPTZ)) AS on_time
    FROM pairs pa JOIN monthly_reports r ON r.school_code = pa.school_code AND r.month = pa.month
    LEFT JOIN load_batches b ON b.batch_id = r.batch_id GROUP BY ALL),
  par AS (SELECT pa.period, pa.school_code, count(DISTINCT p.month) AS participation_months,
      count(*) AS grade_rows, ${PART_SUMS}
    FROM pairs pa JOIN participation p ON p.school_code = pa.school_code AND p.month = pa.month
    GROUP BY ALL),
  sat AS (SELECT pm.period, r.school_code, count(a.score) AS answers,
      sum((a.score - 1) * 25) AS score_sum
    FROM survey_responses r JOIN pm ON pm.month = r.month
    JOIN ${OVERALL} a ON a.batch_id = r.batch_id AND a.response_no = r.response_no
    WHERE r.respondent = 'parent' GROUP BY ALL),
  pb AS (SELECT DISTINCT pm.period, r.batch_id FROM monthly_reports r JOIN pm USING (month)
    UNION SELECT DISTINCT pm.period, p.batch_id FROM participation p JOIN pm USING (month)),
  rej AS (SELECT pb.period, j.school_code, count(DISTINCT (j.batch_id, j.sheet, j.row_number)) AS rejected
    FROM load_rejects j JOIN pb USING (batch_id) WHERE j.school_code IS NOT NULL GROUP BY ALL),
  rect AS (SELECT pm.period, f.school_code, count(*) AS deadlines,
      count(*) FILTER (WHERE coalesce(
        (SELECT max(CAST(timezone('Asia/Shanghai', e.occurred_at) AS DATE)) FROM flag_events e
          WHERE e.flag_id = f.flag_id AND e.action = 'RECTIFIED'),
        CASE WHEN f.status = 'RECTIFIED' THEN CAST(timezone('Asia/Shanghai', f.updated_at) AS DATE) END)
        <= f.rectify_deadline) AS on_time
    FROM flags f JOIN pm ON pm.month = strftime(f.rectify_deadline, '%Y-%m')
    WHERE f.status <> 'DISMISSED' GROUP BY ALL),
  vis AS (SELECT pm.period, v.school_code, count(*) AS visits,
      count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM flags vf
        WHERE vf.visit_id = v.visit_id AND vf.status <> 'DISMISSED')) AS clean
    FROM visits v JOIN pm ON pm.month = strftime(v.visit_date, '%Y-%m') GROUP BY ALL),
  fc AS (SELECT period, school_code, string_agg(k || ':' || n, ',' ORDER BY k) AS flag_codes
    FROM (SELECT period, school_code, k, count(*) AS n FROM (SELECT pm.period, f.school_code,
        unnest([f.code, f.rule]) AS k FROM flags f JOIN pm ON pm.month = f.month
        WHERE f.status <> 'DISMISSED') GROUP BY ALL)
    GROUP BY ALL)
  SELECT mi.period, mi.school_code, s.school_name, s.township, s.stage, s.locality, mi.service_months,
    rep.* EXCLUDE (period, school_code), par.* EXCLUDE (period, school_code),
    sat.answers, sat.score_sum, rej.rejected, rect.deadlines, rect.on_time AS rectified_on_time,
    vis.visits, vis.clean, fc.flag_codes
  FROM months_in mi JOIN schools s ON s.school_code = mi.school_code
  LEFT JOIN rep ON rep.period = mi.period AND rep.school_code = mi.school_code
  LEFT JOIN par ON par.period = mi.period AND par.school_code = mi.school_code
  LEFT JOIN sat ON sat.period = mi.period AND sat.school_code = mi.school_code
  LEFT JOIN rej ON rej.period = mi.period AND rej.school_code = mi.school_code
  LEFT JOIN rect ON rect.period = mi.period AND rect.school_code = mi.school_code
  LEFT JOIN vis ON vis.period = mi.period AND vis.school_code = mi.school_code
  LEFT JOIN fc ON fc.period = mi.period AND fc.school_code = mi.school_code
  ORDER BY mi.period, mi.school_code`;
}
