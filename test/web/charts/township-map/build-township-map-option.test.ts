/**
 * The township choropleth's option and table from hand-made figures: classes, colours,
 * patterns, 无数据 and the table that shows the same figures as the map.
 */
import { describe, expect, it } from 'vitest';
import { chartTable } from '../../../../web/src/charts/chart-table.ts';
import {
  buildTownshipMap,
  mapPieces,
  STEP_COLORS,
} from '../../../../web/src/charts/township-map/build-township-map-option.ts';

type Item = {
  name: string;
  value: number | string;
  itemStyle: { areaColor: string; decal: { symbol: string } };
};

const input = {
  mapName: 'test-map',
  drawn: ['东城镇', '西山乡', '南关街道', '北河镇'],
  metric: { key: 'participation', label: '学生参与率', kind: 'rate' as const },
  rows: [
    { township: '东城镇', value: 0.5 },
    { township: '西山乡', value: 0.62 },
    { township: '南关街道', value: 0.8 },
    { township: '北河镇', value: null },
    // Has figures but no polygon: in the table only.
    { township: '新安镇', value: 0.7 },
  ],
};

describe('buildTownshipMap', () => {
  it('classes three distinct figures (50, 62, 80 %) in three equal steps of 10 points', () => {
    const { pieces, option, table } = buildTownshipMap(input);
    expect(pieces).toEqual([
      { gte: 50, lte: 60, label: '50.0% – 60.0%', color: STEP_COLORS[0], pattern: 'none' },
      { gte: 60, lte: 70, label: '60.0% – 70.0%', color: STEP_COLORS[2], pattern: 'lines' },
      { gte: 70, lte: 80, label: '70.0% – 80.0%', color: STEP_COLORS[3], pattern: 'dense' },
    ]);
    const visualMap = option.visualMap as { pieces: unknown[] };
    expect(visualMap.pieces).toEqual([
      { gte: 50, lt: 60, label: '50.0% – 60.0%', color: STEP_COLORS[0] },
      { gte: 60, lt: 70, label: '60.0% – 70.0%', color: STEP_COLORS[2] },
      { gte: 70, lte: 80, label: '70.0% – 80.0%', color: STEP_COLORS[3] },
    ]);
    const series = (option.series as { type: string; map: string; data: Item[] }[])[0]!;
    expect(series.type).toBe('map');
    expect(series.map).toBe('test-map');
    expect(
      series.data.map((d) => [d.name, d.value, d.itemStyle.areaColor, d.itemStyle.decal.symbol]),
    ).toEqual([
      ['东城镇', 50, STEP_COLORS[0], 'none'],
      ['西山乡', 62, STEP_COLORS[2], 'rect'],
      ['南关街道', 80, STEP_COLORS[3], 'rect'],
      ['北河镇', '-', '#eeeeee', 'rect'],
    ]);
    // The screen reader's table of the chart reads the same figures, 无数据 included.
    expect(chartTable(option)?.rows).toEqual([
      ['东城镇', '50.0%'],
      ['西山乡', '62.0%'],
      ['南关街道', '80.0%'],
      ['北河镇', '无数据'],
    ]);
    // The table beside the map: by name (pinyin), the township without a polygon last in
    // its place and marked.
    expect(table).toEqual([
      { township: '北河镇', plotted: null, text: '无数据', piece: null, onMap: true },
      { township: '东城镇', plotted: 50, text: '50.0%', piece: '50.0% – 60.0%', onMap: true },
      { township: '南关街道', plotted: 80, text: '80.0%', piece: '70.0% – 80.0%', onMap: true },
      { township: '西山乡', plotted: 62, text: '62.0%', piece: '60.0% – 70.0%', onMap: true },
      { township: '新安镇', plotted: 70, text: '70.0%', piece: '70.0% – 80.0%', onMap: false },
    ]);
  });

  it('writes gaps in percentage points and a withheld figure as the server’s note', () => {
    const { table, pieces } = buildTownshipMap({
      ...input,
      metric: { key: 'LEFT_BEHIND:gap', label: '留守儿童差距', kind: 'gap' },
      rows: [
        { township: '东城镇', value: -0.032 },
        { township: '西山乡', value: 0.01 },
        { township: '南关街道', value: null, note: '<10人' },
      ],
    });
    // Two figures, two classes: (1.0 − (−3.2)) / 2 = 2.1 points each.
    expect(pieces.map((p) => p.label)).toEqual([
      '−3.2个百分点 – −1.1个百分点',
      '−1.1个百分点 – +1.0个百分点',
    ]);
    expect(table.map((r) => [r.township, r.text])).toEqual([
      ['北河镇', '无数据'],
      ['东城镇', '−3.2个百分点'],
      ['南关街道', '<10人'],
      ['西山乡', '+1.0个百分点'],
    ]);
  });

  it('keeps one class when every township has the same figure, none when none has one', () => {
    expect(mapPieces('score', [80, 80])).toEqual([
      { gte: 80, lte: 80, label: '80.0', color: STEP_COLORS[3], pattern: 'dense' },
    ]);
    expect(mapPieces('rate', [])).toEqual([]);
    const empty = buildTownshipMap({ ...input, rows: [] });
    expect(empty.option.visualMap).toBeUndefined();
    expect(empty.table.every((r) => r.text === '无数据')).toBe(true);
  });
});
