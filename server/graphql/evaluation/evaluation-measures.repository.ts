/**
 * The measuring side of the evaluation: every school of the district over one or more
 * periods, as SchoolFacts (evaluation.types.ts). District-wide whoever asks, because the
 * scheme's share cap for 优秀 and the peer medians are the district's; views narrow later.
 *
 * One statement for all the periods asked (the evaluation and its previous period): the
 * scope relation (scope.ts) over the periods' service months gives the (school, month)
 * pairs, and each fact table is summed per school and period in its own CTE, so 10,000
 * schools × 12 months cost one pass over each table. The SQL returns counts; the rates are
 * quotients of those sums (rate(), metrics/rates.ts), never averages of monthly rates.
 * Definitions shared with the overview come from it (FIVE_PLUS_TWO, REPORT_ON_TIME, the
 * participation sums, the satisfaction answer score).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import type { Period } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import type { FlagStatus } from '../../db/flag-statuses.ts';
import type { Locality, Stage } from '../../db/tables/schools.table.ts';
import { PRIORITY_GROUPS } from '../../db/vocabulary/priority-groups.ts';
import type { Respondent } from '../../db/vocabulary/respondents.ts';
import { monthRules } from '../../policy/month-rules.ts';
import { policyFor, type DistrictPolicy } from '../../policy/policy.ts';
import { rectifiedOnSql } from '../flags/flag-row.ts';
import { int, num, rate } from '../metrics/rates.ts';
import { FIVE_PLUS_TWO, REPORT_ON_TIME, ROLLUP_SUMS } from '../overview/overview.repository.ts';
import { count } from '../report/report-format.ts';
import { answerScoreSql, OVERALL_ANSWERS } from '../satisfaction/satisfaction.repository.ts';
import { joinScope, withScope, type ScopeRequest } from '../scope/scope.ts';
import type { Measured, MeasureKey, SchoolFacts } from './evaluation.types.ts';

/** A dismissed flag was raised in error: it counts neither as a finding nor against a school. */
const DISMISSED: FlagStatus = 'DISMISSED';
/** Satisfaction is the parents' (evaluation.types.ts, MEASURE_KEYS). */
const PARENT: Respondent = 'parent';

/**
 * The measuring side asks as the district: a district-wide viewer gives the scope module's
 * rule "every school open in the month" (scope.ts), with no remit and no filter.
 */
const DISTRICT: Viewer = {
  userId: 0,
  username: 'evaluation',
  name: '考核',
  role: 'BUREAU_INSPECTOR',
  inspectorId: null,
  schoolCode: null,
  township: null,
  sessionHash: '',
};

/** The months of a period that expect service (policy, month-rules.ts). */
export function serviceMonths(policy: DistrictPolicy, period: Period): string[] {
  return period.months.filter((m) => monthRules(policy, m).serviceMonth);
}

/** The district's scope over the service months of `periods` (may be empty). */
export function districtScope(policy: DistrictPolicy, periods: readonly Period[]): ScopeRequest {
  const months = [...new Set(periods.flatMap((p) => serviceMonths(policy, p)))].sort();
  return { viewer: DISTRICT, filter: {}, months, policy };
}

/** One row per (period, school): the counts every measure is a quotient of. */
export interface MeasureRow {
  period: string;
  school_code: string;
  school_name: string;
  township: string;
  stage: Stage;
  locality: Locality;
  service_months: number;
  reported_months: number;
  offering_months: number;
  five_plus_two_months: number;
  on_time_months: number;
  participation_months: number;
  enrolled: number | null;
  applicants: number | null;
  participants: number | null;
  left_behind_enrolled: number | null;
  left_behind_participants: number | null;
  migrant_enrolled: number | null;
  migrant_participants: number | null;
  disabled_enrolled: number | null;
  disabled_participants: number | null;
  poor_enrolled: number | null;
  poor_participants: number | null;
  parent_answers: number;
  parent_score_sum: number | null;
  loaded_rows: number;
  rejected_rows: number;
  deadline_flags: number;
  rectified_on_time: number;
  visits: number;
  visits_clean: number;
  /**
   * "KEY:n,KEY:n" of the flags raised in the period's months and not dismissed, by code and
   * by rule id (a scheme may name either: schemeFlagKeys); null when none.
   */
  flag_codes: string | null;
}

