/**
 * The 走访计划's risk score: for every school of a set, in one month, how much a 责任督学
 * should go and look, and why, in words with the figures. One set-based query gathers each
 * input per school; the points are the policy's `visit_plan` weights (never literals):
 *
 * - OPEN_FLAG: weight × flags open now (未办结) about the month or earlier (or about no month);
 * - OVERDUE_FLAG: weight × those of them past their rectification deadline on `asOf`;
 * - OPEN_DOUBT: weight × data doubts still open about the month or earlier;
 * - COMPLAINT: weight × complaints received in the last `complaint_months` months up to and
 *   including the month, leaving out those closed as not borne out (substantiated = false);
 * - SATISFACTION_DROP: weight, once, when parents' satisfaction (the overall item's mean
 *   score 0-100, answerScoreSql) in the school's latest surveyed month up to the month fell
 *   at least `satisfaction_drop_points` against its previous surveyed month;
 * - PARTICIPATION_DROP: weight, once, when the participation rate (participants / enrolled)
 *   of the latest reported month up to the month fell at least `participation_drop_points`
 *   percentage points against the previous reported month;
 * - PRIORITY_GAP: weight × priority groups lagging the school's rate in that latest reported
 *   month by more than priority_gap.max_gap_points (the flags' integer comparison,
 *   etl/flags/rules/priority-gap.ts), among groups of at least min_group_enrolled pupils;
 * - UNVISITED: weight × whole months from the last visit on or before `asOf` to `asOf`,
 *   capped at `max_unvisited_months`; a school never visited counts the cap.
 *
 * `asOf` is today for the current (or a future) month and the month's last day for a past
 * month, so last month's plan reads as it stood at the month's end (flags' statuses are
 * today's: the warehouse keeps no status history beyond events).
 */
import { sql, type Kysely } from 'kysely';
import { currentDate, monthsBetween, addMonths } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { flagDaysOverdueSql, flagOpenSql, flagOverdueSql } from '../../db/flag-statuses.ts';
import { OPEN_DOUBT_STATUSES } from '../../db/vocabulary/doubt-statuses.ts';
import { PRIORITY_GROUPS } from '../../db/vocabulary/priority-groups.ts';
import {
  RISK_REASONS,
  riskReasonLabel,
  type RiskBand,
  type RiskReasonCode,
} from '../../db/vocabulary/risk-reasons.ts';
import { policyFor, type DistrictPolicy, type PolicyVersion } from '../../policy/policy.ts';
import { int, num, rate } from '../metrics/rates.ts';
import { monthZh } from '../scope/scope-summary.ts';
import { answerScoreSql, OVERALL_ANSWERS } from '../satisfaction/satisfaction.repository.ts';

export type { RiskBand, RiskReasonCode };

export interface RiskReason {
  code: RiskReasonCode;
  /** e.g. 违规预警整改逾期. */
  label: string;
  /** One Chinese sentence with the figures, e.g. "1 条违规预警整改已逾期，最长逾期 12 天". */
  text: string;
  points: number;
}

export interface RiskScore {
  schoolCode: string;
  schoolName: string;
  township: string;
  score: number;
  band: RiskBand;
  /** Reasons with points, most points first. */
  reasons: RiskReason[];
  /** Date of the last visit on or before asOf, "YYYY-MM-DD"; null when never visited. */
  lastVisit: string | null;
}

export interface RiskOptions {
  /** The day the plan is judged on, "YYYY-MM-DD"; see the module comment for the default. */
  asOf?: string;
  now?: Date;
}

interface RiskRow {
  school_code: string;
  school_name: string;
  township: string;
  open_flags: number | null;
  overdue_flags: number | null;
  max_days_overdue: number | null;
  open_doubts: number | null;
  complaints: number | null;
  sat_month: string | null;
  sat_score: number | null;
  sat_prev_month: string | null;
  sat_prev_score: number | null;
  part_month: string | null;
  participants: unknown;
  enrolled: unknown;
  part_prev_month: string | null;
  prev_participants: unknown;
  prev_enrolled: unknown;
  gap_groups: string[] | null;
  last_visit: string | null;
  [column: string]: unknown;
}

/** The last day of a month, "YYYY-MM-DD". */
function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

