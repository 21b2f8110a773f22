/**
 * Lays a built ECharts option out as the browser would (server-side rendering, no DOM) and
 * reads back what a reader sees: an axis's ticks and every text label's box. Chart tests
 * use it to prove labels do not collide, not just that an option has some field.
 */
import * as echarts from 'echarts';
import type { EChartsOption } from 'echarts';

export interface LaidOutText {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidOutChart {
  /** Tick values of the first axis of that kind. */
  ticks(axis: 'xAxis' | 'yAxis'): number[];
  /** Every visible line of text (axis labels, value labels, markLine labels, legend). */
  texts(): LaidOutText[];
  dispose(): void;
}

interface ZrText {
  type: string;
  invisible?: boolean;
  ignore?: boolean;
  style?: { text?: string };
  getBoundingRect(): { clone(): Rect };
  getComputedTransform(): number[] | null;
}
interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
  applyTransform(m: number[]): void;
}

export function layOut(option: EChartsOption, width = 600, height = 320): LaidOutChart {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  chart.setOption(option);
  const model = (
    chart as unknown as {
      getModel(): {
        getComponent(t: string): { axis: { scale: { getTicks(): { value: number }[] } } };
      };
    }
  ).getModel();
  return {
    ticks: (axis) =>
      model
        .getComponent(axis)
        .axis.scale.getTicks()
        .map((t) => t.value),
    texts: () => {
      const zr = chart.getZr() as unknown as {
        storage: { getDisplayList(update: boolean): ZrText[] };
      };
      return (
        zr.storage
          .getDisplayList(true)
          // The SVG renderer draws each line of a label as its own tspan.
          .filter(
            (el) =>
              (el.type === 'text' || el.type === 'tspan') &&
              !el.invisible &&
              !el.ignore &&
              el.style?.text,
          )
          .map((el) => {
            const rect = el.getBoundingRect().clone();
            const m = el.getComputedTransform();
            if (m) rect.applyTransform(m);
            return {
              text: el.style!.text!,
              x: rect.x,
              y: rect.y,
              width: rect.width,
              height: rect.height,
            };
          })
      );
    },
    dispose: () => chart.dispose(),
  };
}

/** Whether two boxes share any area (touching edges do not count). */
export function overlap(a: LaidOutText, b: LaidOutText): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
