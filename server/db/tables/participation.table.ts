import type { Selectable } from 'kysely';
import type { Provenance } from './provenance.ts';

/** Participation of one grade (1-9) of a school in a month (分年级参与情况). */
export interface ParticipationTable extends Provenance {
  school_code: string;
  month: string;
  grade: number;
  enrolled: number;
  applicants: number;
  participants: number;
  left_behind_enrolled: number;
  left_behind_participants: number;
  migrant_enrolled: number;
  migrant_participants: number;
  disabled_enrolled: number;
  disabled_participants: number;
  poor_enrolled: number;
  poor_participants: number;
  /** Participants who came all five days; null when the file had no such column. */
  five_day_participants: number | null;
}
export type Participation = Selectable<ParticipationTable>;
