/**
 * The shape of a district policy file, validated with zod. Every parameter of domain.md §4
 * has a field here, with the variants the documents show. A version lists only what it
 * changes: it inherits everything else from the version before it (the first version from
 * DEFAULT_PARAMETERS, the national defaults), so a new notice is a short entry.
 */
import { z } from 'zod';

/** Minutes after midnight of a valid "HH:MM". */
export function hhmmToMinutes(text: string): number {
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

const hhmm = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):[0-5]\d$/u,
    '时间格式应为 HH:MM（如 18:00） / expected HH:MM, e.g. 18:00',
  );
const monthNumber = z.number().int().min(1).max(12);
const money = z.number().min(0).max(100000);

/** Latest end time per stage. nine_year and complete schools fall back to junior. */
const stageTimes = z
  .object({
    primary: hhmm.optional(),
    junior: hhmm.optional(),
    nine_year: hhmm.optional(),
    complete: hhmm.optional(),
  })
  .strict();

export const parametersSchema = z
  .object({
    service: z
      .object({
        /** 5 for the national "5+2"; 4 where service runs Monday to Thursday only. */
        days_per_week: z.number().int().min(1).max(5),
        min_daily_minutes: z.number().int().min(0).max(600),
        /** Older rules cap the service ("at most 90 minutes"); null: no cap. */
        max_daily_minutes: z.number().int().min(1).max(600).nullable(),
        /** "At most 2 periods a day"; judged as periods × minutes_per_period. */
        max_daily_periods: z.number().min(0.5).max(10).nullable(),
        minutes_per_period: z.number().int().min(10).max(120),
        /** Months without service (winter and summer breaks): no report is due. */
        no_service_months: z.array(monthNumber),
      })
      .strict(),
    end_time: z
      .object({
        /** Cap: the service ends no later than this, per stage. */
        latest: stageTimes,
        /** Seasonal caps that replace `latest` for their months (e.g. 17:30 in winter). */
        seasons: z.array(
          z
            .object({
              name: z.string().min(1),
              months: z.array(monthNumber).min(1),
              latest: stageTimes,
            })
            .strict(),
        ),
        /** Floor: not earlier than local working hours end (the 5+2 rule); null: none. */
        earliest: hhmm.nullable(),
        /** Evening self-study for junior stages, where allowed: it moves their cap. */
        evening_study: z
          .object({ until: hhmm, max_minutes: z.number().int().min(1).max(300) })
          .strict()
          .nullable(),
      })
      .strict(),
    homework: z
      .object({
        max_periods_per_day: z.number().min(0).max(10),
        written_forbidden_grades_1_2: z.boolean(),
      })
      .strict(),
    groups: z
      .object({
        max_size: z.number().int().min(1).max(200),
        /** Q&A groups under this size are merged (recorded, not checkable from reports). */
        merge_below: z.number().int().min(1).max(200).nullable(),
      })
      .strict(),
    fees: z
      .object({
        /** Caps per student; 0 per period means free. null: no cap of that kind. */
        caps: z
          .object({
            per_period: money.nullable(),
            per_day: money.nullable(),
            per_month: money.nullable(),
            per_semester: money.nullable(),
          })
          .strict(),
        /** What families with a fee waiver pay: nothing, or half the fee. */
        waived_families: z.enum(['free', 'half']),
        /** Fees charged must be published (收费公示). */
        must_publish: z.boolean(),
      })
      .strict(),
    teacher_pay: z.object({ max_per_period: money.nullable() }).strict(),
    providers: z.object({ third_party_allowed: z.boolean() }).strict(),
    participation: z
      .object({
        /** "愿留尽留": demand met below this share raises NOT_OFFERED; null: not judged. */
        min_demand_met_rate: z.number().min(0).max(1).nullable(),
      })
      .strict(),
    priority_gap: z
      .object({
        /** A group this many percentage points below the school's rate is under-served. */
        max_gap_points: z.number().min(0).max(100).nullable(),
        /** Groups smaller than this are not judged (one child moves a small group's rate). */
        min_group_enrolled: z.number().int().min(1),
      })
      .strict(),
    reports: z
      .object({
        /** Monthly reports are due by this day of the next month, 23:59:59 Asia/Shanghai. */
        deadline_day: z.number().int().min(1).max(28),
      })
      .strict(),
    flags: z
      .object({
        /** A flag still open this many days after the month it is about is 长期未销号 (report findings). */
        long_open_days: z.number().int().min(1).max(3650),
      })
      .strict(),
    /**
     * Data doubts (数据疑点, etl/doubts/): when a figure is implausible enough to ask the
     * school. Doubts are not violations; they ask for a check, not a rectification.
     */
    data_quality: z
      .object({
        /** A measure changing by more than this factor (up or down) against the previous reported month. */
        max_month_ratio: z.number().min(1).max(100),
        /** …only judged when both months have at least this many (pupils, teachers): small bases swing. */
        min_base: z.number().int().min(1),
        /** A robust z (|x − median| / (1.4826 · MAD)) within the peer group above this is an outlier. */
        max_peer_z: z.number().min(1).max(50),
        /** Peer groups (stage × 城乡类型 in the month) smaller than this are not judged. */
        min_peer_group: z.number().int().min(3),
        /** Counts identical for this many consecutive reported months look copied. */
        identical_months: z.number().int().min(2).max(24),
        /** Every count of a report a multiple of 10 (and at least this many counts) looks estimated. */
        round_counts_min: z.number().int().min(2),
        /** A report first received more than this many times (re-submissions) is doubted. */
        max_resubmissions: z.number().int().min(1).max(100),
      })
      .strict(),
    /**
     * Small-cell protection: counts of pupils in a priority group from 1 to small_cell_min − 1
     * are withheld from leadership and from every export (with complementary suppression).
     */
    disclosure: z.object({ small_cell_min: z.number().int().min(2).max(100) }).strict(),
    /**
     * The 责任督学's visit plan (走访计划): each school's risk score is the sum of these
     * weights times what the school shows in the plan's month (server/graphql/plan/).
     */
    visit_plan: z
      .object({
        weights: z
          .object({
            /** Per open flag (未办结) of the school. */
            open_flag: z.number().min(0).max(100),
            /** Per rectification past its deadline (on top of open_flag). */
            overdue_flag: z.number().min(0).max(100),
            /** Per open data doubt (待核实 / 要求更正). */
            open_doubt: z.number().min(0).max(100),
            /** Per complaint received in the last `complaint_months` months. */
            complaint: z.number().min(0).max(100),
            /** When parents' satisfaction fell by at least `satisfaction_drop_points`. */
            satisfaction_drop: z.number().min(0).max(100),
            /** When the participation rate fell by at least `participation_drop_points`. */
            participation_drop: z.number().min(0).max(100),
            /** Per priority group whose gap is over priority_gap.max_gap_points. */
            priority_gap: z.number().min(0).max(100),
            /** Per whole month since the school's last visit (capped at `max_unvisited_months`). */
            month_unvisited: z.number().min(0).max(100),
          })
          .strict(),
        /** Satisfaction (0-100) falling this many points against the previous surveyed month. */
        satisfaction_drop_points: z.number().min(0).max(100),
        /** Participation rate falling this many percentage points against the previous month. */
        participation_drop_points: z.number().min(0).max(100),
        /** Complaints received in the last this many months, the plan's month included, count. */
        complaint_months: z.number().int().min(1).max(24),
        /** A school never visited counts as unvisited this many months, and no more. */
        max_unvisited_months: z.number().int().min(1).max(60),
        /** Risk bands for 四不两直 strata: score ≥ high is HIGH, ≥ medium is MEDIUM, else LOW. */
        bands: z.object({ high: z.number().min(0), medium: z.number().min(0) }).strict(),
      })
      .strict(),
    /** 四不两直 draws: schools visited within this many days are left out unless asked. */
    draws: z.object({ recent_visit_days: z.number().int().min(0).max(365) }).strict(),
    /** 投诉与举报: the handling deadline, in days after receipt. */
    complaints: z.object({ handling_days: z.number().int().min(1).max(365) }).strict(),
    /** Reminders: a rectification deadline this many days ahead fires 整改即将到期. */
    reminders: z.object({ deadline_warning_days: z.number().int().min(0).max(60) }).strict(),
    /**
     * Triangulation on the school page: survey answers contradict the report when at least
     * `min_respondents` answered an item and at least `dissatisfied_share` were dissatisfied.
     */
    triangulation: z
      .object({
        min_respondents: z.number().int().min(1),
        dissatisfied_share: z.number().min(0).max(1),
      })
      .strict(),
    /**
     * Semester filings (学期备案, server/graphql/filings/): when each is due and the caps a
     * filing is checked against. Days count from the semester's first school day, in
     * Asia/Shanghai; a filing kind is judged once its deadline has passed.
     */
    filings: z
      .object({
        /** First school day of each semester, "MM-DD" (autumn in September, spring in Feb/March). */
        semester_start: z
          .object({
            autumn: z
              .string()
              .regex(
                /^09-(0[1-9]|[12]\d|30)$/u,
                '秋季开学日应在 9 月（MM-DD） / autumn start must be a September MM-DD',
              ),
            spring: z
              .string()
              .regex(
                /^0[23]-(0[1-9]|[12]\d|3[01])$/u,
                '春季开学日应在 2 月或 3 月（MM-DD） / spring start must be a February or March MM-DD',
              ),
          })
          .strict(),
        /** 一校一案 is filed with the bureau by this many days after the semester starts. */
        plan_due_days: z.number().int().min(0).max(180),
        /** 需求征询 at least this many times a semester… */
        min_demand_surveys: z.number().int().min(0).max(10),
        /** …the first by this many days after the semester starts. */
        survey_due_days: z.number().int().min(0).max(180),
        /** Teacher pay (课时补助) per period; null: no cap. */
        max_teacher_pay_per_period: money.nullable(),
        /** Performance pay (绩效) per teacher per semester; null: no cap. */
        max_performance_pay_per_teacher: money.nullable(),
        /** Subsidy (财政补助) per served student per semester; null: no cap. */
        max_subsidy_per_student: money.nullable(),
        /** Where fees are charged, they are published before the semester's first fee. */
        fees_published_before_first_fee: z.boolean(),
        /** Where fees are charged, refunds by days of absence are filed. */
        refunds_required: z.boolean(),
        /** Fee publicity and refunds are judged this many days after the semester starts. */
        fees_due_days: z.number().int().min(0).max(180),
      })
      .strict(),
    /** Rule ids (e.g. PRIORITY_GAP.disabled, ILLEGAL_FEES.unpublished) the district does not apply. */
    disabled_rules: z.array(z.string().regex(/^[A-Z_]+(\.[a-z_0-9]+)?$/u)),
  })
  .strict();

