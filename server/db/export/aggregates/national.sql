-- National (or provincial) totals per month over every district in the tree: counts
-- summed over the districts and rates computed from those sums (never averages of the
-- districts' rates). The same counts as coverage.sql and participation.sql, so a month's
-- row here equals the sum of those files' rows of that month; coverage counts the reports
-- of the districts for which the month is a service month (policies may differ).
-- Portable SQL: runs unchanged on DuckDB, Trino, Spark SQL and MotherDuck.
WITH open_schools AS (
  SELECT m.district, m.month, m.service_month, s.school_code
  FROM district_months m
  JOIN schools s
    ON s.district = m.district
    AND (s.valid_from IS NULL OR s.valid_from <= m.month_end)
    AND (s.valid_to IS NULL OR s.valid_to > m.month_start)
),
schools_by_month AS (
  SELECT month,
    COUNT(DISTINCT district) AS districts,
    COUNT(*) AS schools_in_scope
  FROM open_schools
  GROUP BY month
),
reports_by_month AS (
  SELECT o.month,
    SUM(CASE WHEN o.service_month THEN 1 ELSE 0 END) AS schools_reporting,
    SUM(CASE WHEN o.service_month AND r.service_days > 0 THEN 1 ELSE 0 END)
      AS schools_offering
  FROM monthly_reports r
  JOIN open_schools o
    ON o.district = r.district AND o.month = r.month AND o.school_code = r.school_code
  GROUP BY o.month
),
participation_by_month AS (
  SELECT p.month,
    SUM(p.enrolled) AS enrolled,
    SUM(p.participants) AS participants,
    SUM(p.left_behind_enrolled) AS left_behind_enrolled,
    SUM(p.left_behind_participants) AS left_behind_participants,
    SUM(p.migrant_enrolled) AS migrant_enrolled,
    SUM(p.migrant_participants) AS migrant_participants,
    SUM(p.disabled_enrolled) AS disabled_enrolled,
    SUM(p.disabled_participants) AS disabled_participants,
    SUM(p.poor_enrolled) AS poor_enrolled,
    SUM(p.poor_participants) AS poor_participants
  FROM participation_monthly p
  JOIN open_schools o
    ON o.district = p.district AND o.month = p.month AND o.school_code = p.school_code
  GROUP BY p.month
)
SELECT s.month, s.districts, s.schools_in_scope,
  COALESCE(r.schools_reporting, 0) AS schools_reporting,
  COALESCE(r.schools_offering, 0) AS schools_offering,
  CAST(COALESCE(r.schools_offering, 0) AS DOUBLE) / NULLIF(COALESCE(r.schools_reporting, 0), 0)
    AS coverage_rate,
  COALESCE(p.enrolled, 0) AS enrolled,
  COALESCE(p.participants, 0) AS participants,
  CAST(COALESCE(p.participants, 0) AS DOUBLE) / NULLIF(COALESCE(p.enrolled, 0), 0)
    AS participation_rate,
  CAST(p.left_behind_participants AS DOUBLE) / NULLIF(p.left_behind_enrolled, 0)
    AS left_behind_rate,
  CAST(p.migrant_participants AS DOUBLE) / NULLIF(p.migrant_enrolled, 0) AS migrant_rate,
  CAST(p.disabled_participants AS DOUBLE) / NULLIF(p.disabled_enrolled, 0) AS disabled_rate,
  CAST(p.poor_participants AS DOUBLE) / NULLIF(p.poor_enrolled, 0) AS poor_rate
FROM schools_by_month s
LEFT JOIN reports_by_month r ON r.month = s.month
LEFT JOIN participation_by_month p ON p.month = s.month
ORDER BY s.month