/** The day a month's plan is judged on (see the module comment). */
export function planDate(month: string, now: Date = new Date()): string {
  const today = currentDate(now);
  const end = monthEnd(month);
  return end < today ? end : today;
}

/** Whole months from `from` to `to` ("YYYY-MM-DD"): 2026-07-03 → 2026-11-02 is 3. */
export function wholeMonths(from: string, to: string): number {
  const months = monthsBetween(from.slice(0, 7), to.slice(0, 7));
  return Math.max(0, Number(to.slice(8, 10)) < Number(from.slice(8, 10)) ? months - 1 : months);
}

/** The band of a score: ≥ bands.high is HIGH, ≥ bands.medium is MEDIUM, else LOW. */
export function riskBand(score: number, bands: PolicyVersion['visit_plan']['bands']): RiskBand {
  if (score >= bands.high) return 'HIGH';
  return score >= bands.medium ? 'MEDIUM' : 'LOW';
}

/** SQL truth of "the group `column` lags by more than the policy's points" (see priority-gap.ts). */
function gapBeyondSql(column: string, points: number, minGroup: number) {
  const ge = sql.ref(`p.${column}_enrolled`);
  const gp = sql.ref(`p.${column}_participants`);
  return sql`p.enrolled > 0 AND ${ge} >= ${minGroup}
    AND (100 * (p.participants::HUGEINT * ${ge} - ${gp}::HUGEINT * p.enrolled))::DECIMAL(38, 6)
      > ${points}::DECIMAL(18, 6) * (p.enrolled::HUGEINT * ${ge})`;
}

function gapGroupsSql(version: PolicyVersion) {
  const { max_gap_points: points, min_group_enrolled: minGroup } = version.priority_gap;
  if (points === null) return sql`[]::VARCHAR[]`;
  const cases = PRIORITY_GROUPS.map(
    (g) => sql`CASE WHEN ${gapBeyondSql(g.column, points, minGroup)} THEN ${g.column} END`,
  );
  return sql`list_filter([${sql.join(cases)}]::VARCHAR[], x -> x IS NOT NULL)`;
}

