/**
 * Semester filing flags (学期备案), judged per school and semester and kept on the
 * semester's first month (flags are keyed by school-month; "2025-09" stands for
 * 2025-2026学年第一学期):
 *  - PLAN_NOT_FILED.late: no 一校一案 filed by filings.plan_due_days after the first school
 *    day (a plan filed late keeps the flag: the rule is the deadline);
 *  - NO_DEMAND_SURVEY.missing: fewer than filings.min_demand_surveys 需求征询 once
 *    filings.survey_due_days have passed (a survey filed later resolves it);
 *  - FEE_FILINGS.unpublished / .no_refunds: fees charged (the fee filing says so, or the
 *    plan's fee per period is above 0) without publicity before the first fee, or without
 *    refunds by days of absence, once filings.fees_due_days have passed;
 *  - ILLEGAL_ALLOWANCES.filed_pay / .filed_performance / .filed_subsidy: the latest pay
 *    filing over a cap (server/policy/filing-checks.ts, the deviations the form shows).
 * A returned (退回) filing counts as not filed; a semester without any filing of any school
 * is not judged (it predates the district's use of filings). The evidence goes through mergeFlags like
 * every report rule's, so raising, updating, auto-resolving and reopening are the same.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { shanghaiDateSql, shanghaiInstant } from '../../server/db/calendar.ts';
import type { Stage } from '../../server/db/tables/schools.table.ts';
import {
  dueDate,
  filingDeviations,
  filingSemester,
  type FilingSemester,
} from '../../server/policy/filing-checks.ts';
import { parseFields, type FilingFields } from '../../server/policy/filing-payloads.ts';
import type { DistrictPolicy } from '../../server/policy/policy.ts';
import type { FilingKind } from '../../server/db/tables/semester-filings.table.ts';
import { lit } from '../normalize/sql-text.ts';
import { mergeFlags, type MergeNotes, type MergeResult } from './merge-flags.ts';

/** Every rule the filings judge; their flags in scope without evidence are resolved. */
export const FILING_RULES = [
  'PLAN_NOT_FILED.late',
  'NO_DEMAND_SURVEY.missing',
  'FEE_FILINGS.unpublished',
  'FEE_FILINGS.no_refunds',
  'ILLEGAL_ALLOWANCES.filed_pay',
  'ILLEGAL_ALLOWANCES.filed_performance',
  'ILLEGAL_ALLOWANCES.filed_subsidy',
] as const;

interface Evidence {
  school_code: string;
  rule: string;
  observed: string;
  threshold: string;
  detail: string;
}

interface FiledRow {
  school_code: string;
  kind: FilingKind;
  filed_date: string;
  fields: FilingFields;
}

const passed = (now: Date, date: string): boolean =>
  now.getTime() > shanghaiInstant(date, '23:59:59').getTime();

/** The evidence of one school in one semester (pure: the tests hand-check it). */
export function schoolEvidence(
  schoolCode: string,
  stage: Stage,
  filed: readonly FiledRow[],
  semester: FilingSemester,
  now: Date,
): Evidence[] {
  const rules = semester.version.filings;
  const label = semester.period.label;
  const out: Evidence[] = [];
  const add = (rule: string, observed: string, threshold: string, detail: string) =>
    out.push({ school_code: schoolCode, rule, observed, threshold, detail });
  const ofKind = (kind: FilingKind) => filed.filter((f) => f.kind === kind);
  const latest = (kind: FilingKind) => ofKind(kind).at(-1)?.fields;

  const planDue = dueDate(semester, rules.plan_due_days);
  if (passed(now, planDue)) {
    const first = ofKind('PLAN')[0]?.filed_date ?? null;
    if (first === null || first > planDue)
      add(
        'PLAN_NOT_FILED.late',
        first === null ? '未备案' : `${first} 备案`,
        `截止 ${planDue}`,
        first === null
          ? `${label}一校一案截至 ${planDue} 仍未备案`
          : `${label}一校一案于 ${first} 备案，晚于截止日期 ${planDue}`,
      );
  }

  const surveyDue = dueDate(semester, rules.survey_due_days);
  const surveys = ofKind('SURVEY').length;
  if (passed(now, surveyDue) && surveys < rules.min_demand_surveys)
    add(
      'NO_DEMAND_SURVEY.missing',
      `${surveys} 次`,
      `至少 ${rules.min_demand_surveys} 次`,
      `${label}截至 ${surveyDue} 开展需求征询 ${surveys} 次，少于规定的 ${rules.min_demand_surveys} 次`,
    );

  const feesDue = dueDate(semester, rules.fees_due_days);
  const fees = latest('FEES');
  const plan = latest('PLAN');
  const planFee = plan?.kind === 'PLAN' ? plan.fields.feePerPeriod : 0;
  const charged = fees?.kind === 'FEES' ? fees.fields.charged : planFee > 0;
  if (passed(now, feesDue) && charged) {
    const found =
      fees === undefined
        ? [
            ...(rules.fees_published_before_first_fee ? ['unpublished'] : []),
            ...(rules.refunds_required ? ['no_refunds'] : []),
          ]
        : filingDeviations(fees, semester, { stage, enrolled: null }).map((d) => d.check);
    if (found.includes('unpublished'))
      add(
        'FEE_FILINGS.unpublished',
        fees?.kind === 'FEES' && fees.fields.publishedDate !== null
          ? `${fees.fields.publishedDate} 公示`
          : '未公示',
        fees?.kind === 'FEES' && fees.fields.firstFeeDate !== null
          ? `首次收费 ${fees.fields.firstFeeDate} 前公示`
          : '首次收费前公示',
        `${label}收取课后服务费，未在首次收费前公示`,
      );
    if (found.includes('no_refunds'))
      add(
        'FEE_FILINGS.no_refunds',
        '未备案',
        '按缺勤天数退费',
        `${label}收取课后服务费，未备案按缺勤天数退费办法`,
      );
  }

  const pay = latest('PAY');
  if (pay !== undefined)
    for (const d of filingDeviations(pay, semester, { stage, enrolled: null })) {
      const message = d.message.split(' / ')[0] as string;
      const [observed, threshold] = message.split('，超过上限 ') as [string, string];
      add(`ILLEGAL_ALLOWANCES.${d.check}`, observed, threshold, `${label}备案：${message}`);
    }
  return out;
}

