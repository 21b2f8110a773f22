import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import {
  ANSWER_LEVEL_COLOR,
  answerDistributionHeight,
  buildAnswerDistributionOption,
  type AnswerLevelCount,
} from '../../../../web/src/charts/answer-distribution/build-answer-distribution-option.ts';
import { chartTable } from '../../../../web/src/charts/chart-table.ts';

const LABELS: Record<number, string> = {
  5: '非常满意',
  4: '满意',
  3: '一般',
  2: '不满意',
  1: '非常不满意',
};

/** Counts by level 5..1 with shares as the API would send them (count / total). */
function answers(counts: [number, number, number, number, number]): AnswerLevelCount[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((count, i) => ({
    level: 5 - i,
    label: LABELS[5 - i]!,
    count,
    share: total === 0 ? null : count / total,
  }));
}

describe('buildAnswerDistributionOption', () => {
  it('stacks one series per level, most satisfied first, with shares in percent', () => {
    const option = buildAnswerDistributionOption({
      items: [
        { label: '总体满意度', distribution: answers([3, 4, 1, 0, 0]) },
        // The API lists levels in any order; the builder matches them by level.
        { label: '活动内容', distribution: answers([1, 1, 1, 0, 1]).reverse() },
      ],
    })!;
    const series = option.series as BarSeriesOption[];
    expect(series.map((s) => s.name)).toEqual(['非常满意', '满意', '一般', '不满意', '非常不满意']);
    expect(series.every((s) => s.stack === 'answers')).toBe(true);
    expect(series.map((s) => s.data)).toEqual([
      [37.5, 25],
      [50, 25],
      [12.5, 25],
      [0, 0],
      [0, 25],
    ]);
    expect((option.yAxis as { data: string[] }).data).toEqual(['总体满意度', '活动内容']);
    expect(option.xAxis).toMatchObject({ type: 'value', min: 0, max: 100 });
  });

  it('gives the data table one row per item with formatted shares', () => {
    const table = chartTable(
      buildAnswerDistributionOption({
        items: [{ label: '总体满意度', distribution: answers([3, 4, 1, 0, 0]) }],
      }),
    )!;
    expect(table.headers).toEqual(['', '非常满意', '满意', '一般', '不满意', '非常不满意']);
    expect(table.rows).toEqual([['总体满意度', '37.5%', '50.0%', '12.5%', '0.0%', '0.0%']]);
  });

  it('labels only segments wide enough for their text', () => {
    const option = buildAnswerDistributionOption({
      items: [{ label: 'a', distribution: answers([19, 1, 0, 0, 0]) }],
    })!;
    const label = (option.series as BarSeriesOption[])[0]!.label as {
      formatter: (p: { value: unknown }) => string;
    };
    expect(label.formatter({ value: 95 })).toBe('95.0%');
    expect(label.formatter({ value: 5 })).toBe('');
  });

  it('uses five colours of distinct lightness', () => {
    const luma = (hex: string): number => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [
        number,
        number,
        number,
      ];
      return 0.299 * r + 0.587 * g + 0.114 * b;
    };
    const values = [5, 4, 3, 2, 1].map((level) => luma(ANSWER_LEVEL_COLOR[level]!));
    for (let i = 0; i < values.length; i++)
      for (let j = i + 1; j < values.length; j++)
        expect(Math.abs(values[i]! - values[j]!)).toBeGreaterThan(30);
  });

  it('grows the panel with the items', () => {
    expect(answerDistributionHeight(10)).toBeGreaterThan(answerDistributionHeight(2));
  });

  it('returns null when nobody answered', () => {
    expect(buildAnswerDistributionOption({ items: [] })).toBeNull();
    expect(
      buildAnswerDistributionOption({
        items: [{ label: 'a', distribution: answers([0, 0, 0, 0, 0]) }],
      }),
    ).toBeNull();
  });
});
