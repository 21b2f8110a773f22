import type { Selectable } from 'kysely';
import type { Provenance } from './provenance.ts';

/** One school's monthly report (学校月报); month is YYYY-MM, times HH:MM (Asia/Shanghai). */
export interface MonthlyReportsTable extends Provenance {
  school_code: string;
  month: string;
  school_name_reported: string | null;
  school_days: number;
  service_days: number;
  daily_minutes: number;
  /** Null only when service_days is 0. */
  latest_end_time: string | null;
  homework_periods: number;
  written_homework_g12: boolean;
  /** Yuan per period; 0 = free. */
  fee_per_period: number;
  fee_waived: number;
  waived_but_charged: number;
  fees_published: boolean;
  teachers_serving: number;
  teacher_pay_per_period: number;
  external_staff: number;
  providers: number;
  providers_unapproved: number;
  largest_group: number;
  incidents: number;
  complaints: number;
}
export type MonthlyReport = Selectable<MonthlyReportsTable>;
