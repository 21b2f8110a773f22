/**
 * A school's grades side by side: how many pupils are enrolled, applied and take part
 * (counts), and each grade's participation and demand-met rates. Both are bar comparisons
 * with the grades as categories; every figure comes from the API's GradeStat.
 */
import type { EChartsOption } from 'echarts';
import { buildBarComparisonOption } from '../bar-comparison/build-bar-comparison-option.ts';

/** One grade's figures, as the API's GradeStat. */
export interface GradeFigures {
  grade: number;
  enrolled: number;
  applicants: number;
  participants: number;
  /** participants / enrolled (fraction); null when nobody is enrolled. */
  participationRate: number | null;
  /** participants / applicants (fraction); null when nobody applied. */
  demandMetRate: number | null;
}

const GRADE_NAMES = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];
const SENIOR_NAMES = ['高一', '高二', '高三'];

/** 1 → "一年级", 7 → "七年级", 10 → "高一". */
export function gradeLabel(grade: number): string {
  const compulsory = GRADE_NAMES[grade - 1];
  if (compulsory) return `${compulsory}年级`;
  return SENIOR_NAMES[grade - 10] ?? `${grade}年级`;
}

const byGrade = (grades: readonly GradeFigures[]): GradeFigures[] =>
  [...grades].sort((a, b) => a.grade - b.grade);

/** Enrolled, applicants and participants per grade; null when there are no grades. */
export function buildGradeCountsOption(grades: readonly GradeFigures[]): EChartsOption | null {
  const rows = byGrade(grades);
  return buildBarComparisonOption({
    categories: rows.map((g) => gradeLabel(g.grade)),
    kind: 'count',
    horizontal: false,
    labels: rows.length <= 6,
    series: [
      { name: '在校生', values: rows.map((g) => g.enrolled) },
      { name: '申请人数', values: rows.map((g) => g.applicants) },
      { name: '参加人数', values: rows.map((g) => g.participants) },
    ],
  });
}

/** Participation and demand-met rate per grade; null when no grade has either rate. */
export function buildGradeRatesOption(grades: readonly GradeFigures[]): EChartsOption | null {
  const rows = byGrade(grades);
  return buildBarComparisonOption({
    categories: rows.map((g) => gradeLabel(g.grade)),
    kind: 'rate',
    horizontal: false,
    labels: rows.length <= 6,
    series: [
      { name: '学生参与率', values: rows.map((g) => g.participationRate) },
      { name: '需求满足率', values: rows.map((g) => g.demandMetRate) },
    ],
  });
}
