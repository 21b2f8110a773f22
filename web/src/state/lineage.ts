/**
 * Which school-month's 数据来源 is open: one drawer for the whole app (App.vue), opened from
 * wherever a figure is shown (the schools table, the school page, a flag's evidence, an
 * evaluation point), so each of them needs only a button.
 */
import { ref } from 'vue';
import type { SourceTable } from '../api/__generated__/schema-types.ts';

export interface LineageTarget {
  schoolCode: string;
  month: string;
  table: SourceTable;
  /** Shown in the heading when the opener knows it. */
  schoolName: string | null;
  /** A figure of several months (an evaluation point): the months the drawer offers. */
  months: readonly string[] | null;
}

export const lineageTarget = ref<LineageTarget | null>(null);

export function openLineage(target: {
  schoolCode: string;
  month: string;
  table?: SourceTable;
  schoolName?: string | null;
  months?: readonly string[] | null;
}): void {
  lineageTarget.value = {
    schoolCode: target.schoolCode,
    month: target.month,
    table: target.table ?? 'MONTHLY_REPORTS',
    schoolName: target.schoolName ?? null,
    months: target.months && target.months.length > 1 ? target.months : null,
  };
}

export function closeLineage(): void {
  lineageTarget.value = null;
}
