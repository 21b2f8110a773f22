/**
 * Places a bar chart's reference-line label where a long label such as "全区参与率 46.2%"
 * is never cut off by the canvas edge: above a horizontal line at its right end, inside
 * the plot; above a vertical line (horizontal bars), level, in the space over the plot.
 */
import type { BarSeriesOption, EChartsOption } from 'echarts';

export function referenceLabelInside(option: EChartsOption | null): EChartsOption | null {
  if (!option || !Array.isArray(option.series)) return option;
  const horizontalBars = (option.yAxis as { type?: string } | undefined)?.type === 'category';
  const series = (option.series as BarSeriesOption[]).map((s) =>
    s.markLine
      ? {
          ...s,
          markLine: {
            ...s.markLine,
            label: {
              ...s.markLine.label,
              position: horizontalBars ? ('end' as const) : ('insideEndTop' as const),
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