/** `(month, period)` rows: each calendar month of each period (service or not). */
function periodMonths(periods: readonly Period[]): RawBuilder<unknown> {
  const rows = periods.flatMap((p) => p.months.map((m) => sql`(${m}, ${p.key})`));
  return sql`SELECT * FROM (VALUES ${sql.join(rows)}) AS pm(month, period)`;
}

/**
 * The statement: the scope over the service months, `pm` naming each month's period, then
 * per (period, school) sums of reports, participation, parents' answers, load rejects,
 * flags with a rectification deadline, visits and flags raised; the registry's columns.
 */
export function measureSql(request: ScopeRequest, periods: readonly Period[]): RawBuilder<unknown> {
  return sql`${withScope(request)},
    pm AS (${periodMonths(periods)}),
    pairs AS (SELECT pm.period, sc.school_code, sc.month FROM scope sc JOIN pm ON pm.month = sc.month),
    schools_in AS (SELECT DISTINCT period, school_code FROM pairs),
    rep AS (
      SELECT pm.period, r.school_code,
        count(*)::INTEGER AS reported_months,
        count(*) FILTER (WHERE r.service_days > 0)::INTEGER AS offering_months,
        count(*) FILTER (WHERE ${FIVE_PLUS_TWO})::INTEGER AS five_plus_two_months,
        count(*) FILTER (WHERE ${REPORT_ON_TIME})::INTEGER AS on_time_months
      FROM monthly_reports r ${joinScope(request, 'r')}
      JOIN pm ON pm.month = r.month
      LEFT JOIN load_batches b ON b.batch_id = r.batch_id
      GROUP BY pm.period, r.school_code),
    months_in AS (SELECT period, school_code, count(*)::INTEGER AS service_months
      FROM pairs GROUP BY period, school_code),
    par AS (
      SELECT pm.period, p.school_code, count(*)::INTEGER AS participation_months,
        sum(p.grades)::INTEGER AS grade_rows, ${ROLLUP_SUMS}
      FROM participation_monthly p ${joinScope(request, 'p')}
      JOIN pm ON pm.month = p.month
      GROUP BY pm.period, p.school_code),
    sat AS (
      SELECT pm.period, r.school_code, count(a.score)::INTEGER AS parent_answers,
        sum(${answerScoreSql('a')})::DOUBLE AS parent_score_sum
      FROM survey_responses r JOIN pm ON pm.month = r.month
      JOIN ${OVERALL_ANSWERS} a ON a.batch_id = r.batch_id AND a.response_no = r.response_no
      WHERE r.respondent = ${PARENT}
      GROUP BY pm.period, r.school_code),
    period_batches AS (
      SELECT DISTINCT pm.period, r.batch_id FROM monthly_reports r JOIN pm ON pm.month = r.month
      UNION SELECT DISTINCT pm.period, p.batch_id FROM participation p JOIN pm ON pm.month = p.month),
    rej AS (
      SELECT pb.period, j.school_code,
        count(DISTINCT (j.batch_id, j.sheet, j.row_number))::INTEGER AS rejected_rows
      FROM load_rejects j JOIN period_batches pb ON pb.batch_id = j.batch_id
      WHERE j.school_code IS NOT NULL
      GROUP BY pb.period, j.school_code),
    rect AS (
      SELECT pm.period, f.school_code, count(*)::INTEGER AS deadline_flags,
        count(*) FILTER (WHERE ${rectifiedOnSql()} <= f.rectify_deadline)::INTEGER AS rectified_on_time
      FROM flags f JOIN pm ON pm.month = strftime(f.rectify_deadline, '%Y-%m')
      WHERE f.status <> ${DISMISSED}
      GROUP BY pm.period, f.school_code),
    vis AS (
      SELECT pm.period, v.school_code, count(*)::INTEGER AS visits,
        count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM flags vf
          WHERE vf.visit_id = v.visit_id AND vf.status <> ${DISMISSED}))::INTEGER AS visits_clean
      FROM visits v JOIN pm ON pm.month = strftime(v.visit_date, '%Y-%m')
      GROUP BY pm.period, v.school_code),
    fc AS (
      SELECT period, school_code, string_agg(k || ':' || n, ',' ORDER BY k) AS flag_codes
      FROM (SELECT period, school_code, k, count(*)::INTEGER AS n
        FROM (SELECT pm.period, f.school_code, unnest([f.code, f.rule]) AS k
          FROM flags f JOIN pm ON pm.month = f.month
          WHERE f.status <> ${DISMISSED})
        GROUP BY period, school_code, k)
      GROUP BY period, school_code)
    SELECT si.period, si.school_code, s.school_name, s.township, s.stage, s.locality,
      mi.service_months,
      coalesce(rep.reported_months, 0) AS reported_months,
      coalesce(rep.offering_months, 0) AS offering_months,
      coalesce(rep.five_plus_two_months, 0) AS five_plus_two_months,
      coalesce(rep.on_time_months, 0) AS on_time_months,
      coalesce(par.participation_months, 0) AS participation_months,
      par.enrolled, par.applicants, par.participants,
      par.left_behind_enrolled, par.left_behind_participants,
      par.migrant_enrolled, par.migrant_participants,
      par.disabled_enrolled, par.disabled_participants,
      par.poor_enrolled, par.poor_participants,
      coalesce(sat.parent_answers, 0) AS parent_answers, sat.parent_score_sum,
      (coalesce(rep.reported_months, 0) + coalesce(par.grade_rows, 0))::INTEGER AS loaded_rows,
      coalesce(rej.rejected_rows, 0) AS rejected_rows,
      coalesce(rect.deadline_flags, 0) AS deadline_flags,
      coalesce(rect.rectified_on_time, 0) AS rectified_on_time,
      coalesce(vis.visits, 0) AS visits,
      coalesce(vis.visits_clean, 0) AS visits_clean,
      fc.flag_codes
    FROM schools_in si
    JOIN schools s ON s.school_code = si.school_code
    JOIN months_in mi ON mi.period = si.period AND mi.school_code = si.school_code
    LEFT JOIN rep ON rep.period = si.period AND rep.school_code = si.school_code
    LEFT JOIN par ON par.period = si.period AND par.school_code = si.school_code
    LEFT JOIN sat ON sat.period = si.period AND sat.school_code = si.school_code
    LEFT JOIN rej ON rej.period = si.period AND rej.school_code = si.school_code
    LEFT JOIN rect ON rect.period = si.period AND rect.school_code = si.school_code
    LEFT JOIN vis ON vis.period = si.period AND vis.school_code = si.school_code
    LEFT JOIN fc ON fc.period = si.period AND fc.school_code = si.school_code
    ORDER BY si.period, si.school_code`;
}

