/**
 * A school's figures over a period against its peer group's median and the district's
 * median (the school page's 同类学校对比). Figures come in different units, and one axis
 * must read one unit: the chart draws those of the unit asked for (rates by default), the
 * table beside it shows them all.
 */
import type { EChartsOption } from 'echarts';
import { buildBarComparisonOption } from '../bar-comparison/build-bar-comparison-option.ts';
import type { ValueKind } from '../value-kind.ts';

export interface PeerFigureInput {
  name: string;
  unit: 'RATE' | 'SCORE' | 'COUNT';
  value: number | null;
  peerMedian: number | null;
  districtMedian: number | null;
}

const KIND: Record<PeerFigureInput['unit'], ValueKind> = {
  RATE: 'rate',
  SCORE: 'score',
  COUNT: 'count',
};

export function buildPeerFiguresOption(
  figures: readonly PeerFigureInput[],
  unit: PeerFigureInput['unit'] = 'RATE',
): EChartsOption | null {
  const shown = figures.filter((f) => f.unit === unit);
  return buildBarComparisonOption({
    categories: shown.map((f) => f.name),
    kind: KIND[unit],
    horizontal: true,
    labels: true,
    series: [
      { name: '本校', values: shown.map((f) => f.value) },
      { name: '同类学校中位数', values: shown.map((f) => f.peerMedian) },
      { name: '全区中位数', values: shown.map((f) => f.districtMedian) },
    ],
  });
}
