/**
 * The synthetic nation of `npm run bench -- national`: set-based DuckDB SELECTs that give
 * every exported table the aggregates read, for any set of districts, deterministically
 * (every "random" number is a hash of the row's keys). The same SELECT, narrowed to one
 * district, builds that district's tables independently of the Parquet tree, which is how
 * the benchmark checks the national figures.
 *
 * Shapes: 200 districts with 1,200–2,299 schools each (sized so 12 months give the issue's
 * ~24 M grade rows: a prefecture-level city's schools rather than a county's): 60 % primary
 * (grades 1–6), 25 % junior (7–9), 15 % nine-year (1–9); 20–139 pupils a grade; applicants
 * 60–100 % of them and participants nearly all applicants; priority groups up to 30 %
 * (left-behind), 20 % (migrant), 3 % (disabled), 15 % (hardship) of a grade, their
 * participation a little below the grade's; one school in a hundred opens in the year and
 * one closes; one monthly report per school-month (1 % offer no service, some short of 5+2,
 * some late); 0–2 survey respondents per school-month answering the overall item and one
 * more; violation flags on about 3 % of school-months.
 */
import { DEADLINE_STATUS, FLAG_STATUS_VOCABULARY } from '../../server/db/flag-statuses.ts';
import { monthSequence, semesterStart } from '../../server/db/calendar.ts';
import { monthRules } from '../../server/policy/month-rules.ts';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import { PROVINCE_PREFIXES } from '../../server/policy/policy.schema.ts';

/** The school year simulated: 12 months, every one with rows (the policy says which serve). */
export const NATIONAL_MONTHS = monthSequence('2024-09', '2025-08');

/** The date overdue flags are judged on (districts.as_of_date). */
export const NATIONAL_AS_OF = '2025-09-15';

/** Mainland provinces only (the 7x/8x codes are 台湾, 香港, 澳门). */
const PROVINCES = [...PROVINCE_PREFIXES].filter((p) => Number(p) < 70);

/** `count` distinct county-level 行政区划代码 (province, city, county), none ending in 00. */
export function districtCodes(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const province = PROVINCES[i % PROVINCES.length] as string;
    const city = String(1 + Math.floor(i / PROVINCES.length)).padStart(2, '0');
    const county = String(1 + (i % 30)).padStart(2, '0');
    return `${province}${city}${county}`;
  });
}

const q = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** A number in [0, n) from the hash of `keys` and a salt: the generator's dice. */
const dice = (n: number, salt: string, ...keys: string[]) =>
  `CAST(hash(${[...keys, q(salt)].join(', ')}) % ${n} AS INTEGER)`;

export interface NationalSelects {
  districts: string;
  district_months: string;
  flag_statuses: string;
  schools: string;
  load_batches: string;
  monthly_reports: string;
  participation: string;
  participation_monthly: string;
  survey_items: string;
  survey_responses: string;
  survey_answers: string;
  flags: string;
}