async function riskRows(
  db: Kysely<Database>,
  version: PolicyVersion,
  month: string,
  schoolCodes: readonly string[] | null,
  asOf: string,
): Promise<RiskRow[]> {
  const plan = version.visit_plan;
  const firstComplaintMonth = addMonths(month, 1 - plan.complaint_months);
  const only =
    schoolCodes === null ? sql`` : sql`AND s.school_code IN (${sql.join([...schoolCodes])})`;
  const groupColumns = PRIORITY_GROUPS.flatMap((g) => [
    sql.raw(`p.${g.column}_enrolled`),
    sql.raw(`p.${g.column}_participants`),
  ]);
  const result = await sql<RiskRow>`WITH sch AS (
      SELECT s.school_code, s.school_name, s.township FROM schools s
      WHERE (s.valid_from IS NULL OR s.valid_from::DATE <= ${monthEnd(month)}::DATE)
        AND (s.valid_to IS NULL OR s.valid_to::DATE > ${`${month}-01`}::DATE) ${only}),
    fl AS (
      SELECT f.school_code, count(*)::INTEGER AS open_flags,
        count(*) FILTER (WHERE ${flagOverdueSql(asOf)})::INTEGER AS overdue_flags,
        max(${flagDaysOverdueSql(asOf)})::INTEGER AS max_days_overdue
      FROM flags f JOIN sch ON sch.school_code = f.school_code
      WHERE ${flagOpenSql()} AND (f.month IS NULL OR f.month <= ${month})
      GROUP BY f.school_code),
    dq AS (
      SELECT d.school_code, count(*)::INTEGER AS open_doubts
      FROM data_doubts d JOIN sch ON sch.school_code = d.school_code
      WHERE d.status IN (${sql.join([...OPEN_DOUBT_STATUSES])}) AND d.month <= ${month}
      GROUP BY d.school_code),
    cp AS (
      SELECT c.school_code, count(*)::INTEGER AS complaints
      FROM complaints c JOIN sch ON sch.school_code = c.school_code
      WHERE c.month BETWEEN ${firstComplaintMonth} AND ${month}
        AND c.received_on::DATE <= ${asOf}::DATE AND c.substantiated IS DISTINCT FROM FALSE
      GROUP BY c.school_code),
    sat_m AS (
      SELECT r.school_code, r.month, avg(${answerScoreSql('a')})::DOUBLE AS score
      FROM survey_responses r JOIN sch ON sch.school_code = r.school_code
      JOIN ${OVERALL_ANSWERS} a ON a.batch_id = r.batch_id AND a.response_no = r.response_no
      WHERE r.respondent = 'parent' AND r.month <= ${month} AND a.score IS NOT NULL
      GROUP BY r.school_code, r.month),
    sat AS (
      SELECT school_code, month AS sat_month, score AS sat_score,
        lag(month) OVER w AS sat_prev_month, lag(score) OVER w AS sat_prev_score
      FROM sat_m WINDOW w AS (PARTITION BY school_code ORDER BY month)
      QUALIFY row_number() OVER (PARTITION BY school_code ORDER BY month DESC) = 1),
    part AS (
      SELECT p.school_code, p.month AS part_month, p.participants, p.enrolled,
        lag(p.month) OVER w AS part_prev_month, lag(p.participants) OVER w AS prev_participants,
        lag(p.enrolled) OVER w AS prev_enrolled, ${gapGroupsSql(version)} AS gap_groups,
        ${sql.join(groupColumns)}
      FROM participation_monthly p JOIN sch ON sch.school_code = p.school_code
      WHERE p.month <= ${month}
      WINDOW w AS (PARTITION BY p.school_code ORDER BY p.month)
      QUALIFY row_number() OVER (PARTITION BY p.school_code ORDER BY p.month DESC) = 1),
    vis AS (
      SELECT v.school_code, strftime(max(v.visit_date::DATE), '%Y-%m-%d') AS last_visit
      FROM visits v JOIN sch ON sch.school_code = v.school_code
      WHERE v.visit_date::DATE <= ${asOf}::DATE
      GROUP BY v.school_code)
    SELECT sch.school_code, sch.school_name, sch.township, fl.open_flags, fl.overdue_flags,
      fl.max_days_overdue, dq.open_doubts, cp.complaints, sat.sat_month, sat.sat_score,
      sat.sat_prev_month, sat.sat_prev_score, part.* EXCLUDE (school_code), vis.last_visit
    FROM sch
    LEFT JOIN fl ON fl.school_code = sch.school_code
    LEFT JOIN dq ON dq.school_code = sch.school_code
    LEFT JOIN cp ON cp.school_code = sch.school_code
    LEFT JOIN sat ON sat.school_code = sch.school_code
    LEFT JOIN part ON part.school_code = sch.school_code
    LEFT JOIN vis ON vis.school_code = sch.school_code`.execute(db);
  return result.rows;
}

/** One decimal, as the reasons print scores and percentage points. */
function tenth(x: number): string {
  return (Math.round(x * 10) / 10).toFixed(1);
}

function pct(x: number): string {
  return `${tenth(x * 100)}%`;
}

/** Comparisons of drops against thresholds, free of floating-point noise in the last digits. */
const EPSILON = 1e-9;