function notes(label: string): MergeNotes {
  return {
    batchId: null,
    raised: `系统核对${label}学期备案后发现`,
    updated: `学期备案更新了证据`,
    resolved: `学期备案补齐后不再显示该问题`,
    reopened: `学期备案再次显示该问题`,
  };
}

/**
 * Judges every school open in the semester "2025-2026-1" by its filings, in the caller's
 * transaction. Null when the text names no semester.
 */
export async function judgeFilingSemester(
  conn: DuckDBConnection,
  policy: DistrictPolicy,
  semesterKey: string,
  now: Date,
): Promise<MergeResult | null> {
  const semester = filingSemester(policy, semesterKey);
  if (semester === null) return null;
  const month = semester.period.months[0] as string;
  const schools = (
    await conn.runAndReadAll(`SELECT school_code, stage FROM schools
      WHERE (valid_to IS NULL OR CAST(valid_to AS DATE) > ${lit(semester.startDate)}::DATE)
        AND (valid_from IS NULL OR CAST(valid_from AS DATE) < ${lit(semester.endDate)}::DATE)
      ORDER BY school_code`)
  ).getRowObjectsJS() as Array<{ school_code: string; stage: Stage }>;
  const rows = (
    await conn.runAndReadAll(`SELECT school_code, kind, payload,
        strftime(${shanghaiDateSql('filed_at')}, '%Y-%m-%d') AS filed_date
      FROM semester_filings
      WHERE semester = ${lit(semesterKey)} AND status <> 'RETURNED'
      ORDER BY filed_at, filing_id`)
  ).getRowObjectsJS() as Array<{
    school_code: string;
    kind: FilingKind;
    payload: string;
    filed_date: string;
  }>;
  const bySchool = new Map<string, FiledRow[]>();
  for (const r of rows) {
    const parsed = parseFields(r.kind, JSON.parse(r.payload) as unknown);
    if (!parsed.ok) continue;
    const list = bySchool.get(r.school_code) ?? [];
    list.push({
      school_code: r.school_code,
      kind: r.kind,
      filed_date: r.filed_date,
      fields: parsed.value,
    });
    bySchool.set(r.school_code, list);
  }
  const disabled = new Set(semester.version.disabled_rules);
  // A semester nobody filed anything for predates the district's use of filings (like
  // MISSING_REPORT before the first report): judging it would flag every school.
  const evidence = (rows.length === 0 ? [] : schools)
    .flatMap((s) =>
      schoolEvidence(s.school_code, s.stage, bySchool.get(s.school_code) ?? [], semester, now),
    )
    .filter((e) => !disabled.has(e.rule) && !disabled.has(e.rule.split('.')[0] as string));
  const values =
    evidence.length === 0
      ? `SELECT NULL::VARCHAR AS school_code, NULL::VARCHAR AS rule, NULL::VARCHAR AS observed,
          NULL::VARCHAR AS threshold, NULL::VARCHAR AS detail WHERE FALSE`
      : `SELECT * FROM (VALUES ${evidence
          .map(
            (e) =>
              `(${[e.school_code, e.rule, e.observed, e.threshold, e.detail].map(lit).join(', ')})`,
          )
          .join(', ')}) AS v(school_code, rule, observed, threshold, detail)`;
  try {
    await conn.run(`CREATE OR REPLACE TEMP TABLE flag_scope AS
      SELECT school_code, ${lit(month)} AS month, NULL::INTEGER AS batch_id FROM schools
      UNION SELECT school_code, month, NULL::INTEGER FROM flags
      WHERE source = 'report' AND month = ${lit(month)}
        AND rule IN (${FILING_RULES.map(lit).join(', ')})`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE filing_evidence AS ${values}`);
    return await mergeFlags(conn, {
      rules: FILING_RULES,
      evidence: `SELECT school_code, ${lit(month)} AS month, split_part(rule, '.', 1) AS code, rule,
          NULL::INTEGER AS scope_batch, observed, threshold, detail,
          ${lit(semester.version.version)} AS policy_version, NULL::INTEGER AS batch_id
        FROM filing_evidence`,
      notes: notes(semester.period.label),
    });
  } finally {
    for (const table of ['flag_scope', 'filing_evidence'])
      await conn.run(`DROP TABLE IF EXISTS temp.${table}`).catch(() => undefined);
  }
}
