/**
 * The shape of an evaluation scheme file (考核方案), validated with zod, and what can be
 * measured of a school (MEASURE_KEYS). The measure keys live here, in the kernel, because a
 * scheme names them and the kernel imports nothing above it; the evaluation seam
 * (server/graphql/evaluation/evaluation.types.ts) re-exports them.
 */
import { z } from 'zod';

/**
 * What can be measured of a school over a period; a scheme's indicator names one of
 * these as its `measure`. Each is defined once, in the measuring SQL. Rates are fractions
 * 0..1, satisfaction a score 0..100 (MEASURE_RANGES).
 *
 * - coverage: service months with a report showing service / service months of the period
 * - five_plus_two: reported service months meeting 5+2 / reported service months
 * - participation: participants / enrolled (sums over the period's service months)
 * - demand_met: participants / applicants
 * - priority_equity: the worst priority-group gap (group rate − overall rate), over groups
 *   with enough pupils (policy priority_gap.min_group_enrolled); 0 or positive is equitable.
 *   A difference of rates, so a fraction: −0.12 is 12 percentage points below
 * - satisfaction: parents' mean overall score 0..100 over answers submitted in the period
 * - timeliness: service months reported by the deadline / service months of the period
 * - data_quality: rejected rows of the school's units / (loaded + rejected rows) in the period
 * - rectification_on_time: flags whose rectification deadline fell in the period and were
 *   rectified by it / flags with such a deadline
 * - visit_findings: the period's visits without a finding (flag) / visits
 */
export const MEASURE_KEYS = [
  'coverage',
  'five_plus_two',
  'participation',
  'demand_met',
  'priority_equity',
  'satisfaction',
  'timeliness',
  'data_quality',
  'rectification_on_time',
  'visit_findings',
] as const;
export type MeasureKey = (typeof MEASURE_KEYS)[number];

/**
 * The values a measure can take, so a scheme written in percent ("full: 85" for a rate
 * 0..1) is rejected instead of scoring every school 0.
 */
export const MEASURE_RANGES: Readonly<Record<MeasureKey, readonly [number, number]>> = {
  coverage: [0, 1],
  five_plus_two: [0, 1],
  participation: [0, 1],
  demand_met: [0, 1],
  priority_equity: [-1, 1],
  satisfaction: [0, 100],
  timeliness: [0, 1],
  data_quality: [0, 1],
  rectification_on_time: [0, 1],
  visit_findings: [0, 1],
};

export const BAND_KEYS = ['excellent', 'good', 'pass', 'fail'] as const;
export type BandKey = (typeof BAND_KEYS)[number];

export const SEVERITY_KEYS = ['serious', 'major', 'minor'] as const;
export type SeverityKey = (typeof SEVERITY_KEYS)[number];

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/u, '月份格式应为 YYYY-MM / expected YYYY-MM');

/** A flag code of flag-catalogue.yaml (SAFETY_INCIDENT) or one of its rules (NOT_OFFERED.no_service). */
const flagKey = z
  .string()
  .regex(
    /^[A-Z_]+(\.[a-z_0-9]+)?$/u,
    '应为违规代码或规则（如 SAFETY_INCIDENT、NOT_OFFERED.no_service） / expected a flag code or rule id',
  );

/** One step of a thresholds rule: value ≥ min (or ≤ max) earns `points`; the best step met counts. */
const stepSchema = z
  .object({
    min: z.number().optional(),
    max: z.number().optional(),
    points: z.number().min(0),
  })
  .strict();

export const indicatorSchema = z
  .object({
    /** 中文 name shown to users. */
    name: z.string().min(1),
    /** One of MEASURE_KEYS (checked with a clear message in evaluation-scheme.ts). */
    measure: z.string().min(1),
    /** The indicator's maximum points; the weights of a version sum to its max_score. */
    weight: z.number().positive(),
    /** Fewer observations than this (Measured.base) and the indicator is 数据不足. */
    min_base: z.number().int().min(0).default(1),
    thresholds: z.array(stepSchema).min(1).optional(),
    /** Points rise in a straight line from `zero` (0 points) to `full` (all the weight). */
    linear: z.object({ zero: z.number(), full: z.number() }).strict().optional(),
  })
  .strict();

export const severitySchema = z
  .object({
    /** 中文, e.g. 严重违规. */
    name: z.string().min(1),
    points_per_flag: z.number().positive(),
    /** Most points this severity takes off; null: no cap of its own. */
    cap: z.number().min(0).nullable(),
    codes: z.array(flagKey).min(1),
  })
  .strict();

export const vetoSchema = z
  .object({
    /** 中文, e.g. 发生安全责任事故. */
    reason: z.string().min(1),
    /** Flags needed for the veto (a dismissed flag is not counted: that is the "good reason"). */
    min_flags: z.number().int().min(1).default(1),
  })
  .strict();

export const schemeParametersSchema = z
  .object({
    max_score: z.number().positive().max(1000),
    /**
     * A school whose measurable indicators carry less than this share of max_score has too
     * little data to be graded on: its grade is at most `too_little_data_best_grade`.
     */
    min_measured_share: z.number().min(0).max(1),
    too_little_data_best_grade: z.enum(BAND_KEYS),
    indicators: z.record(z.string().regex(/^[a-z_0-9]+$/u), indicatorSchema),
    deductions: z
      .object({
        /** Most points all deductions together take off; null: none beyond the severities'. */
        cap: z.number().min(0).nullable(),
        severities: z
          .object({
            serious: severitySchema.nullable().optional(),
            major: severitySchema.nullable().optional(),
            minor: severitySchema.nullable().optional(),
          })
          .strict(),
      })
      .strict(),
    /** 一票否决: flag code or rule id → the reason shown with grade 不合格. */
    vetoes: z.record(flagKey, vetoSchema),
    /** Lower bounds of the grades: score ≥ excellent is 优秀, and so on; below pass 不合格. */
    bands: z.object({ excellent: z.number(), good: z.number(), pass: z.number() }).strict(),
    /** At most this share of the schools evaluated together is 优秀; null: no cap. */
    excellent_share_cap: z.number().gt(0).max(1).nullable(),
  })
  .strict();

export type SchemeParameters = z.infer<typeof schemeParametersSchema>;
export type SchemeIndicator = z.infer<typeof indicatorSchema>;
export type SchemeSeverity = z.infer<typeof severitySchema>;

/** A version as written in the file: its identity plus the parameters it sets or changes. */
export const rawSchemeVersionSchema = z
  .object({
    version: z.string().min(1),
    effective_from: month,
    /** The document this version implements (文件名称及文号). */
    source: z.string().min(1),
    note: z.string().optional(),
  })
  .catchall(z.unknown());

export const rawSchemeSchema = z
  .object({
    /** e.g. 清河县义务教育学校课后服务年度考核方案. */
    name: z.string().min(1),
    versions: z.array(rawSchemeVersionSchema).min(1, '至少需要一个版本 / at least one version'),
  })
  .strict();