/** The SELECTs of every table for the districts `codes`, all months. */
export function nationalSelects(codes: readonly string[], policy: DistrictPolicy): NationalSelects {
  const districtList = `(VALUES ${codes.map((c) => `(${q(c)})`).join(', ')}) AS d(district)`;
  const monthList = `(VALUES ${NATIONAL_MONTHS.map((m, i) => `(${q(m)}, ${i})`).join(', ')}) AS mo(month, month_no)`;
  const monthRows = NATIONAL_MONTHS.map((month) => {
    const rules = monthRules(policy, month);
    return `(${q(month)}, ${q(rules.version.version)}, ${rules.serviceMonth}, ${rules.version.service.min_daily_minutes}, ${rules.requiredDayShare}, CAST(${q(rules.reportDueAt)} AS TIMESTAMPTZ), ${q(semesterStart(month))}, CAST(${q(`${month}-01`)} AS DATE))`;
  }).join(', ');
  const schoolsBase = `SELECT d.district, d.district || lpad(CAST(i AS VARCHAR), 4, '0') AS school_code, i
    FROM ${districtList}, range(1200 + ${dice(1100, 'size', 'd.district')}) AS r(i)`;
  // Stage by dice: 0–59 primary, 60–84 junior, 85–99 nine-year.
  const stageDice = dice(100, 'stage', 's.school_code');
  const schools = `SELECT s.district, s.school_code,
      '学校' || s.school_code AS school_name,
      '乡镇' || CAST(s.i % 20 AS VARCHAR) AS township,
      CASE WHEN ${stageDice} < 60 THEN 'primary' WHEN ${stageDice} < 85 THEN 'junior' ELSE 'nine_year' END AS stage,
      CASE ${dice(3, 'loc', 's.school_code')} WHEN 0 THEN 'urban' WHEN 1 THEN 'town' ELSE 'rural' END AS locality,
      'public' AS ownership,
      ${dice(10, 'remote', 's.school_code')} = 0 AS remote,
      CAST(10 + ${dice(90, 'teachers', 's.school_code')} AS INTEGER) AS teachers_total,
      CASE WHEN ${dice(100, 'open', 's.school_code')} = 0
        THEN CAST('2025-0' || CAST(1 + ${dice(6, 'openm', 's.school_code')} AS VARCHAR) || '-15' AS DATE) END AS valid_from,
      CASE WHEN ${dice(100, 'open', 's.school_code')} = 1
        THEN CAST('2025-0' || CAST(1 + ${dice(6, 'closem', 's.school_code')} AS VARCHAR) || '-01' AS DATE) END AS valid_to
    FROM (${schoolsBase}) s`;
  const schoolMonths = `SELECT s.*, mo.month, mo.month_no FROM (${schools}) s, ${monthList}`;
  const grades = `SELECT sm.district, sm.school_code, sm.month, sm.month_no, CAST(g AS TINYINT) AS grade
    FROM (${schoolMonths}) sm, range(1, 10) AS gr(g)
    WHERE (sm.stage = 'primary' AND g <= 6) OR (sm.stage = 'junior' AND g >= 7) OR sm.stage = 'nine_year'`;
  const k = ['x.school_code', 'x.month', 'CAST(x.grade AS VARCHAR)'];
  const enrolled = `(20 + ${dice(120, 'enrolled', ...k)})`;
  const applicants = `CAST(${enrolled} * (60 + ${dice(41, 'apply', ...k)}) / 100 AS INTEGER)`;
  const participation = `SELECT y.district, y.school_code, y.month, y.grade, y.enrolled, y.applicants,
      y.applicants - CASE WHEN y.short = 0 THEN 2 ELSE 0 END AS participants,
      y.lb_e AS left_behind_enrolled, CAST(y.lb_e * 9 / 10 AS INTEGER) AS left_behind_participants,
      y.mi_e AS migrant_enrolled, CAST(y.mi_e * 8 / 10 AS INTEGER) AS migrant_participants,
      y.di_e AS disabled_enrolled, CAST(y.di_e / 2 AS INTEGER) AS disabled_participants,
      y.po_e AS poor_enrolled, CAST(y.po_e * 7 / 10 AS INTEGER) AS poor_participants,
      CASE WHEN y.no5 = 0 THEN NULL ELSE CAST(y.applicants * 7 / 10 AS INTEGER) END AS five_day_participants,
      1 + y.month_no AS batch_id
    FROM (SELECT x.*,
        ${enrolled} AS enrolled, GREATEST(${applicants}, 2) AS applicants,
        ${dice(10, 'short', ...k)} AS short, ${dice(20, 'no5', ...k)} AS no5,
        CAST(${enrolled} * ${dice(31, 'lb', ...k)} / 100 AS INTEGER) AS lb_e,
        CAST(${enrolled} * ${dice(21, 'mi', ...k)} / 100 AS INTEGER) AS mi_e,
        CAST(${enrolled} * ${dice(4, 'di', ...k)} / 100 AS INTEGER) AS di_e,
        CAST(${enrolled} * ${dice(16, 'po', ...k)} / 100 AS INTEGER) AS po_e
      FROM (${grades}) x) y`;
  const r = ['sm.school_code', 'sm.month'];
  const monthlyReports = `SELECT sm.district, sm.school_code, sm.month,
      20 AS school_days,
      CASE WHEN ${dice(100, 'offer', ...r)} = 0 THEN 0 WHEN ${dice(10, 'days', ...r)} = 0 THEN 17 ELSE 20 END AS service_days,
      CASE WHEN ${dice(8, 'mins', ...r)} = 0 THEN 100 ELSE 120 END AS daily_minutes,
      CAST(sm.teachers_total * (50 + ${dice(50, 'tserve', ...r)}) / 100 AS INTEGER) AS teachers_serving,
      ${dice(4, 'ext', ...r)} AS external_staff,
      ${dice(3, 'prov', ...r)} AS providers,
      CASE WHEN ${dice(30, 'unappr', ...r)} = 0 THEN 1 ELSE 0 END AS providers_unapproved,
      1 + sm.month_no AS batch_id
    FROM (${schoolMonths}) sm`;
  // One file a month per district; one district in ten loads it after the deadline (day 5).
  const loadBatches = `SELECT d.district, 1 + mo.month_no AS batch_id, 'report' AS kind,
      '月报-' || mo.month || '.xlsx' AS file_name,
      CAST(mo.month || '-01 12:00:00+08' AS TIMESTAMPTZ) + INTERVAL 1 MONTH
        + (CASE WHEN ${dice(10, 'late', 'd.district', 'mo.month')} = 0 THEN INTERVAL 6 DAY ELSE INTERVAL 2 DAY END) AS loaded_at
    FROM ${districtList}, ${monthList}`;
  const surveyBatch = (alias: string) => `100 + ${alias}.month_no`;
  const surveyItems = `SELECT d.district, ${surveyBatch('mo')} AS batch_id, item_no,
      CASE item_no WHEN 1 THEN '1.您对学校课后服务总体是否满意？' ELSE '2.您对课后服务的课程内容是否满意？' END AS item_text,
      item_no = 1 AS is_overall
    FROM ${districtList}, ${monthList}, range(1, 3) AS it(item_no)`;
  const responses = `SELECT sm.district, ${surveyBatch('sm')} AS batch_id,
      CAST(CAST(substr(sm.school_code, 7, 4) AS INTEGER) * 2 + n AS INTEGER) AS response_no, sm.school_code,
      CASE WHEN ${dice(3, 'who', ...r, 'CAST(n AS VARCHAR)')} = 0 THEN 'student' ELSE 'parent' END AS respondent,
      sm.month
    FROM (${schoolMonths}) sm, range(2) AS rn(n)
    WHERE n < ${dice(3, 'responses', ...r)}`;
  const ak = [
    'rs.school_code',
    'rs.month',
    'CAST(rs.response_no AS VARCHAR)',
    'CAST(item_no AS VARCHAR)',
  ];
  // One answer in twenty left blank (no row), as questionnaire exports have them.
  const answers = `SELECT rs.district, rs.batch_id, rs.response_no, CAST(item_no AS INTEGER) AS item_no,
      CAST(1 + LEAST(4, ${dice(6, 'score', ...ak)}) AS TINYINT) AS score
    FROM (${responses}) rs, range(1, 3) AS it(item_no)
    WHERE ${dice(20, 'blank', ...ak)} <> 0`;
  const statuses = FLAG_STATUS_VOCABULARY.map((s) => q(s.status));
  const flags = `SELECT sm.district, CAST(row_number() OVER (PARTITION BY sm.district ORDER BY sm.school_code, sm.month) AS BIGINT) AS flag_id,
      sm.school_code, sm.month,
      [${['SHORT_SERVICE', 'LATE_END', 'PRIORITY_GAP', 'ILLEGAL_FEES', 'NOT_OFFERED'].map(q).join(', ')}][1 + ${dice(5, 'code', ...r)}] AS code,
      [${statuses.join(', ')}][1 + ${dice(statuses.length, 'status', ...r)}] AS status,
      CAST(sm.month || '-28' AS DATE) + INTERVAL (${dice(400, 'deadline', ...r)}) DAY AS rectify_deadline
    FROM (${schoolMonths}) sm
    WHERE ${dice(33, 'flag', ...r)} = 0`;
  return {
    districts: `SELECT d.district, '模拟区县' || d.district AS district_name,
        CAST(${q(NATIONAL_AS_OF)} AS DATE) AS as_of_date FROM ${districtList}`,
    district_months: `SELECT d.district, m.*, last_day(m.month_start) AS month_end
      FROM ${districtList}, (VALUES ${monthRows}) AS m(month, policy_version, service_month,
        min_daily_minutes, required_day_share, report_due, window_start, month_start)`,
    flag_statuses: `SELECT d.district, v.* FROM ${districtList}, (VALUES ${FLAG_STATUS_VOCABULARY.map(
      (s) => `(${q(s.status)}, ${q(s.label)}, ${s.open}, ${s.status === DEADLINE_STATUS})`,
    ).join(', ')}) AS v(status, label, is_open, deadline_runs)`,
    schools,
    load_batches: loadBatches,
    monthly_reports: monthlyReports,
    participation,
    participation_monthly: rollupOf(`(${participation})`),
    survey_items: surveyItems,
    survey_responses: responses,
    survey_answers: answers,
    flags,
  };
}

/** participation_monthly from an already written participation table or view. */
export function rollupOf(participation: string): string {
  return `SELECT district, school_code, month,
      CAST(count(*) AS INTEGER) AS grades,
      sum(enrolled) AS enrolled, sum(applicants) AS applicants, sum(participants) AS participants,
      sum(left_behind_enrolled) AS left_behind_enrolled, sum(left_behind_participants) AS left_behind_participants,
      sum(migrant_enrolled) AS migrant_enrolled, sum(migrant_participants) AS migrant_participants,
      sum(disabled_enrolled) AS disabled_enrolled, sum(disabled_participants) AS disabled_participants,
      sum(poor_enrolled) AS poor_enrolled, sum(poor_participants) AS poor_participants,
      sum(five_day_participants) AS five_day_participants,
      sum(participants) FILTER (WHERE five_day_participants IS NOT NULL) AS five_day_base
    FROM ${participation} GROUP BY district, school_code, month`;
}

/** Tables with a month partition in the tree (the others are by district only). */
export const MONTHLY_TABLES = new Set([
  'monthly_reports',
  'participation',
  'participation_monthly',
  'survey_responses',
  'flags',
]);
