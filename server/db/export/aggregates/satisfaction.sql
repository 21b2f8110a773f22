-- Satisfaction per district, month and respondent type, each answer counted in the month
-- it was submitted (the dashboard's single-month window, which its semester and year
-- figures sum): server/graphql/overview/overview.repository.ts (satisfactionTotalsSelect)
-- and satisfaction.repository.ts (OVERALL_ANSWERS, answerScoreSql: score 5..1 → 100..0;
-- satisfied = the top two of five levels, score ≥ 4); overview.service.ts
-- (satisfactionStats: score = points / answers, satisfied_share = satisfied / answers).
-- Only respondents of schools open in the month count (scope.ts inScope).
-- Portable SQL: runs unchanged on DuckDB, Trino, Spark SQL and MotherDuck.
WITH overall_answers AS (
  SELECT a.district, a.batch_id, a.response_no, a.score
  FROM survey_answers a
  JOIN survey_items i
    ON i.district = a.district AND i.batch_id = a.batch_id AND i.item_no = a.item_no
    AND i.is_overall
),
responses AS (
  SELECT m.district, m.month, r.batch_id, r.response_no, r.respondent
  FROM district_months m
  JOIN survey_responses r ON r.district = m.district AND r.month = m.month
  JOIN schools s
    ON s.district = r.district AND s.school_code = r.school_code
    AND (s.valid_from IS NULL OR s.valid_from <= m.month_end)
    AND (s.valid_to IS NULL OR s.valid_to > m.month_start)
),
sums AS (
  SELECT r.district, r.month, r.respondent,
    COUNT(*) AS responses,
    COUNT(a.score) AS answers,
    SUM((CAST(a.score AS INTEGER) - 1) * 25) AS score_sum,
    SUM(CASE WHEN a.score >= 4 THEN 1 ELSE 0 END) AS satisfied
  FROM responses r
  LEFT JOIN overall_answers a
    ON a.district = r.district AND a.batch_id = r.batch_id AND a.response_no = r.response_no
  GROUP BY r.district, r.month, r.respondent
)
SELECT district, month, respondent, responses, answers, score_sum, satisfied,
  CAST(score_sum AS DOUBLE) / NULLIF(answers, 0) AS score,
  CAST(satisfied AS DOUBLE) / NULLIF(answers, 0) AS satisfied_share
FROM sums
ORDER BY district, month, respondent