const RATE = 'RATE' as const;

/** Evidence is written only for the periods shown (see measureSchools' `evidence`). */
let writing = true;

function ratio(
  numerator: number,
  denominator: number,
  evidence: (n: string, d: string) => string,
): Measured {
  return {
    value: rate(numerator, denominator),
    unit: RATE,
    base: denominator,
    evidence: writing ? evidence(count(numerator), count(denominator)) : '',
  };
}

/** "85.0%" of a rate, or "—". */
function pct(value: number | null): string {
  return value === null ? '—' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

/**
 * The worst priority-group gap: group rate − the school's own rate over the period, among
 * groups averaging at least min_group_enrolled pupils a month (the flags' and the report's
 * rule, figure-findings.ts; a period sums several months, so the size test is per month).
 */
function priorityEquity(row: MeasureRow, minGroupEnrolled: number): Measured {
  const overall = rate(num(row.participants), num(row.enrolled));
  const months = row.participation_months;
  let worst: { zh: string; rate: number; gap: number; enrolled: number } | null = null;
  if (overall !== null && months > 0)
    for (const g of PRIORITY_GROUPS) {
      const enrolled = int(row[`${g.column}_enrolled`]);
      const groupRate = rate(num(row[`${g.column}_participants`]), enrolled);
      if (groupRate === null || enrolled / months < minGroupEnrolled) continue;
      const gap = groupRate - overall;
      if (worst === null || gap < worst.gap) worst = { zh: g.zh, rate: groupRate, gap, enrolled };
    }
  if (worst === null)
    return {
      value: null,
      unit: RATE,
      base: 0,
      evidence: writing ? `无月均在校满 ${count(minGroupEnrolled)} 人的优先保障群体` : '',
    };
  const points = Math.round(worst.gap * 1000) / 10;
  return {
    value: worst.gap,
    unit: RATE,
    base: worst.enrolled,
    evidence: writing
      ? `${worst.zh}参与率 ${pct(worst.rate)} / 全校 ${pct(overall)}（${points >= 0 ? '+' : ''}${points.toFixed(1)} 个百分点）`
      : '',
  };
}

function parseFlagCodes(text: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  if (text === null) return out;
  for (const part of text.split(',')) {
    const at = part.lastIndexOf(':');
    out[part.slice(0, at)] = Number(part.slice(at + 1));
  }
  return out;
}

/**
 * A row's measures: quotients of its counts, null (with base 0) where nothing was counted;
 * without `evidence`, the texts are left empty (a previous period only lends its scores).
 */
export function factsOf(row: MeasureRow, minGroupEnrolled: number, evidence = true): SchoolFacts {
  writing = evidence;
  try {
    return measuredFacts(row, minGroupEnrolled);
  } finally {
    writing = true;
  }
}

function measuredFacts(row: MeasureRow, minGroupEnrolled: number): SchoolFacts {
  const enrolled = int(row.enrolled);
  const applicants = int(row.applicants);
  const participants = int(row.participants);
  const scoreSum = num(row.parent_score_sum);
  const mean = rate(scoreSum, row.parent_answers);
  const measures: Record<MeasureKey, Measured> = {
    coverage: ratio(
      row.offering_months,
      row.service_months,
      (n, d) => `开展服务 ${n} / 应服务 ${d} 个月`,
    ),
    five_plus_two: ratio(
      row.five_plus_two_months,
      row.reported_months,
      (n, d) => `达到5+2 ${n} / 已报送 ${d} 个月`,
    ),
    participation: ratio(participants, enrolled, (n, d) => `参与 ${n} / 在校 ${d}`),
    demand_met: ratio(participants, applicants, (n, d) => `参与 ${n} / 报名 ${d}`),
    priority_equity: priorityEquity(row, minGroupEnrolled),
    satisfaction: {
      value: mean,
      unit: 'SCORE',
      base: row.parent_answers,
      evidence: !writing
        ? ''
        : mean === null
          ? '无家长总体满意度答卷'
          : `家长答卷 ${count(row.parent_answers)} 份，平均 ${(Math.round(mean * 10) / 10).toFixed(1)} 分`,
    },
    timeliness: ratio(
      row.on_time_months,
      row.service_months,
      (n, d) => `按时报送 ${n} / 应报送 ${d} 个月`,
    ),
    data_quality: {
      ...ratio(
        row.rejected_rows,
        row.loaded_rows + row.rejected_rows,
        (n, d) => `退回 ${n} / 共 ${d} 行`,
      ),
    },
    rectification_on_time: ratio(
      row.rectified_on_time,
      row.deadline_flags,
      (n, d) => `按期整改 ${n} / 到期 ${d} 条`,
    ),
    visit_findings: ratio(row.visits_clean, row.visits, (n, d) => `未发现问题 ${n} / 督导 ${d} 次`),
  };
  return {
    schoolCode: row.school_code,
    schoolName: row.school_name,
    township: row.township,
    stage: row.stage,
    locality: row.locality,
    measures,
    flagCounts: parseFlagCodes(row.flag_codes),
  };
}

/**
 * Every school of the district over each of `periods` (schools open in at least one of
 * the period's service months), by period key, ordered by school code. Evidence texts are
 * written for the periods in `evidence` (default: all).
 */
export async function measureSchools(
  db: Kysely<Database>,
  policy: DistrictPolicy,
  periods: readonly Period[],
  evidence: ReadonlySet<string> = new Set(periods.map((p) => p.key)),
): Promise<Map<string, SchoolFacts[]>> {
  const out = new Map<string, SchoolFacts[]>(periods.map((p) => [p.key, []]));
  const request = districtScope(policy, periods);
  if (request.months.length === 0) return out;
  const result = await sql<MeasureRow>`${measureSql(request, periods)}`.execute(db);
  // The group-size floor of the policy in force at each period's end.
  const floor = new Map(
    periods.map((p) => [
      p.key,
      policyFor(policy, p.months.at(-1) as string).priority_gap.min_group_enrolled,
    ]),
  );
  for (const row of result.rows)
    out
      .get(row.period)
      ?.push(factsOf(row, floor.get(row.period) as number, evidence.has(row.period)));
  return out;
}
