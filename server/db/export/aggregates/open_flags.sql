-- Open (未办结) and overdue violation flags per district as of the export's date in the
-- district (districts.as_of_date): the overview's openFlags and overdueFlags
-- (server/graphql/flags/flags.repository.ts openFlagsBySchoolSql, summed over the
-- district). Open and "deadline runs" come from the exported status vocabulary
-- (flag_statuses, from server/db/flag-statuses.ts); overdue = in rectification with a
-- deadline before that date. Flags of any month, or none, count.
-- Portable SQL: runs unchanged on DuckDB, Trino, Spark SQL and MotherDuck.
SELECT d.district, d.as_of_date,
  COALESCE(SUM(CASE WHEN st.is_open THEN 1 ELSE 0 END), 0) AS open_flags,
  COALESCE(SUM(CASE WHEN st.is_open AND st.deadline_runs
    AND f.rectify_deadline < d.as_of_date THEN 1 ELSE 0 END), 0) AS overdue_flags
FROM districts d
LEFT JOIN flags f ON f.district = d.district
LEFT JOIN flag_statuses st ON st.district = f.district AND st.status = f.status
GROUP BY d.district, d.as_of_date
ORDER BY d.district
