import type { BarSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { chartTable } from '../../../../web/src/charts/chart-table.ts';
import { buildFlagsTrendOption } from '../../../../web/src/charts/flags-trend/build-flags-trend-option.ts';
import { FLAG_STATUS_VOCABULARY, flagStatusLabel } from '../../../../server/db/flag-statuses.ts';
import type { FlagCountRow } from '../../../../web/src/charts/flag-status-series.ts';

/** The server's vocabulary, as `flagStatuses` serves it. */
const STATUSES = FLAG_STATUS_VOCABULARY;
const row = (r: Omit<FlagCountRow, 'statusLabel'>): FlagCountRow => ({
  ...r,
  statusLabel: flagStatusLabel(r.status),
});

const MONTHS = ['2025-11', '2025-12', '2026-01'];
const COUNTS: FlagCountRow[] = [
  row({ month: '2025-11', code: 'LATE_END', status: 'OPEN', count: 2 }),
  row({ month: '2025-11', code: 'ILLEGAL_FEES', status: 'OPEN', count: 1 }),
  row({ month: '2025-11', code: 'ILLEGAL_FEES', status: 'CLOSED', count: 4 }),
  row({ month: '2026-01', code: 'LATE_END', status: 'RECTIFIED', count: 1 }),
  // Outside the months asked for: ignored.
  row({ month: '2025-10', code: 'LATE_END', status: 'DISMISSED', count: 9 }),
];

describe('buildFlagsTrendOption', () => {
  it('labels the months, January with its year', () => {
    const option = buildFlagsTrendOption({ months: MONTHS, counts: COUNTS, statuses: STATUSES })!;
    expect((option.xAxis as { data: string[] }).data).toEqual(['11月', '12月', '2026年1月']);
  });

  it('stacks the month’s flags by status, summing codes, 0 for months without flags', () => {
    const option = buildFlagsTrendOption({ months: MONTHS, counts: COUNTS, statuses: STATUSES })!;
    const series = option.series as BarSeriesOption[];
    expect(series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ['待处理', 'status', [3, 0, 0]],
      ['已整改待核查', 'status', [0, 0, 1]],
      ['已销号', 'status', [4, 0, 0]],
    ]);
    expect(chartTable(option)?.rows).toEqual([
      ['11月', '3', '0', '4'],
      ['12月', '0', '0', '0'],
      ['2026年1月', '0', '1', '0'],
    ]);
  });

  it('returns null when no month in range has a flag', () => {
    expect(buildFlagsTrendOption({ months: MONTHS, counts: [], statuses: STATUSES })).toBeNull();
    expect(
      buildFlagsTrendOption({ months: ['2025-09'], counts: COUNTS, statuses: STATUSES }),
    ).toBeNull();
  });
});
