import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { chartTable } from '../../../../web/src/charts/chart-table.ts';
import { buildFlagsByCodeOption } from '../../../../web/src/charts/flags-by-code/build-flags-by-code-option.ts';
import { FLAG_STATUS_VOCABULARY, flagStatusLabel } from '../../../../server/db/flag-statuses.ts';
import type { FlagCountRow } from '../../../../web/src/charts/flag-status-series.ts';

/** The server's vocabulary, as `flagStatuses` serves it. */
const STATUSES = FLAG_STATUS_VOCABULARY;
const row = (r: Omit<FlagCountRow, 'statusLabel'>): FlagCountRow => ({
  ...r,
  statusLabel: flagStatusLabel(r.status),
});

const CODES = [
  { code: 'ILLEGAL_FEES', label: '违规收费' },
  { code: 'LATE_END', label: '结束时间过晚' },
  { code: 'MISSING_REPORT', label: '月报未按时报送' },
];

const COUNTS: FlagCountRow[] = [
  row({ month: '2025-09', code: 'LATE_END', status: 'CLOSED', count: 1 }),
  row({ month: '2025-10', code: 'LATE_END', status: 'OPEN', count: 1 }),
  row({ month: '2025-10', code: 'ILLEGAL_FEES', status: 'OPEN', count: 2 }),
  row({ month: '2025-09', code: 'MISSING_REPORT', status: 'OPEN', count: 3 }),
  row({ month: '2025-10', code: 'MISSING_REPORT', status: 'RECTIFYING', count: 1 }),
  row({ month: '2025-10', code: 'NEW_CODE', status: 'DISMISSED', count: 1 }),
];

describe('buildFlagsByCodeOption', () => {
  it('puts codes down the side, most flags first, labelled from the catalogue', () => {
    const option = buildFlagsByCodeOption({ counts: COUNTS, codes: CODES, statuses: STATUSES })!;
    const yAxis = option.yAxis as { type: string; inverse: boolean; data: string[] };
    expect(yAxis.type).toBe('category');
    expect(yAxis.inverse).toBe(true);
    // Totals: MISSING_REPORT 4, ILLEGAL_FEES 2, LATE_END 2 (catalogue order breaks the tie),
    // an unknown code shows as itself.
    expect(yAxis.data).toEqual(['月报未按时报送', '违规收费', '结束时间过晚', 'NEW_CODE']);
  });

  it('stacks one series per status present, in life-cycle order, summing the months', () => {
    const option = buildFlagsByCodeOption({ counts: COUNTS, codes: CODES, statuses: STATUSES })!;
    const series = option.series as BarSeriesOption[];
    expect(series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ['待处理', 'status', [3, 2, 1, 0]],
      ['整改中', 'status', [1, 0, 0, 0]],
      ['已销号', 'status', [0, 0, 1, 0]],
      ['已撤销', 'status', [0, 0, 0, 1]],
    ]);
    expect(series.map((s) => (s.itemStyle as { color: string }).color)).toEqual([
      '#b3261e',
      '#e0a030',
      '#2f7d4f',
      '#b8bec8',
    ]);
  });

  it('yields a data table with a row per code', () => {
    const table = chartTable(
      buildFlagsByCodeOption({ counts: COUNTS, codes: CODES, statuses: STATUSES }),
    );
    expect(table?.headers).toEqual(['', '待处理', '整改中', '已销号', '已撤销']);
    expect(table?.rows[0]).toEqual(['月报未按时报送', '3', '1', '0', '0']);
  });

  it('returns null when nothing is counted', () => {
    expect(buildFlagsByCodeOption({ counts: [], codes: CODES, statuses: STATUSES })).toBeNull();
    expect(
      buildFlagsByCodeOption({
        counts: [row({ month: '2025-10', code: 'LATE_END', status: 'OPEN', count: 0 })],
        codes: CODES,
        statuses: STATUSES,
      }),
    ).toBeNull();
  });
});
