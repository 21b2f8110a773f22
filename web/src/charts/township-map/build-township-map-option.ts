/**
 * A township choropleth: one of a view's per-township figures (from the API, never
 * computed here) drawn on the district's township map, with the same figures as a table.
 * Readable in grey print: the classes step in lightness (light = low, dark = high) and
 * each has its own pattern; a township without a figure is pale grey, hatched and
 * labelled 无数据. Classes are four equal intervals between the lowest and the highest
 * figure shown (fewer when the figures take fewer values).
 */
import type { EChartsOption } from 'echarts';
import { integer, percent, points, score } from '../../format/format.ts';
import { FONT_FAMILY } from '../base-option.ts';
import { GAP_NOTE } from '../chart-table.ts';

export type MapValueKind = 'rate' | 'gap' | 'score' | 'count';

export interface MapMetric {
  key: string;
  /** As in the view's table: 学生参与率, 留守儿童差距 … */
  label: string;
  kind: MapValueKind;
}

export interface MapRow {
  township: string;
  /** The API's figure (a rate or gap as a fraction); null when there is none. */
  value: number | null;
  /** What to show instead of a missing figure (e.g. "<10人" when withheld); default 无数据. */
  note?: string | null;
}

export interface TownshipMapInput {
  /** The name the GeoJSON was registered under (echarts.registerMap). */
  mapName: string;
  /** The townships the map draws. */
  drawn: readonly string[];
  metric: MapMetric;
  rows: readonly MapRow[];
}

export interface MapPiece {
  /** Lower bound (inclusive) and upper bound (exclusive, inclusive for the last) in plotted units. */
  gte: number;
  lte: number;
  label: string;
  color: string;
  pattern: PatternName;
}

export interface MapTableRow {
  township: string;
  /** The plotted number (rates in percent, one decimal), null when none. */
  plotted: number | null;
  text: string;
  /** The class's label, null when no figure. */
  piece: string | null;
  onMap: boolean;
}

export interface TownshipMap {
  option: EChartsOption;
  pieces: MapPiece[];
  table: MapTableRow[];
}

export const NO_DATA = '无数据';
export const NOT_ON_MAP = '地图中无此乡镇';
const NO_DATA_COLOR = '#eeeeee';
/** Light to dark (perceived lightness about 93, 78, 57, 33): four steps that stay apart in grey. */
export const STEP_COLORS = ['#e4edf8', '#a7c0e2', '#5a82c2', '#1f3f8f'] as const;
type PatternName = 'none' | 'dots' | 'lines' | 'dense';
const PATTERNS: readonly PatternName[] = ['none', 'dots', 'lines', 'dense'];
/** A map with more townships than this writes its figures in the tooltip only. */
const MAX_LABELS = 40;

/** The decal of a pattern; every field given so print's palette decals cannot mix in. */
function decal(pattern: PatternName | 'hatch', dark: boolean) {
  const color = dark ? 'rgba(255,255,255,0.45)' : 'rgba(0,0,0,0.3)';
  switch (pattern) {
    case 'none':
      return {
        symbol: 'none',
        symbolSize: 1,
        dashArrayX: [1, 0],
        dashArrayY: [1, 0],
        rotation: 0,
        color,
      };
    case 'dots':
      return {
        symbol: 'circle',
        symbolSize: 0.8,
        dashArrayX: [3, 5],
        dashArrayY: [3, 5],
        rotation: 0,
        color,
      };
    case 'lines':
      return {
        symbol: 'rect',
        symbolSize: 1,
        dashArrayX: [1, 0],
        dashArrayY: [2, 5],
        rotation: 0,
        color,
      };
    case 'dense':
      return {
        symbol: 'rect',
        symbolSize: 1,
        dashArrayX: [1, 0],
        dashArrayY: [2, 3],
        rotation: -Math.PI / 4,
        color,
      };
    case 'hatch':
      return {
        symbol: 'rect',
        symbolSize: 1,
        dashArrayX: [1, 0],
        dashArrayY: [1, 4],
        rotation: Math.PI / 4,
        color: 'rgba(90,100,110,0.6)',
      };
  }
}

/** The plotted number: rates and gaps in percent with one decimal, scores one decimal. */
export function plotted(kind: MapValueKind, value: number | null): number | null {
  if (value === null) return null;
  if (kind === 'rate' || kind === 'gap') return Math.round(value * 1000) / 10;
  if (kind === 'score') return Math.round(value * 10) / 10;
  return value;
}

/** A plotted number as the views write it (62.3%, +1.2个百分点, 86.5, 12). */
export function plottedText(kind: MapValueKind, value: number): string {
  if (kind === 'rate') return percent(value / 100);
  if (kind === 'gap') return points(value / 100);
  if (kind === 'score') return score(value);
  return integer(value);
}

