/** The filters in words, for export notes, print headers and captions. */
import { LOCALITY_LABEL, STAGE_LABEL } from '../format/labels.ts';
import { month as monthLabel } from '../format/format.ts';
import type { Filters } from './filters.ts';

export function describeFilters(filters: Filters, month: string | null): string {
  return [
    `月份：${monthLabel(month)}`,
    `乡镇（街道）：${filters.township ?? '全部'}`,
    `学段：${filters.stage ? STAGE_LABEL[filters.stage] : '全部'}`,
    `城乡类型：${filters.locality ? LOCALITY_LABEL[filters.locality] : '全部'}`,
  ].join('；');
}
