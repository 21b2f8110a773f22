-- School coverage (学校覆盖率), 5+2 compliance, teacher participation and report
-- timeliness per district and month, as the dashboard's overview gives them for the
-- whole district and one month: server/graphql/overview/overview.repository.ts
-- (reportTotalsSelect, FIVE_PLUS_TWO, REPORT_ON_TIME) and overview.service.ts (periodCore).
-- A school counts in a month when open in it (scope.ts inScope); rates are quotients of
-- summed counts, NULL for a zero denominator and, for coverage, 5+2 and timeliness, in a
-- month without service (policy no_service_months, district_months.service_month).
-- Portable SQL: runs unchanged on DuckDB, Trino, Spark SQL and MotherDuck.
WITH open_schools AS (
  SELECT m.district, m.month, s.school_code, s.teachers_total
  FROM district_months m
  JOIN schools s
    ON s.district = m.district
    AND (s.valid_from IS NULL OR s.valid_from <= m.month_end)
    AND (s.valid_to IS NULL OR s.valid_to > m.month_start)
),
counted AS (
  SELECT district, month, COUNT(*) AS schools_in_scope
  FROM open_schools
  GROUP BY district, month
),
reported AS (
  SELECT o.district, o.month,
    COUNT(*) AS schools_reporting,
    SUM(CASE WHEN r.service_days > 0 THEN 1 ELSE 0 END) AS schools_offering,
    SUM(CASE WHEN r.service_days >= r.school_days * m.required_day_share
      AND r.daily_minutes >= m.min_daily_minutes THEN 1 ELSE 0 END) AS schools_five_plus_two,
    SUM(CASE WHEN b.loaded_at <= m.report_due THEN 1 ELSE 0 END) AS schools_on_time,
    SUM(r.teachers_serving) AS teachers_serving,
    SUM(o.teachers_total) AS teachers_total,
    SUM(r.external_staff) AS external_staff,
    SUM(r.providers) AS providers,
    SUM(r.providers_unapproved) AS providers_unapproved
  FROM monthly_reports r
  JOIN district_months m ON m.district = r.district AND m.month = r.month
  JOIN open_schools o
    ON o.district = r.district AND o.month = r.month AND o.school_code = r.school_code
  LEFT JOIN load_batches b ON b.district = r.district AND b.batch_id = r.batch_id
  GROUP BY o.district, o.month
)
SELECT m.district, m.month, m.service_month,
  COALESCE(c.schools_in_scope, 0) AS schools_in_scope,
  COALESCE(r.schools_reporting, 0) AS schools_reporting,
  COALESCE(r.schools_offering, 0) AS schools_offering,
  COALESCE(r.schools_five_plus_two, 0) AS schools_five_plus_two,
  COALESCE(r.schools_on_time, 0) AS schools_on_time,
  COALESCE(r.teachers_serving, 0) AS teachers_serving,
  COALESCE(r.teachers_total, 0) AS teachers_total,
  COALESCE(r.external_staff, 0) AS external_staff,
  COALESCE(r.providers, 0) AS providers,
  COALESCE(r.providers_unapproved, 0) AS providers_unapproved,
  CASE WHEN m.service_month THEN
    CAST(COALESCE(r.schools_offering, 0) AS DOUBLE) / NULLIF(COALESCE(r.schools_reporting, 0), 0)
  END AS coverage_rate,
  CASE WHEN m.service_month THEN
    CAST(COALESCE(r.schools_five_plus_two, 0) AS DOUBLE) / NULLIF(COALESCE(r.schools_reporting, 0), 0)
  END AS five_plus_two_rate,
  CAST(COALESCE(r.teachers_serving, 0) AS DOUBLE) / NULLIF(COALESCE(r.teachers_total, 0), 0)
    AS teacher_participation_rate,
  CASE WHEN m.service_month THEN
    CAST(COALESCE(r.schools_on_time, 0) AS DOUBLE) / NULLIF(COALESCE(c.schools_in_scope, 0), 0)
  END AS report_timeliness_rate
FROM district_months m
LEFT JOIN counted c ON c.district = m.district AND c.month = m.month
LEFT JOIN reported r ON r.district = m.district AND r.month = m.month
ORDER BY m.district, m.month
