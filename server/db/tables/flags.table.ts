import type { Generated, Selectable } from 'kysely';

export type FlagStatus = 'OPEN' | 'RECTIFYING' | 'RECTIFIED' | 'CLOSED' | 'DISMISSED';

/** A violation flag on a school (and month, when the evidence is a monthly report). */
export interface FlagsTable {
  flag_id: Generated<number>;
  school_code: string;
  month: string | null;
  code: string;
  status: FlagStatus;
  detail: string;
  created_at: Generated<string | Date>;
  updated_at: Generated<string | Date>;
}
export type Flag = Selectable<FlagsTable>;
