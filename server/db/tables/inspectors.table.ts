import type { Selectable } from 'kysely';
import type { Provenance } from './provenance.ts';

/** Supervising inspectors (责任督学) as named by the latest assignments file. */
export interface InspectorsTable {
  inspector_id: string;
  inspector_name: string;
  batch_id: number;
}

/**
 * One row per inspector–school pair of an assignment set. A school's set applies from
 * effective_month (YYYY-MM) until its next set: the rule lives in server/db/remit.ts (the
 * inspector_assignment_periods view of migration 0001 is no longer read).
 */
export interface InspectorAssignmentsTable extends Provenance {
  inspector_id: string;
  school_code: string;
  effective_month: string;
}

export interface InspectorAssignmentPeriodsView {
  inspector_id: string;
  school_code: string;
  valid_from: string;
  /** First month the assignment no longer holds; null while current. */
  valid_until: string | null;
}
export type InspectorAssignment = Selectable<InspectorAssignmentsTable>;