export type PolicyParameters = z.infer<typeof parametersSchema>;

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/u, '月份格式应为 YYYY-MM / expected YYYY-MM');

/** A version as written in the file: its identity plus the parameters it changes. */
export const rawVersionSchema = z
  .object({
    version: z.string().min(1),
    effective_from: month,
    /** The notice or plan this version implements (文件名称及文号). */
    source: z.string().min(1),
    note: z.string().optional(),
  })
  .catchall(z.unknown());

/**
 * Province-level prefixes of GB/T 2260 行政区划代码 (11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门).
 * A district code names the county-level unit (区/县/县级市) whose data an export carries, so
 * it is six digits under one of these and not a province's or city's own code (…00).
 */
export const PROVINCE_PREFIXES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
]);

/** A county-level 行政区划代码: what names the district in a national export. */
export const districtCodeSchema = z
  .string()
  .regex(/^\d{6}$/u, '须为 6 位行政区划代码 / must be a 6-digit administrative division code')
  .refine((code) => PROVINCE_PREFIXES.has(code.slice(0, 2)), {
    message: '行政区划代码的前两位不是省级代码 / the first two digits are no province code',
  })
  .refine((code) => !code.endsWith('00'), {
    message: '须为区县级代码，不能以 00 结尾 / must be a county-level code, not ending in 00',
  });

