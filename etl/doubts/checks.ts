/**
 * The data-quality checks (数据疑点) as set-based SQL, one SELECT per check over the whole
 * warehouse: each returns the doubts it finds as (school_code, month, rule, measure, value,
 * reference, deviation, detail, detail_en, batch_id, policy_version), thresholds joined from
 * doubt_month_rules. The caller keeps the months it judges. Rule ids and labels:
 * server/policy/doubt-catalogue.ts.
 *
 * Most checks read doubt_part, the per-grade report summed per school-month once, with the
 * signature of its per-grade participants and how many of its counts are round.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { shanghaiDateSql } from '../../server/db/calendar.ts';
import { PRIORITY_GROUPS } from '../../server/db/vocabulary/priority-groups.ts';
import {
  DOUBT_MEASURE_LABELS,
  DOUBT_PRIORITY_GROUPS,
} from '../../server/policy/doubt-catalogue.ts';
import { num } from '../flags/sql-format.ts';
import { lit } from '../normalize/sql-text.ts';
import { DOUBT_MONTH_RULES as DR } from './doubt-month-rules.ts';

/**
 * The counts of a per-grade row the round-number check reads: those a school estimates.
 * Enrolment and the priority groups come from the student roll (学籍), exact by nature.
 */
const COUNT_COLUMNS = ['applicants', 'participants', 'five_day_participants'];

const sumOf = (test: (c: string) => string): string =>
  `sum(${COUNT_COLUMNS.map((c) => `(${test(`coalesce(${c}, 0)`)})::INTEGER`).join(' + ')})::INTEGER`;

