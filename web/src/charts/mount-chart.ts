/**
 * The one owner of ECharts instances: init, resize (with the element), print styling and
 * dispose. Builders stay pure; components call mountChart and keep the handle.
 */
import type { EChartsOption } from 'echarts';
import { echarts } from './echarts.ts';

export interface ChartHandle {
  update(option: EChartsOption): void;
  /** The chart as a PNG data URL on a white background, at twice the screen resolution. */
  toPng(): string;
  dispose(): void;
}

export interface MountOptions {
  /** Called after each full render (ECharts' `finished`), e.g. to mark the chart drawn. */
  onRendered?: () => void;
}

export function mountChart(
  element: HTMLElement,
  option: EChartsOption,
  options: MountOptions = {},
): ChartHandle {
  const chart = echarts.init(element, null, { renderer: 'canvas', locale: 'ZH' });
  if (options.onRendered) chart.on('finished', options.onRendered);
  chart.setOption(option);

  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(element);
  // Grey print-outs cannot tell colours apart: patterns (decals) on bars and areas do.
  const beforePrint = (): void =>
    chart.setOption({ aria: { enabled: true, decal: { show: true } } });
  const afterPrint = (): void =>
    chart.setOption({ aria: { enabled: true, decal: { show: false } } });
  window.addEventListener('beforeprint', beforePrint);
  window.addEventListener('afterprint', afterPrint);

  return {
    update(next) {
      chart.setOption(next, { notMerge: true });
    },
    toPng() {
      return chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
    },
    dispose() {
      resize.disconnect();
      window.removeEventListener('beforeprint', beforePrint);
      window.removeEventListener('afterprint', afterPrint);
      chart.dispose();
    },
  };
}
