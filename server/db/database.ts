/**
 * The one warehouse contract shared by the ETL and the server.
 */
import type {
  InspectorAssignmentPeriodsView,
  InspectorAssignmentsTable,
  InspectorsTable,
} from './tables/inspectors.table.ts';
import type {
  EvaluationPublicationsTable,
  EvaluationResultsTable,
} from './tables/evaluation-publications.table.ts';
import type { FlagEventsTable, FlagsTable } from './tables/flags.table.ts';
import type { LoadBatchesTable } from './tables/load-batches.table.ts';
import type { LoadRejectsTable } from './tables/load-rejects.table.ts';
import type { MonthlyReportsTable } from './tables/monthly-reports.table.ts';
import type { ParticipationMonthlyTable } from './tables/participation-monthly.table.ts';
import type { ParticipationTable } from './tables/participation.table.ts';
import type { SchoolsTable } from './tables/schools.table.ts';
import type {
  SurveyAnswersTable,
  SurveyItemsTable,
  SurveyResponsesTable,
} from './tables/survey.table.ts';
import type { PolicyFilesTable } from './tables/policy-files.table.ts';
import type { TownshipMapTable } from './tables/township-map.table.ts';
import type { VisitChecksTable, VisitsTable } from './tables/visits.table.ts';
import type { RowVersionsTable } from './tables/row-versions.table.ts';
import type { DataDoubtEventsTable, DataDoubtsTable } from './tables/data-doubts.table.ts';
import type { ComplaintEventsTable, ComplaintsTable } from './tables/complaints.table.ts';
import type { EvidenceFilesTable } from './tables/evidence-files.table.ts';
import type { UnitReviewEventsTable, UnitReviewsTable } from './tables/unit-reviews.table.ts';
import type {
  SemesterFilingEventsTable,
  SemesterFilingsTable,
} from './tables/semester-filings.table.ts';
import type {
  VisitDrawCandidatesTable,
  VisitDrawSchoolsTable,
  VisitDrawsTable,
} from './tables/visit-draws.table.ts';
import type {
  NotificationsTable,
  PushChannelsTable,
  PushDeliveriesTable,
} from './tables/notifications.table.ts';
import type { AuditLogTable, SessionsTable, UsersTable } from './tables/users.table.ts';

export interface Database {
  load_batches: LoadBatchesTable;
  load_rejects: LoadRejectsTable;
  schools: SchoolsTable;
  inspectors: InspectorsTable;
  inspector_assignments: InspectorAssignmentsTable;
  inspector_assignment_periods: InspectorAssignmentPeriodsView;
  monthly_reports: MonthlyReportsTable;
  participation: ParticipationTable;
  participation_monthly: ParticipationMonthlyTable;
  survey_items: SurveyItemsTable;
  survey_responses: SurveyResponsesTable;
  survey_answers: SurveyAnswersTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  flags: FlagsTable;
  flag_events: FlagEventsTable;
  visits: VisitsTable;
  visit_checks: VisitChecksTable;
  policy_files: PolicyFilesTable;
  evaluation_publications: EvaluationPublicationsTable;
  evaluation_results: EvaluationResultsTable;
  row_versions: RowVersionsTable;
  data_doubts: DataDoubtsTable;
  data_doubt_events: DataDoubtEventsTable;
  complaints: ComplaintsTable;
  complaint_events: ComplaintEventsTable;
  evidence_files: EvidenceFilesTable;
  visit_draws: VisitDrawsTable;
  visit_draw_schools: VisitDrawSchoolsTable;
  visit_draw_candidates: VisitDrawCandidatesTable;
  unit_reviews: UnitReviewsTable;
  unit_review_events: UnitReviewEventsTable;
  semester_filings: SemesterFilingsTable;
  semester_filing_events: SemesterFilingEventsTable;
  township_map: TownshipMapTable;
  notifications: NotificationsTable;
  push_channels: PushChannelsTable;
  push_deliveries: PushDeliveriesTable;
}
