/**
 * Findings about breaches: the month's new flags by code, overdue rectifications, and
 * reports missing after the policy's deadline (pending before it).
 */
import { FLAG_CATALOGUE } from '../../policy/flag-catalogue.ts';
import type { ReportFinding } from '../__generated__/resolvers-types.ts';
import {
  complaintsSentence,
  missingReportsSentence,
  periodMissingReportsSentence,
  newFlagsSentence,
  openFlagsSentence,
  overdueSentence,
} from './finding-text.ts';
import { byCode, finding, type FindingInput } from './finding-input.ts';
import type { PeriodWords } from './report-format.ts';

const CATALOGUE_ORDER = [...FLAG_CATALOGUE.keys()];
const catalogueRank = (code: string) => {
  const i = CATALOGUE_ORDER.indexOf(code);
  return i < 0 ? CATALOGUE_ORDER.length : i;
};

/** FLAGS.NEW: every flag of the month, counted by code (most first, then catalogue order). */
export function newFlags(input: FindingInput): ReportFinding[] {
  const codes = input.newFlags
    .filter((c) => c.count > 0)
    .sort(
      (a, b) =>
        b.count - a.count ||
        catalogueRank(a.code) - catalogueRank(b.code) ||
        a.code.localeCompare(b.code),
    );
  if (codes.length === 0) return [];
  return [finding('FLAGS.NEW', 'ALERT', newFlagsSentence(codes, input.words))];
}

/** FLAGS.OVERDUE: Overview.overdueFlags (as of today), naming the schools longest overdue first. */
export function overdue(input: FindingInput): ReportFinding[] {
  const flags = input.overdue.reduce((n, s) => n + s.flags, 0);
  if (flags === 0) return [];
  const schools = input.overdue.flatMap(
    (o) => input.schools.find((s) => s.school.code === o.schoolCode) ?? [],
  );
  return [finding('FLAGS.OVERDUE', 'ALERT', overdueSentence(flags, input.overdue.length), schools)];
}

/**
 * FLAGS.OPEN: Overview.openFlags with how many are overdue (Overview.overdueFlags) and how
 * many have stayed open past the policy's long_open_days: an alert when any is overdue or
 * long open, else a warning.
 */
export function openFlags(input: FindingInput): ReportFinding[] {
  const { openFlags: open, overdueFlags } = input.overview;
  if (open === 0) return [];
  const { longOpen, longOpenDays, oldestSince } = input.flagAges;
  const s = openFlagsSentence(open, overdueFlags, longOpen, longOpenDays, oldestSince);
  return [finding('FLAGS.OPEN', overdueFlags > 0 || longOpen > 0 ? 'ALERT' : 'WARNING', s)];
}

/**
 * REPORTS.MISSING (ALERT) once the policy's deadline for the month has passed, as the
 * MISSING_REPORT flags judge it; REPORTS.PENDING (INFO) before; nothing in a month without
 * service.
 */
export function missingReports(input: FindingInput): ReportFinding[] {
  if (input.words?.summed) return periodMissingReports(input, input.words);
  const due = input.rules.reportDue;
  if (due === null) return [];
  const missing = input.schools.filter((s) => !s.reported).sort(byCode);
  if (missing.length === 0) return [];
  const s = missingReportsSentence(missing.length, due.date, due.passed);
  return [
    due.passed
      ? finding('REPORTS.MISSING', 'ALERT', s, missing)
      : finding('REPORTS.PENDING', 'INFO', s, missing),
  ];
}

/**
 * REPORTS.MISSING over a semester or year: the school-months of its service months without
 * a report (Overview.schoolsNotReported), naming the schools that sent none at all. Months
 * whose deadline has not passed yet count too: the period is judged as it stands.
 */
function periodMissingReports(input: FindingInput, words: PeriodWords): ReportFinding[] {
  const missing = input.overview.schoolsNotReported ?? 0;
  if (missing === 0) return [];
  const never = input.schools.filter((s) => !s.reported).sort(byCode);
  return [finding('REPORTS.MISSING', 'ALERT', periodMissingReportsSentence(words, missing), never)];
}

/**
 * COMPLAINTS.RECEIVED (WARNING): the period's complaints by category (most first, then
 * catalogue order), naming the schools with most complaints first.
 */
export function complaints(input: FindingInput): ReportFinding[] {
  const rows = input.complaints ?? [];
  if (rows.length === 0) return [];
  const byCategory = new Map<string, number>();
  const bySchool = new Map<string, number>();
  for (const r of rows) {
    byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + r.count);
    bySchool.set(r.schoolCode, (bySchool.get(r.schoolCode) ?? 0) + r.count);
  }
  const codes = [...byCategory]
    .map(([code, count]) => ({ code, count }))
    .sort(
      (a, b) =>
        b.count - a.count ||
        catalogueRank(a.code) - catalogueRank(b.code) ||
        a.code.localeCompare(b.code),
    );
  const schools = [...bySchool]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .flatMap(([code]) => input.schools.find((s) => s.school.code === code) ?? []);
  const s = complaintsSentence(codes, bySchool.size, input.words);
  return [finding('COMPLAINTS.RECEIVED', 'WARNING', s, schools)];
}