export const rawPolicySchema = z
  .object({
    district: z.string().min(1),
    /** Optional: the district's 行政区划代码, which `warehouse export` requires. */
    district_code: districtCodeSchema.optional(),
    versions: z.array(rawVersionSchema).min(1, '至少需要一个版本 / at least one version'),
  })
  .strict();

/** The national defaults of domain.md §4, which the first version builds on. */
export const DEFAULT_PARAMETERS: PolicyParameters = {
  service: {
    days_per_week: 5,
    min_daily_minutes: 120,
    max_daily_minutes: null,
    max_daily_periods: null,
    minutes_per_period: 40,
    no_service_months: [2, 7, 8],
  },
  end_time: {
    latest: { primary: '18:00', junior: '18:30' },
    seasons: [],
    earliest: null,
    evening_study: null,
  },
  homework: { max_periods_per_day: 1, written_forbidden_grades_1_2: true },
  groups: { max_size: 45, merge_below: null },
  fees: {
    caps: { per_period: 0, per_day: null, per_month: null, per_semester: null },
    waived_families: 'free',
    must_publish: true,
  },
  teacher_pay: { max_per_period: null },
  providers: { third_party_allowed: true },
  // "愿留尽留": every applicant is served; a district may relax it in its policy.
  participation: { min_demand_met_rate: 1 },
  priority_gap: { max_gap_points: 10, min_group_enrolled: 20 },
  reports: { deadline_day: 5 },
  flags: { long_open_days: 180 },
  data_quality: {
    max_month_ratio: 3,
    min_base: 20,
    max_peer_z: 4,
    min_peer_group: 8,
    identical_months: 4,
    round_counts_min: 6,
    max_resubmissions: 2,
  },
  disclosure: { small_cell_min: 10 },
  visit_plan: {
    weights: {
      open_flag: 2,
      overdue_flag: 3,
      open_doubt: 1,
      complaint: 3,
      satisfaction_drop: 2,
      participation_drop: 2,
      priority_gap: 2,
      month_unvisited: 1,
    },
    satisfaction_drop_points: 5,
    participation_drop_points: 10,
    complaint_months: 3,
    max_unvisited_months: 6,
    bands: { high: 10, medium: 5 },
  },
  draws: { recent_visit_days: 30 },
  complaints: { handling_days: 15 },
  reminders: { deadline_warning_days: 3 },
  triangulation: { min_respondents: 10, dissatisfied_share: 0.2 },
  filings: {
    semester_start: { autumn: '09-01', spring: '03-01' },
    plan_due_days: 30,
    min_demand_surveys: 1,
    survey_due_days: 60,
    max_teacher_pay_per_period: null,
    max_performance_pay_per_teacher: null,
    max_subsidy_per_student: null,
    fees_published_before_first_fee: true,
    refunds_required: true,
    fees_due_days: 30,
  },
  disabled_rules: [],
};
