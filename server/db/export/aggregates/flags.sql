-- Violation flags (违规预警) per district, month, rule code and status: the dashboard's flag
-- counts (server/graphql/flags/flags.repository.ts flagCounts, for a district-wide
-- viewer and no filter): flags with a month, zero counts absent.
-- Portable SQL: runs unchanged on DuckDB, Trino, Spark SQL and MotherDuck.
SELECT f.district, f.month, f.code, f.status, COUNT(*) AS flags
FROM flags f
WHERE f.month IS NOT NULL
GROUP BY f.district, f.month, f.code, f.status
ORDER BY f.district, f.month, f.code, f.status