/** Up to four equal-interval classes over the plotted figures, light (low) to dark (high). */
export function mapPieces(kind: MapValueKind, values: readonly number[]): MapPiece[] {
  if (values.length === 0) return [];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const distinct = new Set(values).size;
  const count = Math.min(4, distinct);
  if (count === 1)
    return [
      {
        gte: min,
        lte: max,
        label: plottedText(kind, min),
        color: STEP_COLORS[3],
        pattern: 'dense',
      },
    ];
  const step = (max - min) / count;
  // Spread the classes over the colour ramp so the darkest is always the highest class.
  const shades = count === 2 ? [0, 3] : count === 3 ? [0, 2, 3] : [0, 1, 2, 3];
  return Array.from({ length: count }, (_, i) => {
    const gte = i === 0 ? min : min + step * i;
    const lte = i === count - 1 ? max : min + step * (i + 1);
    const shade = shades[i]!;
    return {
      gte,
      lte,
      label: `${plottedText(kind, gte)} – ${plottedText(kind, lte)}`,
      color: STEP_COLORS[shade]!,
      pattern: PATTERNS[shade]!,
    };
  });
}

/** The class of a plotted value: [gte, lte) and the last class closed. */
export function pieceOf(pieces: readonly MapPiece[], value: number): MapPiece | null {
  return (
    pieces.find(
      (p, i) => value >= p.gte && (i === pieces.length - 1 ? value <= p.lte : value < p.lte),
    ) ?? null
  );
}

export function buildTownshipMap(input: TownshipMapInput): TownshipMap {
  const { metric } = input;
  const byName = new Map(input.rows.map((r) => [r.township, r]));
  const drawn = new Set(input.drawn);
  const valueOf = (t: string) => plotted(metric.kind, byName.get(t)?.value ?? null);
  const pieces = mapPieces(
    metric.kind,
    input.drawn.map(valueOf).filter((v): v is number => v !== null),
  );
  const textOf = (t: string): string => {
    const v = valueOf(t);
    return v === null ? (byName.get(t)?.note ?? NO_DATA) : plottedText(metric.kind, v);
  };
  const showLabels = input.drawn.length <= MAX_LABELS;

  const data = input.drawn.map((name) => {
    const v = valueOf(name);
    const text = textOf(name);
    if (v === null)
      return {
        name,
        value: '-' as const,
        [GAP_NOTE]: text,
        itemStyle: { areaColor: NO_DATA_COLOR, decal: decal('hatch', false) },
        label: { formatter: `${name}\n${text}`, color: '#4a5563' },
      };
    const piece = pieceOf(pieces, v)!;
    const dark = piece.color === STEP_COLORS[3] || piece.color === STEP_COLORS[2];
    return {
      name,
      value: v,
      itemStyle: { areaColor: piece.color, decal: decal(piece.pattern, dark) },
      label: { formatter: `${name}\n${text}`, color: dark ? '#ffffff' : '#1d2733' },
    };
  });

  const option: EChartsOption = {
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 12 },
    animation: false,
    aria: { enabled: true, decal: { show: false } },
    tooltip: {
      trigger: 'item',
      confine: true,
      valueFormatter: (v) => (typeof v === 'number' ? plottedText(metric.kind, v) : NO_DATA),
      formatter: (p) => {
        const item = p as { name: string };
        return `${item.name}<br/>${metric.label}：${textOf(item.name)}`;
      },
    },
    visualMap:
      pieces.length > 0
        ? {
            type: 'piecewise',
            seriesIndex: 0,
            left: 4,
            bottom: 4,
            orient: 'vertical',
            itemSymbol: 'rect',
            itemWidth: 18,
            itemHeight: 12,
            itemGap: 4,
            pieces: pieces.map((p, i) => ({
              gte: p.gte,
              ...(i === pieces.length - 1 ? { lte: p.lte } : { lt: p.lte }),
              label: p.label,
              color: p.color,
            })),
            outOfRange: { color: NO_DATA_COLOR },
            selectedMode: false,
          }
        : undefined,
    series: [
      {
        type: 'map',
        name: metric.label,
        map: input.mapName,
        roam: false,
        selectedMode: false,
        layoutCenter: ['58%', '50%'],
        layoutSize: '90%',
        itemStyle: { borderColor: '#ffffff', borderWidth: 1.2, areaColor: NO_DATA_COLOR },
        emphasis: {
          itemStyle: { borderColor: '#1d2733', borderWidth: 2 },
          label: { show: showLabels },
        },
        label: { show: showLabels, fontSize: 11, lineHeight: 14 },
        data,
      },
    ],
  };

  const names = [...input.drawn, ...input.rows.map((r) => r.township).filter((t) => !drawn.has(t))];
  const table = [...new Set(names)]
    .sort((a, b) => a.localeCompare(b, 'zh-CN'))
    .map((township): MapTableRow => {
      const v = valueOf(township);
      return {
        township,
        plotted: v,
        text: textOf(township),
        piece: v === null ? null : (pieceOf(pieces, v)?.label ?? null),
        onMap: drawn.has(township),
      };
    });
  return { option, pieces, table };
}
