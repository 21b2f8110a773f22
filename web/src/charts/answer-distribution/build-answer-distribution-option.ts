/**
 * How respondents answered each survey item: one horizontal 100% stacked bar per item, one
 * segment per answer level (非常满意 … 非常不满意). Shares come from the API (fractions);
 * nothing is computed here. Level colours differ in lightness as well as hue so the five
 * segments stay apart when printed in grey, and every segment carries its share as a label
 * when wide enough.
 */
import type { BarSeriesOption, EChartsOption } from 'echarts';
import { baseOption } from '../base-option.ts';
import { plotText, plotValue } from '../value-kind.ts';

/** One answer level of one item, as the API's AnswerCount. */
export interface AnswerLevelCount {
  /** 5 (非常满意) … 1 (非常不满意). */
  level: number;
  label: string;
  count: number;
  /** count / responses of the item (fraction); null when the item has no responses. */
  share: number | null;
}

/** One survey item (a bar). */
export interface AnswerDistributionItem {
  /** The item text shown on the category axis, e.g. "总体满意度" or the question text. */
  label: string;
  distribution: readonly AnswerLevelCount[];
}

export interface AnswerDistributionInput {
  /** Items top to bottom. */
  items: readonly AnswerDistributionItem[];
  /** Category labels longer than this many pixels wrap (default 220). */
  labelWidth?: number;
}

/** The five levels, most satisfied first (the stacking order, left to right). */
export const ANSWER_LEVELS = [
  { level: 5, label: '非常满意' },
  { level: 4, label: '满意' },
  { level: 3, label: '一般' },
  { level: 2, label: '不满意' },
  { level: 1, label: '非常不满意' },
] as const;

/**
 * Colour per level. Grey values (Rec. 601 luma) ≈ 56, 149, 230, 191, 94: neighbours differ
 * by ≥ 39 and no two levels share a lightness, so a grey print keeps them apart.
 */
export const ANSWER_LEVEL_COLOR: Record<number, string> = {
  5: '#1a3a7a',
  4: '#6f9bd8',
  3: '#e6e6e6',
  2: '#f2b27a',
  1: '#b83a2e',
};

/** Dark segments get white labels, light ones dark labels. */
const LABEL_COLOR: Record<number, string> = {
  5: '#ffffff',
  4: '#10213f',
  3: '#333333',
  2: '#3a2410',
  1: '#ffffff',
};

/** A panel height that fits the bars: about 40 px per item plus legend and axis. */
export function answerDistributionHeight(itemCount: number): number {
  return Math.max(160, 90 + itemCount * 44);
}

/** null when no item has an answer (the panel shows its empty state). */
export function buildAnswerDistributionOption(
  input: AnswerDistributionInput,
): EChartsOption | null {
  const hasData = input.items.some((item) => item.distribution.some((a) => a.count > 0));
  if (!hasData) return null;
  const series: BarSeriesOption[] = ANSWER_LEVELS.map(({ level, label }) => ({
    type: 'bar',
    name:
      input.items.flatMap((item) => item.distribution).find((a) => a.level === level)?.label ??
      label,
    stack: 'answers',
    barMaxWidth: 26,
    itemStyle: { color: ANSWER_LEVEL_COLOR[level], borderColor: '#ffffff', borderWidth: 1 },
    emphasis: { focus: 'series' },
    label: {
      show: true,
      color: LABEL_COLOR[level],
      fontSize: 11,
      // Only segments of at least 6% have room for "12.5%".
      formatter: (p: { value: unknown }) => {
        const value = p.value as number | null;
        return value !== null && value >= 6 ? plotText('rate', value) : '';
      },
    },
    data: input.items.map((item) => {
      const answer = item.distribution.find((a) => a.level === level);
      return plotValue('rate', answer?.share ?? (answer ? null : 0));
    }),
  }));
  return {
    ...baseOption(),
    legend: { top: 4, type: 'plain', itemGap: 14, selectedMode: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      valueFormatter: (value) => plotText('rate', value as number | null),
    },
    grid: {
      left: 12,
      right: 20,
      top: 36,
      bottom: 8,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: 100,
      interval: 20,
      axisLabel: { formatter: '{value}%' },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: input.items.map((item) => item.label),
      axisTick: { show: false },
      axisLabel: {
        interval: 0,
        width: input.labelWidth ?? 220,
        overflow: 'break',
        lineHeight: 14,
      },
    },
    series,
  };
}
