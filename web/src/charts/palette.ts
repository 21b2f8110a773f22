/**
 * Series colours chosen for distinct lightness (they stay apart when printed in grey),
 * plus line dashes and marker shapes per series, so no chart relies on hue alone.
 */

/** Dark to light: navy, orange, teal, plum, sand, slate. */
export const PALETTE = ['#1f3f8f', '#e0802c', '#2f9e8f', '#7b3f8c', '#c9b458', '#5a6b7b'] as const;

/** Good / warning / alert / neutral, for thresholds and status. */
export const TONE = {
  good: '#2f7d4f',
  warning: '#d08a1a',
  alert: '#b3261e',
  neutral: '#8a94a6',
} as const;

const DASHES = ['solid', 'dashed', 'dotted'] as const;
const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'roundRect', 'pin'] as const;

/** The n-th series' colour, dash and marker. */
export function seriesLook(index: number): {
  color: string;
  lineType: (typeof DASHES)[number];
  symbol: (typeof SYMBOLS)[number];
} {
  return {
    color: PALETTE[index % PALETTE.length]!,
    lineType: DASHES[index % DASHES.length]!,
    symbol: SYMBOLS[index % SYMBOLS.length]!,
  };
}
