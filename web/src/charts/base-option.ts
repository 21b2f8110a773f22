/**
 * What every chart shares: palette, font, grid, tooltip and accessibility labels. No
 * animation: figures for inspection appear at once (it cost ~0.5 s of the first page) and
 * print and screenshots are never caught mid-transition.
 */
import type { EChartsOption } from 'echarts';
import { PALETTE } from './palette.ts';

export const FONT_FAMILY =
  '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';

/** The common part of an option; a builder spreads it and adds axes and series. */
export function baseOption(): EChartsOption {
  return {
    color: [...PALETTE],
    textStyle: { fontFamily: FONT_FAMILY, fontSize: 12 },
    animation: false,
    aria: { enabled: true, decal: { show: false } },
    grid: {
      left: 12,
      right: 24,
      top: 40,
      bottom: 12,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    tooltip: { trigger: 'axis', confine: true },
    legend: { top: 4, type: 'scroll', itemGap: 16 },
  };
}

/** Axis labels for rate axes whose values are percent numbers (62.3 → "62.3%"). */
export const percentAxisLabel = { formatter: '{value}%' } as const;
