/**
 * The structured fields of each semester filing kind (学期备案), validated with zod. The
 * GraphQL inputs (schema/filings.graphql) carry the same fields; the row keeps them as JSON
 * text (migration 0013), and these schemas read them back, so a row another version wrote
 * is never trusted blindly.
 */
import { z } from 'zod';
import type { FilingKind } from '../db/tables/semester-filings.table.ts';

const date = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/u,
    '日期格式应为 YYYY-MM-DD / expected YYYY-MM-DD',
  );
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/u, '时间格式应为 HH:MM / expected HH:MM');
const count = z.number().int().min(0).max(1_000_000);
const money = z.number().min(0).max(100_000_000);

/** 课后服务内容 (domain.md §1): what a plan's periods are spent on. */
export const CONTENT_KINDS = [
  'HOMEWORK',
  'READING',
  'SPORTS',
  'ARTS',
  'SCIENCE',
  'CLUBS',
  'LABOUR',
  'OTHER',
] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];
export const CONTENT_LABEL: Record<ContentKind, string> = {
  HOMEWORK: '作业辅导',
  READING: '阅读',
  SPORTS: '体育',
  ARTS: '艺术',
  SCIENCE: '科普',
  CLUBS: '社团',
  LABOUR: '劳动',
  OTHER: '其他',
};

/** 一校一案: the plan document and the fields the bureau checks against the policy. */
export const planSchema = z
  .object({
    /** The plan file's name or 文号 as filed. */
    document: z.string().trim().min(1).max(200),
    daysPerWeek: z.number().int().min(0).max(7),
    startTime: hhmm,
    endTime: hhmm,
    /** Periods a week per content kind. */
    contentMix: z
      .array(
        z
          .object({ kind: z.enum(CONTENT_KINDS), periodsPerWeek: z.number().min(0).max(100) })
          .strict(),
      )
      .max(CONTENT_KINDS.length),
    teachers: count,
    externalStaff: count,
    /** Third-party providers (第三方机构) brought in. */
    thirdPartyProviders: count,
    /** Fee per student per period (0: free). */
    feePerPeriod: money,
    priorityArrangements: z.string().trim().max(2000),
  })
  .strict();
export type PlanFields = z.infer<typeof planSchema>;

/** 需求征询: one survey run. */
export const surveySchema = z
  .object({
    date,
    respondents: count,
    /** Pupils whose families asked for the service, by grade 1..9. */
    demandByGrade: z
      .array(z.object({ grade: z.number().int().min(1).max(9), demand: count }).strict())
      .max(9),
  })
  .strict();
export type SurveyFields = z.infer<typeof surveySchema>;

/** Service agreements with parents. */
export const agreementSchema = z.object({ signed: count, studentsServed: count }).strict();
export type AgreementFields = z.infer<typeof agreementSchema>;

/** Fee publicity and refunds by days of absence. */
export const feesSchema = z
  .object({
    charged: z.boolean(),
    firstFeeDate: date.nullable(),
    publishedDate: date.nullable(),
    publishedWhere: z.string().trim().max(200).nullable(),
    /** Refund per day of absence; null: no refund rule filed. */
    refundPerAbsentDay: money.nullable(),
  })
  .strict();
export type FeesFields = z.infer<typeof feesSchema>;

/** Teacher pay (补助 per period, 绩效) and subsidy for the semester. */
export const paySchema = z
  .object({
    periods: count,
    teacherPay: money,
    teachers: count,
    performancePay: money,
    studentsServed: count,
    subsidy: money,
  })
  .strict();
export type PayFields = z.infer<typeof paySchema>;

export type FilingFields =
  | { kind: 'PLAN'; fields: PlanFields }
  | { kind: 'SURVEY'; fields: SurveyFields }
  | { kind: 'AGREEMENT'; fields: AgreementFields }
  | { kind: 'FEES'; fields: FeesFields }
  | { kind: 'PAY'; fields: PayFields };

const SCHEMAS = {
  PLAN: planSchema,
  SURVEY: surveySchema,
  AGREEMENT: agreementSchema,
  FEES: feesSchema,
  PAY: paySchema,
} as const;

/** Validated fields of a kind, or the issues (path: message) when they do not fit. */
export function parseFields(
  kind: FilingKind,
  value: unknown,
): { ok: true; value: FilingFields } | { ok: false; issues: string[] } {
  const parsed = SCHEMAS[kind].safeParse(value);
  if (!parsed.success)
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => `${i.path.join('.') || kind}: ${i.message}`),
    };
  return { ok: true, value: { kind, fields: parsed.data } as FilingFields };
}
