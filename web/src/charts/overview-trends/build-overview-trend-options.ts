/**
 * The 总览 view's four monthly trend charts from one `trend` answer (one row per month,
 * oldest first): participation and demand met, school coverage and teacher participation,
 * the parents' satisfaction score, and the open flags. Months without data stay gaps.
 */
import type { EChartsOption } from 'echarts';
import { buildTrendLinesOption } from '../trend-lines/build-trend-lines-option.ts';

export interface OverviewTrendRow {
  month: string;
  /** false in a month without service: report figures are 不适用 there. */
  serviceMonth: boolean;
  schoolCoverageRate: number | null;
  participationRate: number | null;
  demandMetRate: number | null;
  teacherParticipationRate: number | null;
  openFlags: number;
  satisfaction: readonly { respondent: string; score: number | null }[];
}

export interface OverviewTrendOptions {
  participation: EChartsOption | null;
  coverage: EChartsOption | null;
  satisfaction: EChartsOption | null;
  flags: EChartsOption | null;
}

export function buildOverviewTrendOptions(rows: readonly OverviewTrendRow[]): OverviewTrendOptions {
  const months = rows.map((r) => r.month);
  const notApplicable = rows.map((r) => !r.serviceMonth);
  return {
    participation: buildTrendLinesOption({
      months,
      notApplicable,
      kind: 'rate',
      series: [
        { name: '学生参与率', values: rows.map((r) => r.participationRate) },
        { name: '需求满足率', values: rows.map((r) => r.demandMetRate) },
      ],
    }),
    coverage: buildTrendLinesOption({
      months,
      notApplicable,
      kind: 'rate',
      series: [
        { name: '学校覆盖率', values: rows.map((r) => r.schoolCoverageRate) },
        { name: '教师参与率', values: rows.map((r) => r.teacherParticipationRate) },
      ],
    }),
    satisfaction: buildTrendLinesOption({
      months,
      kind: 'score',
      series: [
        {
          name: '家长满意度',
          values: rows.map(
            (r) => r.satisfaction.find((s) => s.respondent === 'parent')?.score ?? null,
          ),
        },
      ],
    }),
    flags: buildTrendLinesOption({
      months,
      kind: 'count',
      series: [{ name: '未办结违规预警', values: rows.map((r) => r.openFlags) }],
    }),
  };
}
