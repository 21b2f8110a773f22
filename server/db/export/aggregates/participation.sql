-- Student participation (学生参与率), demand met (需求满足率) and the five-day share per
-- district and month, as the dashboard's overview gives them for the whole district and
-- one month: server/graphql/overview/overview.repository.ts (participationTotalsSelect over
-- the school × month rollup participation_monthly, ROLLUP_SUMS) and overview.service.ts
-- (periodCore). Only schools open in the month count (scope.ts inScope). Rates are
-- quotients of summed counts (never averages of rates), NULL for a zero denominator.
-- Portable SQL: runs unchanged on DuckDB, Trino, Spark SQL and MotherDuck.
WITH sums AS (
  SELECT p.district, p.month,
    SUM(p.enrolled) AS enrolled,
    SUM(p.applicants) AS applicants,
    SUM(p.participants) AS participants,
    SUM(p.five_day_participants) AS five_day_participants,
    SUM(p.five_day_base) AS five_day_base
  FROM participation_monthly p
  JOIN district_months m ON m.district = p.district AND m.month = p.month
  JOIN schools s
    ON s.district = p.district AND s.school_code = p.school_code
    AND (s.valid_from IS NULL OR s.valid_from <= m.month_end)
    AND (s.valid_to IS NULL OR s.valid_to > m.month_start)
  GROUP BY p.district, p.month
)
SELECT district, month,
  COALESCE(enrolled, 0) AS enrolled,
  COALESCE(applicants, 0) AS applicants,
  COALESCE(participants, 0) AS participants,
  five_day_participants,
  five_day_base,
  CAST(COALESCE(participants, 0) AS DOUBLE) / NULLIF(COALESCE(enrolled, 0), 0)
    AS participation_rate,
  CAST(COALESCE(participants, 0) AS DOUBLE) / NULLIF(COALESCE(applicants, 0), 0)
    AS demand_met_rate,
  CAST(five_day_participants AS DOUBLE) / NULLIF(five_day_base, 0) AS five_day_share
FROM sums
ORDER BY district, month
