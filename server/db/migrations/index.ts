import type { Migration } from '../migrate.ts';
import { initialWarehouse } from './0001_initial.ts';
import { accessAndFlags } from './0002_access_and_flags.ts';
import { participationMonthly } from './0003_participation_monthly.ts';
import { flagsVisitsPolicy } from './0004_flags_visits_policy.ts';
import { dropLoginLock } from './0005_drop_login_lock.ts';
import { rejectsNameTheSchool } from './0006_rejects_name_the_school.ts';
import { evaluationPublications } from './0007_evaluation_publications.ts';
import { rowVersionsAndOriginals } from './0008_row_versions_and_originals.ts';
import { dataDoubts } from './0009_data_doubts.ts';
import { supervisionMonth } from './0010_supervision_month.ts';
import { visitDrawCandidates } from './0011_visit_draw_candidates.ts';
import { schoolSide } from './0012_school_side.ts';
import { semesterFilings } from './0013_semester_filings.ts';
import { townshipMap } from './0014_township_map.ts';

export const migrations: readonly Migration[] = [
  initialWarehouse,
  accessAndFlags,
  participationMonthly,
  flagsVisitsPolicy,
  dropLoginLock,
  rejectsNameTheSchool,
  evaluationPublications,
  rowVersionsAndOriginals,
  dataDoubts,
  supervisionMonth,
  visitDrawCandidates,
  schoolSide,
  semesterFilings,
  townshipMap,
];
