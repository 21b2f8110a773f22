import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { chartTable } from '../../../../web/src/charts/chart-table.ts';
import { buildIndicatorPointsOption } from '../../../../web/src/charts/evaluation/build-indicator-points-option.ts';
import { buildPeerFiguresOption } from '../../../../web/src/charts/evaluation/build-peer-figures-option.ts';
import { buildTownshipGradesOption } from '../../../../web/src/charts/evaluation/build-township-grades-option.ts';

describe('buildIndicatorPointsOption', () => {
  const indicators = [
    {
      name: '学生参与率',
      points: 15.25,
      maxPoints: 20,
      insufficientData: false,
      peerMedianPoints: 12,
    },
    {
      name: '家长满意度',
      points: 0,
      maxPoints: 15,
      insufficientData: true,
      peerMedianPoints: null,
    },
  ];

  it('draws points, maximum and peer median per indicator, 数据不足 in the table', () => {
    const option = buildIndicatorPointsOption(indicators);
    expect(option).not.toBeNull();
    const table = chartTable(option);
    expect(table?.headers).toEqual(['', '得分', '满分', '同类学校中位数']);
    // Scores to one decimal; the missing indicator says why, not "0" and not "—".
    expect(table?.rows).toEqual([
      ['学生参与率', '15.3', '20.0', '12.0'],
      ['家长满意度', '数据不足', '15.0', '—'],
    ]);
  });

  it('runs sideways (indicator names are long)', () => {
    const option = buildIndicatorPointsOption(indicators)!;
    expect((option.yAxis as { type: string }).type).toBe('category');
  });

  it('is empty without indicators', () => {
    expect(buildIndicatorPointsOption([])).toBeNull();
  });
});

describe('buildTownshipGradesOption', () => {
  const rows = [
    { township: '东城镇', excellent: 1, good: 2, pass: 0, fail: 1 },
    { township: '西山乡', excellent: 0, good: 1, pass: 1, fail: 0 },
  ];

  it('stacks the four grades per township, counts as drawn', () => {
    const option = buildTownshipGradesOption(rows)!;
    const series = option.series as BarSeriesOption[];
    expect(series.map((s) => s.name)).toEqual(['优秀', '良好', '合格', '不合格']);
    expect(new Set(series.map((s) => s.stack))).toEqual(new Set(['grades']));
    expect(chartTable(option)?.rows).toEqual([
      ['东城镇', '1', '2', '0', '1'],
      ['西山乡', '0', '1', '1', '0'],
    ]);
  });

  it('is empty without townships', () => {
    expect(buildTownshipGradesOption([])).toBeNull();
  });
});

describe('buildPeerFiguresOption', () => {
  const figures = [
    {
      name: '学生参与率',
      unit: 'RATE' as const,
      value: 0.6234,
      peerMedian: 0.5,
      districtMedian: 0.55,
    },
    { name: '家长满意度', unit: 'SCORE' as const, value: 88, peerMedian: 80, districtMedian: 82 },
    { name: '需求满足率', unit: 'RATE' as const, value: 0.9, peerMedian: null, districtMedian: 1 },
  ];

  it('draws one unit on its axis: the rates against both medians', () => {
    const table = chartTable(buildPeerFiguresOption(figures));
    expect(table?.headers).toEqual(['', '本校', '同类学校中位数', '全区中位数']);
    expect(table?.rows).toEqual([
      ['学生参与率', '62.3%', '50.0%', '55.0%'],
      ['需求满足率', '90.0%', '—', '100.0%'],
    ]);
  });

  it('draws the scores when asked', () => {
    expect(chartTable(buildPeerFiguresOption(figures, 'SCORE'))?.rows).toEqual([
      ['家长满意度', '88.0', '80.0', '82.0'],
    ]);
  });
});
