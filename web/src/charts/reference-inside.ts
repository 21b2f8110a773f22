/**
 * Styles a bar chart's reference-line label ("全区参与率 46.2%") in the reference colour,
 * on white where it crosses a bar. Its place is the bar builder's: beyond the right end of a
 * level line (in a gutter sized for it, never over the bars or their value labels), above a
 * vertical line (sideways bars), level, in the space over the plot.
 */
import type { BarSeriesOption, EChartsOption } from 'echarts';

export function referenceLabelInside(option: EChartsOption | null): EChartsOption | null {
  if (!option || !Array.isArray(option.series)) return option;
  const series = (option.series as BarSeriesOption[]).map((s) =>
    s.markLine
      ? {
          ...s,
          markLine: {
            ...s.markLine,
            label: {
              ...s.markLine.label,
              color: '#b3261e',
              // Readable where the label crosses a bar.
              backgroundColor: 'rgba(255, 255, 255, 0.85)',
              padding: [1, 4],
            },
          },
        }
      : s,
  );
  return { ...option, series };
}
