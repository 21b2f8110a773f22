import type { Selectable } from 'kysely';
import type { Provenance } from './provenance.ts';

export type Stage = 'primary' | 'junior' | 'nine_year' | 'complete';
export type Locality = 'urban' | 'town' | 'rural';
export type Ownership = 'public' | 'private';

/** The school registry (学校名录). valid_from/valid_to bound the months a school exists. */
export interface SchoolsTable extends Provenance {
  school_code: string;
  school_name: string;
  township: string;
  stage: Stage;
  locality: Locality;
  ownership: Ownership;
  remote: boolean;
  teachers_total: number;
  /** First day the school exists (null: before any report). */
  valid_from: string | null;
  /** Day the school closed or merged (null: still open). */
  valid_to: string | null;
  /** Code of the school it merged into, if any. */
  merged_into: string | null;
}
export type School = Selectable<SchoolsTable>;
