/**
 * What a national export (`npm run -s warehouse -- export <dir>`) carries, and what it
 * leaves out and why. The rule: the facts a province or the ministry needs to recompute
 * every figure the dashboard shows, as the warehouse stores them (pupils appear only as
 * counts per school, grade and month; survey respondents only as a respondent type and
 * their answers), and nothing that names or reaches a person: no users, sessions, password
 * hashes, session tokens, push secrets, audit trail, complainants, inspectors' names, staff
 * usernames or free-text notes, and no raw cell values of rejected rows.
 *
 * Columns are listed by what is left out (`omit`, each with its reason) rather than what is
 * kept, so a column a later migration adds is exported by default; the export test fails on
 * any exported column whose name looks personal (user, name, note, contact, secret, …), so
 * such a column has to be decided on here.
 */

/** The hive partition keys: every table by district, facts with a month also by month. */
export type PartitionKeys = readonly ['district'] | readonly ['district', 'month'];

export interface ExportedTable {
  /** The warehouse table, and the folder name in the export. */
  table: string;
  partitionBy: PartitionKeys;
  /** Columns left out, with the reason. */
  omit?: Readonly<Record<string, string>>;
  /** Why a province needs the table. */
  why: string;
}

const STAFF = 'names a member of staff (username, user id or display name)';
const FREE_TEXT = 'free text typed by staff, which may name pupils or parents';

export const EXPORTED_TABLES: readonly ExportedTable[] = [
  {
    table: 'schools',
    partitionBy: ['district'],
    why: 'the registry: which schools are open in a month (coverage, scope), township, stage',
  },
  {
    table: 'monthly_reports',
    partitionBy: ['district', 'month'],
    why: 'coverage, 5+2, teachers, external staff and providers',
  },
  {
    table: 'participation',
    partitionBy: ['district', 'month'],
    why: 'participation by grade and priority group, as loaded (the largest table)',
  },
  {
    table: 'participation_monthly',
    partitionBy: ['district', 'month'],
    why: "the school × month rollup the dashboard's participation figures read",
  },
  {
    table: 'survey_responses',
    partitionBy: ['district', 'month'],
    why: 'satisfaction: one row per respondent (school, respondent type, month), no identity',
  },
  {
    table: 'survey_items',
    partitionBy: ['district'],
    why: 'satisfaction: which item of a questionnaire is the overall (总体) one',
  },
  {
    table: 'survey_answers',
    partitionBy: ['district'],
    why: 'satisfaction: the answers (score 1..5) of each respondent',
  },
  {
    table: 'flags',
    partitionBy: ['district', 'month'],
    omit: { raised_by: STAFF, rectify_request: FREE_TEXT, rectify_report: FREE_TEXT },
    why: 'violation flags by rule, status and month; open and overdue counts',
  },
  {
    table: 'flag_events',
    partitionBy: ['district'],
    omit: { user_id: STAFF, username: STAFF, user_name: STAFF, note: FREE_TEXT },
    why: "flags' life cycle (when raised, rectified, closed) for time-to-close figures",
  },
  {
    table: 'unit_reviews',
    partitionBy: ['district', 'month'],
    omit: { updated_by: STAFF, updated_by_name: STAFF },
    why: 'which school-months are approved (已审核), for figures of locked data only',
  },
  {
    table: 'load_batches',
    partitionBy: ['district'],
    omit: {
      file_path: "a path on the district's server",
      loaded_by: STAFF,
    },
    why: 'when each report arrived (report timeliness) and which file a row came from',
  },
  {
    table: 'visits',
    partitionBy: ['district'],
    omit: {
      user_id: STAFF,
      username: STAFF,
      user_name: STAFF,
      inspector_id: 'identifies an inspector (督学), a person',
      findings: FREE_TEXT,
      evidence: FREE_TEXT,
    },
    why: 'inspection visits per school and kind (supervision coverage)',
  },
  {
    table: 'complaints',
    partitionBy: ['district'],
    omit: {
      complainant_name: "a parent's or citizen's name",
      complainant_contact: "a parent's or citizen's phone or address",
      allegation: FREE_TEXT,
      finding: FREE_TEXT,
      handler_user_id: STAFF,
      created_by_user_id: STAFF,
      created_by: STAFF,
    },
    why: 'complaints per school, rule and status, whether substantiated',
  },
];

/**
 * Tables derived at export time (not stored in the warehouse), so the portable SQL needs
 * neither the policy file nor date functions that differ between engines.
 */
export const DERIVED_TABLES = {
  districts: {
    partitionBy: ['district'] as const,
    why: "one row: the district's name, policy and the export's instant and Shanghai date (overdue is judged on it)",
  },
  district_months: {
    partitionBy: ['district'] as const,
    why: 'each month of the data with the policy parameters its figures are judged by (service month, 5+2 minimums, report deadline) and its first and last day',
  },
  flag_statuses: {
    partitionBy: ['district'] as const,
    why: 'the flag status vocabulary: which statuses are open (未办结) and in which a rectification deadline runs',
  },
} as const;

/** Warehouse tables deliberately not exported, with the reason (README "National scale"). */
export const NOT_EXPORTED: Readonly<Record<string, string>> = {
  users: 'accounts: password hashes, names, roles',
  sessions: 'session token hashes, IP addresses, browsers',
  audit_log: 'who did what when, with IP addresses',
  push_channels: 'webhook and mail targets with their secrets',
  push_deliveries: 'delivery payloads and errors of the push channels',
  notifications: "users' personal inboxes",
  load_rejects: 'raw cell values of rejected rows, which may hold anything typed into a file',
  row_versions: 'superseded raw rows kept for lineage (figures come from the current rows)',
  policy_files: 'given as district_months (parameters per month) and in the manifest',
  schema_migrations: 'given in the manifest (schemaVersion)',
  inspectors: "inspectors' names",
  inspector_assignments: "a district's internal remit of named inspectors",
  visit_checks: 'checklist notes of visits (free text)',
  visit_draws: 'the random draw of visits, by named users',
  visit_draw_schools: 'part of the draw',
  visit_draw_candidates: 'part of the draw',
  evidence_files: 'photos and documents in the originals store, not exported',
  complaint_events: "handlers' names and notes",
  data_doubts: "the district's internal data-quality workflow, with reviewers' notes",
  data_doubt_events: 'ditto',
  evaluation_publications: 'published evaluations: derived from the exported facts by a scheme',
  evaluation_results: 'ditto',
  semester_filings: "schools' plan filings with named filers and reviewers",
  semester_filing_events: 'ditto',
  unit_review_events: "reviewers' names and notes",
};
