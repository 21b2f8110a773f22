-- Participation of each priority group (优先保障群体) per district and month, and its gap
-- to the overall rate of the same district and month, as the dashboard's overview gives
-- them (overview.service.ts priorityGroupStats: rate = group participants / group
-- enrolled, gap = group rate − overall rate; NULL when a denominator is zero). Groups in
-- the order of server/db/vocabulary/priority-groups.ts (a test holds the names equal).
-- Portable SQL: runs unchanged on DuckDB, Trino, Spark SQL and MotherDuck.
WITH sums AS (
  SELECT p.district, p.month,
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
  JOIN district_months m ON m.district = p.district AND m.month = p.month
  JOIN schools s
    ON s.district = p.district AND s.school_code = p.school_code
    AND (s.valid_from IS NULL OR s.valid_from <= m.month_end)
    AND (s.valid_to IS NULL OR s.valid_to > m.month_start)
  GROUP BY p.district, p.month
),
group_rows AS (
  SELECT district, month, 1 AS ordinal, 'LEFT_BEHIND' AS priority_group,
    left_behind_enrolled AS group_enrolled, left_behind_participants AS group_participants,
    enrolled, participants
  FROM sums
  UNION ALL
  SELECT district, month, 2, 'MIGRANT', migrant_enrolled, migrant_participants,
    enrolled, participants
  FROM sums
  UNION ALL
  SELECT district, month, 3, 'DISABLED', disabled_enrolled, disabled_participants,
    enrolled, participants
  FROM sums
  UNION ALL
  SELECT district, month, 4, 'POOR', poor_enrolled, poor_participants,
    enrolled, participants
  FROM sums
)
SELECT district, month, priority_group,
  group_enrolled AS enrolled,
  group_participants AS participants,
  CAST(group_participants AS DOUBLE) / NULLIF(group_enrolled, 0) AS rate,
  CAST(group_participants AS DOUBLE) / NULLIF(group_enrolled, 0)
    - CAST(COALESCE(participants, 0) AS DOUBLE) / NULLIF(COALESCE(enrolled, 0), 0) AS gap
FROM group_rows
ORDER BY district, month, ordinal
