/**
 * What a printed or exported page covers, written once: the viewer's remit, the filters,
 * the number of schools actually in scope in the month and the month. The monthly report
 * prints it as its letterhead and every export (GraphQL-fed or streamed by the server)
 * writes it as its first line, so a filtered page can never claim the whole district.
 */
import { sql, type Kysely } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { periodOf, type Period } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { ROLE_LABEL } from '../../db/roles.ts';
import type { Locality, Stage } from '../../db/tables/schools.table.ts';
import type { Role } from '../../db/tables/users.table.ts';
import { STAGE_LABELS } from '../../policy/month-rules.ts';
import { UnreachableCaseError } from '../errors.ts';
import { withScope, type ScopeFilter, type ScopeRequest } from './scope.ts';

export const LOCALITY_LABELS: Record<Locality, string> = {
  urban: '城区',
  town: '镇区',
  rural: '乡村',
};

export interface ScopeSummary {
  /** The month asked for; for a semester or school year, its last month. */
  month: string;
  /** The period's key ("2024-09", "2024-2025-1", "2024-2025") and label in 中文. */
  period: string;
  periodLabel: string;
  role: Role;
  /** The kicker of a printed page: who the page is written for. */
  audience: string;
  /** Whose schools: 全区, or 责任督学 张督学（DX01）挂牌学校. */
  remit: string;
  township: string | null;
  stage: Stage | null;
  locality: Locality | null;
  /** Schoolcodes the filter names (null: no such filter). */
  schoolCodes: number | null;
  /** Schools in scope in the month, or in some month of a semester or year. */
  schoolsInScope: number;
  /**
   * One line, e.g. 全区 · 石门乡 · 初中（10所学校）；2026年6月, or …；2025-2026学年第一学期
   * (pages print it after 统计范围：).
   */
  text: string;
}

function audience(role: Role): string {
  switch (role) {
    case 'LEADERSHIP':
      return '领导参阅';
    case 'BUREAU_INSPECTOR':
      return `${ROLE_LABEL.BUREAU_INSPECTOR}工作用`;
    case 'SUPERVISING_INSPECTOR':
      return `${ROLE_LABEL.SUPERVISING_INSPECTOR}工作用`;
    case 'SCHOOL_REPORTER':
      return `${ROLE_LABEL.SCHOOL_REPORTER}工作用`;
    case 'TOWNSHIP_REVIEWER':
      return `${ROLE_LABEL.TOWNSHIP_REVIEWER}工作用`;
    default:
      throw new UnreachableCaseError(role);
  }
}

function remit(viewer: Viewer): string {
  if (viewer.role === 'SCHOOL_REPORTER') return `本校（${viewer.schoolCode ?? '未关联学校'}）`;
  if (viewer.role === 'TOWNSHIP_REVIEWER') return `${viewer.township ?? '未关联乡镇'}学区`;
  if (viewer.role !== 'SUPERVISING_INSPECTOR') return '全区';
  return `${ROLE_LABEL.SUPERVISING_INSPECTOR} ${viewer.name}（${viewer.inspectorId ?? '未关联督学编号'}）挂牌学校`;
}

/** "2026-06" → "2026年6月". */
export function monthZh(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}

/**
 * The summary of a viewer's filtered scope in a month (or a period: a Period) with
 * `schools` schools in it.
 */
export function describeScope(
  viewer: Viewer,
  filter: ScopeFilter,
  monthOrPeriod: string | Period,
  schools: number,
): ScopeSummary {
  const period =
    typeof monthOrPeriod === 'string' ? periodOf(monthOrPeriod, 'MONTH') : monthOrPeriod;
  const month = period.months[period.months.length - 1] as string;
  const parts = [remit(viewer)];
  if (filter.township != null) parts.push(filter.township);
  if (filter.stage != null) parts.push(STAGE_LABELS[filter.stage]);
  if (filter.locality != null) parts.push(LOCALITY_LABELS[filter.locality]);
  if (filter.schoolCodes != null) parts.push(`所选${filter.schoolCodes.length}所学校`);
  return {
    month,
    period: period.key,
    periodLabel: period.label,
    role: viewer.role,
    audience: audience(viewer.role),
    remit: remit(viewer),
    township: filter.township ?? null,
    stage: filter.stage ?? null,
    locality: filter.locality ?? null,
    schoolCodes: filter.schoolCodes?.length ?? null,
    schoolsInScope: schools,
    text: `${parts.join(' · ')}（${schools}所学校）；${period.kind === 'MONTH' ? monthZh(month) : period.label}`,
  };
}

/** Schools of the registry open in the month within the request's remit and filter. */
export async function schoolsInScope(db: Kysely<Database>, request: ScopeRequest): Promise<number> {
  const result = await sql<{ n: number }>`${withScope(request)}
    SELECT count(DISTINCT school_code)::INTEGER AS n FROM scope`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/**
 * The summary of `request`'s first month, or of `period` (request.months: its months),
 * counting its schools (a school in scope in several of the months once).
 */
export async function scopeSummary(
  db: Kysely<Database>,
  request: ScopeRequest,
  period?: Period,
): Promise<ScopeSummary> {
  const asked = period ?? (request.months[0] as string);
  return describeScope(request.viewer, request.filter, asked, await schoolsInScope(db, request));
}
