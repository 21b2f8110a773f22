import { describe, expect, it } from 'vitest';
import { buildBarComparisonOption } from '../../../web/src/charts/bar-comparison/build-bar-comparison-option.ts';
import { chartTable } from '../../../web/src/charts/chart-table.ts';
import { buildTrendLinesOption } from '../../../web/src/charts/trend-lines/build-trend-lines-option.ts';

describe('chartTable', () => {
  it('lists each category with every series formatted like the tooltip', () => {
    const option = buildTrendLinesOption({
      months: ['2025-09', '2025-10'],
      kind: 'rate',
      series: [
        { name: '参与率', values: [0.625, null] },
        { name: '需求满足率', values: [0.9, 1] },
      ],
    });
    expect(chartTable(option)).toEqual({
      headers: ['', '参与率', '需求满足率'],
      rows: [
        ['9月', '62.5%', '90.0%'],
        ['10月', '—', '100.0%'],
      ],
    });
  });

  it('reads horizontal bar charts by their category axis', () => {
    const option = buildBarComparisonOption({
      categories: ['东城镇', '西山乡'],
      kind: 'count',
      horizontal: true,
      series: [{ name: '学校数', values: [2, 1234] }],
    });
    expect(chartTable(option)?.rows).toEqual([
      ['东城镇', '2'],
      ['西山乡', '1,234'],
    ]);
  });

  it('lists the items of a chart without axes', () => {
    expect(
      chartTable({ series: [{ type: 'pie', name: '状态', data: [{ name: '待处理', value: 3 }] }] }),
    ).toEqual({ headers: ['', '状态'], rows: [['待处理', '3']] });
    expect(chartTable(null)).toBeNull();
  });
});
