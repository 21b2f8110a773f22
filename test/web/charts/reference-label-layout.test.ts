import { describe, expect, it } from 'vitest';
import { buildBarComparisonOption } from '../../../web/src/charts/bar-comparison/build-bar-comparison-option.ts';
import { buildTownshipComparisonOption } from '../../../web/src/charts/township-comparison/build-township-comparison-option.ts';
import { layOut, overlap, type LaidOutText } from '../../helpers/echarts-ssr.ts';

/** The report's township chart: two rates per township, values on the bars, 合计 line. */
function reportTownships() {
  return buildBarComparisonOption({
    categories: ['城关镇', '东城镇', '西河乡', '北山乡', '石门乡'],
    kind: 'rate',
    horizontal: false,
    labels: true,
    series: [
      { name: '学生参与率', values: [0.512, 0.433, 0.398, 0.471, 0.466] },
      { name: '需求满足率', values: [0.981, 0.962, 1, 0.955, 0.47] },
    ],
    reference: { label: '合计 46.2%', value: 0.462 },
  })!;
}

/** The lines of the reference label (first line, then the figure under it). */
function referenceLines(texts: readonly LaidOutText[], first: string, figure: string) {
  return texts.filter((t) => t.text === first || t.text === figure);
}

function collisions(texts: readonly LaidOutText[], label: readonly LaidOutText[]): LaidOutText[] {
  return texts.filter((t) => !label.includes(t) && label.some((l) => overlap(t, l)));
}

describe('the reference (合计) label over upright bars', () => {
  it('sits beyond the plot, in two lines, inside the canvas, over no bar label', () => {
    const width = 640;
    const chart = layOut(reportTownships(), width, 300);
    const texts = chart.texts();
    chart.dispose();
    const label = referenceLines(texts, '合计', '46.2%');
    expect(label.map((l) => l.text)).toEqual(['合计', '46.2%']);
    expect(label[1]!.y).toBeGreaterThan(label[0]!.y);
    expect(collisions(texts, label)).toEqual([]);
    for (const line of label) {
      expect(line.x).toBeGreaterThanOrEqual(0);
      expect(line.x + line.width).toBeLessThanOrEqual(width);
    }
    // Every bar's value label is drawn (46.6 % and 47.0 % sit right under the line).
    for (const value of ['46.6%', '47.0%', '100.0%'])
      expect(texts.map((t) => t.text)).toContain(value);
  });

  it('value labels over full bars stay clear of the legend', () => {
    const chart = layOut(reportTownships(), 640, 300);
    const texts = chart.texts();
    chart.dispose();
    const full = texts.find((t) => t.text === '100.0%')!;
    const legend = texts.filter((t) => t.text === '学生参与率' || t.text === '需求满足率');
    expect(legend.length).toBeGreaterThan(0);
    for (const l of legend) expect(overlap(full, l)).toBe(false);
  });

  it('the overview’s township chart places its longer label the same way', () => {
    const option = buildTownshipComparisonOption({
      rows: [
        { township: '城关镇', participationRate: 0.512, demandMetRate: 0.981 },
        { township: '东城镇', participationRate: 0.433, demandMetRate: 0.962 },
        { township: '石门乡', participationRate: 0.47, demandMetRate: 0.466 },
      ],
      overall: { label: '全区', participationRate: 0.462 },
    })!;
    const chart = layOut(option, 640, 300);
    const texts = chart.texts();
    chart.dispose();
    const label = referenceLines(texts, '全区参与率', '46.2%');
    expect(label.map((l) => l.text)).toEqual(['全区参与率', '46.2%']);
    expect(collisions(texts, label)).toEqual([]);
    for (const line of label) expect(line.x + line.width).toBeLessThanOrEqual(640);
  });

  it('over sideways bars (ten townships) the label sits above the plot, clear of axis labels and legend', () => {
    const names = [
      '城关镇',
      '东城镇',
      '西河乡',
      '北山乡',
      '石门乡',
      '南湖镇',
      '青山乡',
      '白水镇',
      '红岩乡',
      '柳林镇',
    ];
    const option = buildTownshipComparisonOption({
      rows: names.map((township, i) => ({
        township,
        participationRate: 0.3 + i * 0.04,
        demandMetRate: 0.9 + i * 0.01,
      })),
      overall: { label: '全区', participationRate: 0.48 },
    })!;
    for (const width of [640, 900]) {
      const chart = layOut(option, width, 420);
      const texts = chart.texts();
      chart.dispose();
      const label = texts.filter((t) => t.text === '全区参与率 48.0%');
      expect(label).toHaveLength(1);
      expect(collisions(texts, label)).toEqual([]);
      // Above the first township's bars: the top of the plot, not the axis at the bottom.
      const first = texts.find((t) => t.text === '城关镇')!;
      expect(label[0]!.y + label[0]!.height).toBeLessThanOrEqual(first.y);
    }
  });
});