function reasonsOf(
  row: RiskRow,
  version: PolicyVersion,
  month: string,
  asOf: string,
): RiskReason[] {
  const plan = version.visit_plan;
  const w = plan.weights;
  const out: RiskReason[] = [];
  const add = (code: RiskReasonCode, points: number, text: string) => {
    if (points > 0) out.push({ code, label: riskReasonLabel(code), text, points });
  };

  const overdue = int(row.overdue_flags);
  if (overdue > 0)
    add(
      'OVERDUE_FLAG',
      overdue * w.overdue_flag,
      `${overdue} 条违规预警整改已逾期，最长逾期 ${int(row.max_days_overdue)} 天`,
    );
  const open = int(row.open_flags);
  if (open > 0) add('OPEN_FLAG', open * w.open_flag, `有 ${open} 条违规预警未办结`);

  const complaints = int(row.complaints);
  if (complaints > 0) {
    const from = addMonths(month, 1 - plan.complaint_months);
    add(
      'COMPLAINT',
      complaints * w.complaint,
      `${monthZh(from)}至${monthZh(month)}收到投诉举报 ${complaints} 件`,
    );
  }

  const sat = num(row.sat_score);
  const satPrev = num(row.sat_prev_score);
  if (sat !== null && satPrev !== null && satPrev - sat >= plan.satisfaction_drop_points - EPSILON)
    add(
      'SATISFACTION_DROP',
      w.satisfaction_drop,
      `家长满意度${monthZh(row.sat_month as string)}为 ${tenth(sat)} 分，较${monthZh(row.sat_prev_month as string)}的 ${tenth(satPrev)} 分下降 ${tenth(satPrev - sat)} 分`,
    );

  const partRate = rate(num(row.participants), num(row.enrolled));
  const prevRate = rate(num(row.prev_participants), num(row.prev_enrolled));
  if (
    partRate !== null &&
    prevRate !== null &&
    (prevRate - partRate) * 100 >= plan.participation_drop_points - EPSILON
  )
    add(
      'PARTICIPATION_DROP',
      w.participation_drop,
      `学生参与率${monthZh(row.part_month as string)}为 ${pct(partRate)}，较${monthZh(row.part_prev_month as string)}的 ${pct(prevRate)} 下降 ${tenth((prevRate - partRate) * 100)} 个百分点`,
    );

  const gaps = PRIORITY_GROUPS.filter((g) => (row.gap_groups ?? []).includes(g.column));
  if (gaps.length > 0 && partRate !== null) {
    const groups = gaps.map((g) => {
      const groupRate = rate(
        num(row[`${g.column}_participants`]),
        num(row[`${g.column}_enrolled`]),
      );
      return `${g.zh}参与率 ${pct(groupRate ?? 0)}`;
    });
    add(
      'PRIORITY_GAP',
      gaps.length * w.priority_gap,
      `${monthZh(row.part_month as string)}${groups.join('、')}，低于全校 ${pct(partRate)} 超过 ${version.priority_gap.max_gap_points} 个百分点`,
    );
  }

  const doubts = int(row.open_doubts);
  if (doubts > 0) add('OPEN_DOUBT', doubts * w.open_doubt, `有 ${doubts} 个数据疑点待核实或待更正`);

  if (row.last_visit === null)
    add(
      'UNVISITED',
      plan.max_unvisited_months * w.month_unvisited,
      `没有走访记录（按 ${plan.max_unvisited_months} 个月计）`,
    );
  else {
    const months = wholeMonths(row.last_visit, asOf);
    const counted = Math.min(months, plan.max_unvisited_months);
    add(
      'UNVISITED',
      counted * w.month_unvisited,
      `上次走访为 ${row.last_visit}，距今 ${months} 个月${months > counted ? `（按 ${counted} 个月计）` : ''}`,
    );
  }

  const order = (code: RiskReasonCode) => RISK_REASONS.findIndex((r) => r.code === code);
  return out.sort((a, b) => b.points - a.points || order(a.code) - order(b.code));
}

/**
 * Risk scores of `schoolCodes` (null: every school existing in the month) in `month`, most
 * at risk first (ties by school code). Callers scope the codes; this reads what it is given.
 */
export async function riskScores(
  db: Kysely<Database>,
  policy: DistrictPolicy,
  month: string,
  schoolCodes: readonly string[] | null,
  options: RiskOptions = {},
): Promise<RiskScore[]> {
  if (schoolCodes !== null && schoolCodes.length === 0) return [];
  const version = policyFor(policy, month);
  const asOf = options.asOf ?? planDate(month, options.now);
  const rows = await riskRows(db, version, month, schoolCodes, asOf);
  const scores = rows.map((row): RiskScore => {
    const reasons = reasonsOf(row, version, month, asOf);
    const score = reasons.reduce((sum, r) => sum + r.points, 0);
    return {
      schoolCode: row.school_code,
      schoolName: row.school_name,
      township: row.township,
      score,
      band: riskBand(score, version.visit_plan.bands),
      reasons,
      lastVisit: row.last_visit,
    };
  });
  return scores.sort(
    (a, b) =>
      b.score - a.score || (a.schoolCode < b.schoolCode ? -1 : a.schoolCode > b.schoolCode ? 1 : 0),
  );
}

/** The same scores keyed by school code, for callers joining them to their own rows. */
export async function riskScoresBySchool(
  db: Kysely<Database>,
  policy: DistrictPolicy,
  month: string,
  schoolCodes: readonly string[] | null,
  options: RiskOptions = {},
): Promise<Map<string, RiskScore>> {
  const scores = await riskScores(db, policy, month, schoolCodes, options);
  return new Map(scores.map((s) => [s.schoolCode, s]));
}
