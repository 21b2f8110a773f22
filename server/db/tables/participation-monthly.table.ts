/**
 * participation summed per school and month (see migration 0003). BIGINT columns come
 * back as bigint through the driver.
 */
export interface ParticipationMonthlyTable {
  school_code: string;
  month: string;
  grades: number;
  enrolled: bigint;
  applicants: bigint;
  participants: bigint;
  left_behind_enrolled: bigint;
  left_behind_participants: bigint;
  migrant_enrolled: bigint;
  migrant_participants: bigint;
  disabled_enrolled: bigint;
  disabled_participants: bigint;
  poor_enrolled: bigint;
  poor_participants: bigint;
  /** Null when no grade of the school-month reported five-day attendance. */
  five_day_participants: bigint | null;
  /** Participants of the grades that reported five-day attendance. */
  five_day_base: bigint | null;
}
