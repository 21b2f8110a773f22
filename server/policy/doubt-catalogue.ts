/**
 * The data-doubt catalogue (数据疑点): every check's rule id, what users read (zh) and its
 * English name, the measure it doubts and that measure's label. The one place these
 * labels live: the checks (etl/doubts/) raise only these rules, the server and web read
 * the labels from here. A rule id is `<CHECK>.<measure>`, e.g. PEER_OUTLIER.participation_rate;
 * the thresholds are policy data (`data_quality`).
 */
import { PRIORITY_GROUP_COLUMNS, PRIORITY_GROUPS } from '../db/vocabulary/priority-groups.ts';

export interface DoubtRuleInfo {
  /** `<CHECK>.<measure>`. */
  rule: string;
  check: string;
  /** The check's name as users read it. */
  zh: string;
  en: string;
  /** What the check looks at, in one Chinese sentence (help text). */
  description: string;
  measure: string;
}

/** Labels of the measures the checks doubt. */
export const DOUBT_MEASURE_LABELS: Readonly<Record<string, string>> = {
  participants: '参与人数',
  enrolled: '在籍学生数',
  participation_rate: '参与率',
  participants_by_grade: '各年级参与人数',
  report_counts: '申请与参加人数',
  ...Object.fromEntries(PRIORITY_GROUPS.map((g) => [g.column, `${g.zh}人数`])),
  teachers_serving: '参与服务教师数',
  report: '学校月报',
};

/** The priority groups (participation's column prefixes) the enrolment check reads. */
export const DOUBT_PRIORITY_GROUPS = PRIORITY_GROUP_COLUMNS;

const entries: readonly DoubtRuleInfo[] = [
  {
    rule: 'MONTH_JUMP.participants',
    check: 'MONTH_JUMP',
    zh: '参与人数环比突变',
    en: 'Participants jump against the previous month',
    description:
      '参与人数与本校上一报送月份相比变化超过政策规定的倍数（两个月人数都不少于基数下限时才判断）。',
    measure: 'participants',
  },
  {
    rule: 'MONTH_JUMP.enrolled',
    check: 'MONTH_JUMP',
    zh: '在籍人数环比突变',
    en: 'Enrolment jumps against the previous month',
    description: '在籍学生数与本校上一报送月份相比变化超过政策规定的倍数。',
    measure: 'enrolled',
  },
  {
    rule: 'PEER_OUTLIER.participation_rate',
    check: 'PEER_OUTLIER',
    zh: '参与率与同类学校差异过大',
    en: 'Participation rate far from peer schools',
    description:
      '参与率与同月同学段、同城乡类型学校的中位数相差过大（稳健 Z 值，按中位数绝对偏差计算）。',
    measure: 'participation_rate',
  },
  {
    rule: 'IDENTICAL_MONTHS.participants_by_grade',
    check: 'IDENTICAL_MONTHS',
    zh: '连续多月参与人数完全相同',
    en: 'Participants identical for several months',
    description: '各年级参与人数连续多个报送月份完全相同，疑似照抄上月报表。',
    measure: 'participants_by_grade',
  },
  {
    rule: 'ROUND_NUMBERS.report_counts',
    check: 'ROUND_NUMBERS',
    zh: '参加人数均为整十',
    en: 'All counts are round numbers',
    description:
      '分年级参与情况中申请、参加和五天全勤的所有非零人数都是 10 的倍数，疑似估报（在校生数来自学籍，不计）。',
    measure: 'report_counts',
  },
  ...PRIORITY_GROUPS.map((g) => ({
    rule: `PRIORITY_ABOVE_ENROLMENT.${g.column}`,
    check: 'PRIORITY_ABOVE_ENROLMENT',
    zh: `${g.zh}人数超过年级人数`,
    en: `${g.en} above the grade's count`,
    description: `某年级的${g.zh}人数（在校或参加）超过该年级的在校生数或参加人数，不可能成立。`,
    measure: g.column,
  })),
  {
    rule: 'TEACHERS_ABOVE_TOTAL.teachers_serving',
    check: 'TEACHERS_ABOVE_TOTAL',
    zh: '参与服务教师多于在编教师',
    en: 'More teachers serving than employed',
    description: '月报中参与服务的教师数超过学校名录登记的教职工总数。',
    measure: 'teachers_serving',
  },
  {
    rule: 'LATE_REPORT.report',
    check: 'LATE_REPORT',
    zh: '月报逾期报送',
    en: 'Report arrived after the deadline',
    description: '学校月报首次报送晚于政策规定的截止日期。',
    measure: 'report',
  },
  {
    rule: 'RESUBMITTED.report',
    check: 'RESUBMITTED',
    zh: '月报多次重报',
    en: 'Report re-submitted many times',
    description: '同一月份的报表被更正后重新报送的次数超过政策规定的次数。',
    measure: 'report',
  },
];

export const DOUBT_CATALOGUE: ReadonlyMap<string, DoubtRuleInfo> = new Map(
  entries.map((e) => [e.rule, e]),
);

export const DOUBT_RULES: readonly string[] = entries.map((e) => e.rule);

export function doubtRule(rule: string): DoubtRuleInfo | undefined {
  return DOUBT_CATALOGUE.get(rule);
}

/** The zh label of a rule; an unknown rule (an old warehouse's) reads as its id. */
export function doubtRuleLabel(rule: string): string {
  return DOUBT_CATALOGUE.get(rule)?.zh ?? rule;
}

export function doubtMeasureLabel(measure: string): string {
  return DOUBT_MEASURE_LABELS[measure] ?? measure;
}