/** doubt_part: participation per school-month (totals, signature, round counts). */
export async function createDoubtPart(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE doubt_part AS
    SELECT school_code, month, max(batch_id)::INTEGER AS batch_id,
      sum(enrolled)::BIGINT AS enrolled, sum(participants)::BIGINT AS participants,
      string_agg(CAST(grade AS VARCHAR) || ':' || CAST(participants AS VARCHAR), ','
        ORDER BY grade) AS sig,
      ${sumOf((c) => `${c} <> 0`)} AS counts,
      ${sumOf((c) => `${c} % 10 <> 0`)} AS unround
    FROM participation GROUP BY school_code, month`);
}

/** One decimal: 4.0, 0.3. */
const one = (x: string): string => `printf('%.1f', ${x})`;
const pct = (x: string): string => `printf('%.1f%%', 100 * (${x}))`;
const str = (x: string): string => `CAST(${x} AS VARCHAR)`;

const label = (measure: string): string => DOUBT_MEASURE_LABELS[measure] ?? measure;

/** MONTH_JUMP.<measure>: against the school's previous reported month. */
function monthJump(measure: 'participants' | 'enrolled'): string {
  const ratio = 'greatest(j.v::DOUBLE / j.prev, j.prev::DOUBLE / j.v)';
  const en = measure === 'participants' ? 'participants' : 'enrolment';
  return `SELECT j.school_code, j.month, ${lit(`MONTH_JUMP.${measure}`)} AS rule,
      ${lit(measure)} AS measure, j.v::DOUBLE AS value, j.prev::DOUBLE AS reference,
      round(${ratio}, 2) AS deviation,
      ${lit(label(measure))} || '由 ' || j.prev_month || ' 的 ' || ${str('j.prev')} || ' 人变为 '
        || j.month || ' 的 ' || ${str('j.v')} || ' 人，'
        || CASE WHEN j.v > j.prev THEN '增至上月的 ' ELSE '降至上月的 1/' END || ${one(ratio)}
        || '（前后相差超过 ' || ${num('dr.max_month_ratio')} || ' 倍即存疑）' AS detail,
      ${lit(`${en} went from `)} || ${str('j.prev')} || ' in ' || j.prev_month || ' to '
        || ${str('j.v')} || ' in ' || j.month || ', a ' || ${one(ratio)}
        || '-fold change (doubtful above ' || ${num('dr.max_month_ratio')} || ')' AS detail_en,
      j.batch_id, dr.policy_version
    FROM (SELECT school_code, month, batch_id, ${measure} AS v,
        lag(${measure}) OVER w AS prev, lag(month) OVER w AS prev_month
      FROM doubt_part WINDOW w AS (PARTITION BY school_code ORDER BY month)) j
    JOIN ${DR} dr ON dr.month = j.month
    WHERE j.prev IS NOT NULL AND j.v >= dr.min_base AND j.prev >= dr.min_base
      AND ${ratio} > dr.max_month_ratio`;
}

/** PEER_OUTLIER.participation_rate: robust z within stage × 城乡类型 in the month. */
function peerOutlier(): string {
  return `WITH r AS (
      SELECT p.school_code, p.month, p.batch_id, s.stage, s.locality,
        p.participants::DOUBLE / p.enrolled AS rate
      FROM doubt_part p JOIN schools s ON s.school_code = p.school_code
      WHERE p.enrolled > 0),
    g AS (SELECT month, stage, locality, median(rate) AS med, count(*)::INTEGER AS n
      FROM r GROUP BY month, stage, locality),
    m AS (SELECT r.month, r.stage, r.locality, median(abs(r.rate - g.med)) AS mad
      FROM r JOIN g USING (month, stage, locality) GROUP BY r.month, r.stage, r.locality),
    z AS (SELECT r.*, g.med, g.n, abs(r.rate - g.med) / (1.4826 * m.mad) AS z
      FROM r JOIN g USING (month, stage, locality) JOIN m USING (month, stage, locality)
      WHERE m.mad > 0)
    SELECT z.school_code, z.month, 'PEER_OUTLIER.participation_rate' AS rule,
      'participation_rate' AS measure, round(z.rate, 4) AS value, round(z.med, 4) AS reference,
      round(z.z, 1) AS deviation,
      '参与率 ' || ${pct('z.rate')} || '，同月同学段、同城乡类型的 ' || ${str('z.n')}
        || ' 所学校中位数 ' || ${pct('z.med')} || '，稳健 Z 值 ' || ${one('z.z')}
        || '（超过 ' || ${num('dr.max_peer_z')} || ' 即存疑）' AS detail,
      'participation rate ' || ${pct('z.rate')} || ' against a median of ' || ${pct('z.med')}
        || ' among ' || ${str('z.n')} || ' peer schools (same stage and locality), robust z '
        || ${one('z.z')} || ' (doubtful above ' || ${num('dr.max_peer_z')} || ')' AS detail_en,
      z.batch_id, dr.policy_version
    FROM z JOIN ${DR} dr ON dr.month = z.month
    WHERE z.n >= dr.min_peer_group AND z.z > dr.max_peer_z`;
}

/** IDENTICAL_MONTHS.participants_by_grade: a run of reported months with equal per-grade participants. */
function identicalMonths(): string {
  return `WITH s AS (
      SELECT *, row_number() OVER (PARTITION BY school_code ORDER BY month)
        - row_number() OVER (PARTITION BY school_code, sig ORDER BY month) AS grp
      FROM doubt_part),
    r AS (
      SELECT *, row_number() OVER (PARTITION BY school_code, sig, grp ORDER BY month) AS run,
        min(month) OVER (PARTITION BY school_code, sig, grp) AS since
      FROM s)
    SELECT r.school_code, r.month, 'IDENTICAL_MONTHS.participants_by_grade' AS rule,
      'participants_by_grade' AS measure, r.run::DOUBLE AS value,
      dr.identical_months::DOUBLE AS reference, r.run::DOUBLE AS deviation,
      '各年级参与人数自 ' || r.since || ' 起连续 ' || ${str('r.run')}
        || ' 个报送月份完全相同（合计 ' || ${str('r.participants')} || ' 人；连续 '
        || ${str('dr.identical_months')} || ' 个月即存疑）' AS detail,
      'participants of every grade identical for ' || ${str('r.run')}
        || ' reported months since ' || r.since || ' (' || ${str('r.participants')}
        || ' in all; doubtful from ' || ${str('dr.identical_months')} || ')' AS detail_en,
      r.batch_id, dr.policy_version
    FROM r JOIN ${DR} dr ON dr.month = r.month
    WHERE r.participants >= dr.min_base AND r.run >= dr.identical_months`;
}

/** ROUND_NUMBERS.report_counts: every non-zero applicant/participant count of the month a multiple of 10. */
function roundNumbers(): string {
  return `SELECT p.school_code, p.month, 'ROUND_NUMBERS.report_counts' AS rule,
      'report_counts' AS measure, p.counts::DOUBLE AS value,
      dr.round_counts_min::DOUBLE AS reference, p.counts::DOUBLE AS deviation,
      '分年级参与情况中申请、参加、五天全勤的全部 ' || ${str('p.counts')} || ' 个非零人数都是 10 的倍数（不少于 '
        || ${str('dr.round_counts_min')} || ' 个时存疑）' AS detail,
      'all ' || ${str('p.counts')} || ' non-zero applicant and participant counts of the per-grade report are multiples of 10 (doubtful from '
        || ${str('dr.round_counts_min')} || ')' AS detail_en,
      p.batch_id, dr.policy_version
    FROM doubt_part p JOIN ${DR} dr ON dr.month = p.month
    WHERE p.unround = 0 AND p.counts >= dr.round_counts_min`;
}

/**
 * PRIORITY_ABOVE_ENROLMENT.<group>: a grade's priority group larger than the grade
 * (enrolled, or participants: the loader checks only the former). The worst grade is named.
 */
function priorityAboveEnrolment(): string {
  const branches = DOUBT_PRIORITY_GROUPS.flatMap((g) =>
    (['enrolled', 'participants'] as const).map(
      (kind) => `SELECT school_code, month, batch_id, grade, ${lit(g)} AS grp, ${lit(kind)} AS kind,
          ${g}_${kind} AS v, ${kind} AS ref FROM participation WHERE ${g}_${kind} > ${kind}`,
    ),
  );
  const zhGroup = `CASE x.grp ${PRIORITY_GROUPS.map((g) => `WHEN ${lit(g.column)} THEN ${lit(g.zh)}`).join(' ')} END`;
  return `SELECT x.school_code, x.month, 'PRIORITY_ABOVE_ENROLMENT.' || x.grp AS rule,
      x.grp AS measure, x.v::DOUBLE AS value, x.ref::DOUBLE AS reference,
      (x.v - x.ref)::DOUBLE AS deviation,
      ${str('x.grade')} || ' 年级' || ${zhGroup}
        || CASE x.kind WHEN 'enrolled' THEN '在校 ' ELSE '参加 ' END || ${str('x.v')}
        || ' 人，超过该年级' || CASE x.kind WHEN 'enrolled' THEN '在校生数 ' ELSE '参加人数 ' END
        || ${str('x.ref')} || ' 人（多 ' || ${str('x.v - x.ref')} || ' 人）' AS detail,
      'grade ' || ${str('x.grade')} || ': ' || replace(x.grp, '_', '-') || ' ' || x.kind || ' '
        || ${str('x.v')} || ' above the grade''s ' || x.kind || ' ' || ${str('x.ref')}
        || ' (by ' || ${str('x.v - x.ref')} || ')' AS detail_en,
      x.batch_id, dr.policy_version
    FROM (SELECT *, row_number() OVER (PARTITION BY school_code, month, grp
        ORDER BY v - ref DESC, grade, kind) AS k
      FROM (${branches.join('\n      UNION ALL ')})) x
    JOIN ${DR} dr ON dr.month = x.month
    WHERE x.k = 1`;
}

/** TEACHERS_ABOVE_TOTAL.teachers_serving: against the registry (a later registry may lower it). */
function teachersAboveTotal(): string {
  return `SELECT r.school_code, r.month, 'TEACHERS_ABOVE_TOTAL.teachers_serving' AS rule,
      'teachers_serving' AS measure, r.teachers_serving::DOUBLE AS value,
      s.teachers_total::DOUBLE AS reference, (r.teachers_serving - s.teachers_total)::DOUBLE AS deviation,
      '参与服务教师 ' || ${str('r.teachers_serving')} || ' 人，多于学校名录登记的教职工总数 '
        || ${str('s.teachers_total')} || ' 人（多 ' || ${str('r.teachers_serving - s.teachers_total')}
        || ' 人）' AS detail,
      ${str('r.teachers_serving')} || ' teachers serving, more than the ' || ${str('s.teachers_total')}
        || ' teachers the registry lists (by ' || ${str('r.teachers_serving - s.teachers_total')}
        || ')' AS detail_en,
      r.batch_id, dr.policy_version
    FROM monthly_reports r JOIN schools s ON s.school_code = r.school_code
    JOIN ${DR} dr ON dr.month = r.month
    WHERE r.teachers_serving > s.teachers_total`;
}

/** LATE_REPORT.report: the month's report first arrived (any version) after the deadline. */
function lateReport(): string {
  const arrived = shanghaiDateSql('a.first_at');
  const days = `date_diff('day', dr.due_date, ${arrived})`;
  return `WITH a AS (
      SELECT x.school_code, x.month, min(b.loaded_at) AS first_at
      FROM (SELECT school_code, month, batch_id FROM monthly_reports
        UNION SELECT school_code, month, batch_id FROM row_versions
        WHERE table_name = 'monthly_reports') x
      JOIN load_batches b ON b.batch_id = x.batch_id
      GROUP BY x.school_code, x.month)
    SELECT r.school_code, r.month, 'LATE_REPORT.report' AS rule, 'report' AS measure,
      ${days}::DOUBLE AS value, NULL::DOUBLE AS reference, ${days}::DOUBLE AS deviation,
      r.month || ' 月报首次报送于 ' || strftime(${arrived}, '%Y-%m-%d') || '，晚于截止日期 '
        || strftime(dr.due_date, '%Y-%m-%d') || '（逾期 ' || ${str(days)} || ' 天）' AS detail,
      'the ' || r.month || ' report first arrived on ' || strftime(${arrived}, '%Y-%m-%d')
        || ', after the deadline ' || strftime(dr.due_date, '%Y-%m-%d') || ' (' || ${str(days)}
        || ' days late)' AS detail_en,
      r.batch_id, dr.policy_version
    FROM monthly_reports r JOIN a ON a.school_code = r.school_code AND a.month = r.month
    JOIN ${DR} dr ON dr.month = r.month
    WHERE dr.service_month AND a.first_at > dr.report_due`;
}

/** RESUBMITTED.report: later files replaced the month's report more often than allowed. */
function resubmitted(): string {
  return `WITH v AS (
      SELECT school_code, month, count(DISTINCT superseded_by)::INTEGER AS n,
        max(superseded_by)::INTEGER AS last_batch
      FROM row_versions
      WHERE table_name IN ('monthly_reports', 'participation') AND school_code IS NOT NULL
        AND month IS NOT NULL
      GROUP BY school_code, month)
    SELECT v.school_code, v.month, 'RESUBMITTED.report' AS rule, 'report' AS measure,
      v.n::DOUBLE AS value, dr.max_resubmissions::DOUBLE AS reference,
      (v.n - dr.max_resubmissions)::DOUBLE AS deviation,
      v.month || ' 的报表已被更正重报 ' || ${str('v.n')} || ' 次（超过 '
        || ${str('dr.max_resubmissions')} || ' 次即存疑）' AS detail,
      'the ' || v.month || ' report was replaced ' || ${str('v.n')}
        || ' times (doubtful above ' || ${str('dr.max_resubmissions')} || ')' AS detail_en,
      v.last_batch AS batch_id, dr.policy_version
    FROM v JOIN ${DR} dr ON dr.month = v.month
    WHERE v.n > dr.max_resubmissions`;
}

/** Every check's SELECT (same columns), in catalogue order. */
export function checkSelects(): string[] {
  return [
    monthJump('participants'),
    monthJump('enrolled'),
    peerOutlier(),
    identicalMonths(),
    roundNumbers(),
    priorityAboveEnrolment(),
    teachersAboveTotal(),
    lateReport(),
    resubmitted(),
  ];
}
