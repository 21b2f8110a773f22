/**
 * Reading flags: a filtered page with its total, counts by month, code and status, and the
 * events of a set of flags. Every query starts from the same WHERE (visibility, then the
 * filter), so the list, the counts and the school page agree on what a filter means.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import {
  DEADLINE_STATUS,
  FLAG_STATUSES,
  OPEN_FLAG_STATUSES,
  flagDaysOverdueSql,
} from '../../db/flag-statuses.ts';
import type { FlagAction, FlagSource, FlagStatus } from '../../db/tables/flags.table.ts';
import type { FlagSort } from '../__generated__/resolvers-types.ts';
import { UnreachableCaseError } from '../errors.ts';
import { filterConditions, type ScopeFilter } from '../scope/scope.ts';
import {
  flagOverdueSql,
  flagSelect,
  flagVisibleSql,
  type FlagRow,
  type FlagView,
} from './flag-row.ts';

/** What a flag list asks for; every field narrows, null leaves it open. */
export interface FlagFilter {
  /** Inclusive bounds on the flag's month ("YYYY-MM"); a bound excludes flags without one. */
  from: string | null;
  to: string | null;
  schoolCode: string | null;
  /** Any of these codes; [] matches nothing. */
  codes: readonly string[] | null;
  /** Any of these statuses; [] matches nothing. */
  statuses: readonly FlagStatus[] | null;
  source: FlagSource | null;
  /** true: only overdue flags (see flagOverdueSql); false: only the others. */
  overdue: boolean | null;
  /** The school's registry attributes; narrows the remit, never widens it. */
  scope: ScopeFilter;
}

export const ANY_FLAG: FlagFilter = {
  from: null,
  to: null,
  schoolCode: null,
  codes: null,
  statuses: null,
  source: null,
  overdue: null,
  scope: {},
};

const anyOf = (column: RawBuilder<unknown>, values: readonly string[]) =>
  values.length === 0 ? sql`FALSE` : sql`${column} IN (${sql.join(values.map((v) => sql`${v}`))})`;

/** Visibility AND the filter, over `flags f LEFT JOIN schools s` (the monthly report reuses it). */
export function whereSql(view: FlagView, filter: FlagFilter): RawBuilder<unknown> {
  const conditions: RawBuilder<unknown>[] = [flagVisibleSql(view)];
  if (filter.from !== null) conditions.push(sql`f.month >= ${filter.from}`);
  if (filter.to !== null) conditions.push(sql`f.month <= ${filter.to}`);
  if (filter.schoolCode !== null) conditions.push(sql`f.school_code = ${filter.schoolCode}`);
  if (filter.codes !== null) conditions.push(anyOf(sql`f.code`, filter.codes));
  if (filter.statuses !== null) conditions.push(anyOf(sql`f.status`, filter.statuses));
  if (filter.source !== null) conditions.push(sql`f.source = ${filter.source}`);
  if (filter.overdue !== null)
    conditions.push(filter.overdue ? flagOverdueSql(view) : sql`NOT ${flagOverdueSql(view)}`);
  conditions.push(...filterConditions(filter.scope));
  return sql.join(conditions, sql` AND `);
}

/**
 * The one count of open flags (未办结 statuses, server/db/flag-statuses.ts) every view uses:
 * the flags page, the overview's KPI, the schools list and school page, the report.
 * `SELECT school_code, open_flags, overdue_flags, days_overdue` per school with an open
 * flag the viewer may see (the same WHERE as the flags list), narrowed by `scope`. Open is
 * "as of now", not per month: a flag raised by a visit in a month no report covers (so no
 * month picker offers it) still counts, in every view alike.
 */
export function openFlagsBySchoolSql(view: FlagView, scope: ScopeFilter): RawBuilder<unknown> {
  const where = whereSql(view, { ...ANY_FLAG, statuses: OPEN_FLAG_STATUSES, scope });
  return sql`SELECT f.school_code, count(*)::INTEGER AS open_flags,
      count(*) FILTER (WHERE ${flagOverdueSql(view)})::INTEGER AS overdue_flags,
      max(${flagDaysOverdueSql(view.today)})::INTEGER AS days_overdue
    FROM flags f LEFT JOIN schools s ON s.school_code = f.school_code
    WHERE ${where}
    GROUP BY f.school_code`;
}

export interface FlagPage {
  /** Every flag the filter matches, whatever the page. */
  total: number;
  /** In the page's sort order (flagOrderSql). */
  rows: FlagRow[];
}

type PageRow = Omit<FlagRow, 'flag_id'> & { flag_id: FlagRow['flag_id'] | null; total: number };

/**
 * Sort keys of flag `f` for flagOrderSql: `due` is the deadline of a flag under
 * rectification only, since a finished flag's old deadline is no longer anyone's to meet.
 */
function sortKeysSql(view: FlagView): RawBuilder<unknown> {
  return sql`f.created_at, ${flagDaysOverdueSql(view.today)} AS days_overdue,
    CASE WHEN f.status = ${sql.lit(DEADLINE_STATUS)} THEN f.rectify_deadline END AS due`;
}

/**
 * ORDER BY of a flag list over rows carrying flag_id, created_at, days_overdue and due
 * (sortKeysSql), prefixed `alias.`: newest first; oldest first; or most days overdue, then
 * the nearest deadline, then newest. flag_id breaks ties so pages never overlap.
 */
export function flagOrderSql(sort: FlagSort, alias: string): RawBuilder<unknown> {
  const c = (column: string) => sql.ref(`${alias}.${column}`);
  switch (sort) {
    case 'NEWEST':
      return sql`${c('created_at')} DESC, ${c('flag_id')} DESC`;
    case 'OLDEST_FIRST':
      return sql`${c('created_at')} ASC, ${c('flag_id')} ASC`;
    case 'OVERDUE_FIRST':
      return sql`${c('days_overdue')} DESC NULLS LAST, ${c('due')} ASC NULLS LAST,
        ${c('created_at')} DESC, ${c('flag_id')} DESC`;
    default:
      throw new UnreachableCaseError(sort);
  }
}

/**
 * One page of matching flags and the total, in one statement. The total comes from its
 * own CTE joined to the page, so a page past the end still reports it (one row of NULLs).
 */
export async function flagPage(
  db: Kysely<Database>,
  view: FlagView,
  filter: FlagFilter,
  page: { limit: number; offset: number; sort?: FlagSort },
): Promise<FlagPage> {
  const sort = page.sort ?? 'NEWEST';
  const result = await sql<PageRow>`WITH matched AS (
      SELECT f.flag_id, ${sortKeysSql(view)} FROM flags f
      LEFT JOIN schools s ON s.school_code = f.school_code
      WHERE ${whereSql(view, filter)}),
    page AS (
      SELECT flag_id FROM matched m ORDER BY ${flagOrderSql(sort, 'm')}
      LIMIT ${page.limit} OFFSET ${page.offset}),
    page_rows AS (${flagSelect(view, sql`CASE WHEN f.status = ${sql.lit(DEADLINE_STATUS)} THEN f.rectify_deadline END AS due`)}
      WHERE f.flag_id IN (SELECT flag_id FROM page))
    SELECT (SELECT count(*) FROM matched)::INTEGER AS total, r.* EXCLUDE (due)
    FROM (SELECT 1) AS one LEFT JOIN page_rows r ON TRUE
    ORDER BY ${flagOrderSql(sort, 'r')}`.execute(db);
  const rows = result.rows.filter((r): r is PageRow & FlagRow => r.flag_id !== null);
  return { total: result.rows[0]?.total ?? 0, rows };
}

/** One group of recurring flags (same school and rule) as the warehouse answers it. */
export interface FlagGroupRow {
  school_code: string;
  rule: string;
  code: string;
  count: number;
  open_count: number;
  overdue_count: number;
  months: string[];
  /** Newest first, at most MAX_GROUP_IDS. */
  flag_ids: (number | bigint)[];
  latest_id: number | bigint;
}

export interface FlagGroupPage {
  total: number;
  groups: FlagGroupRow[];
}

/** Most flag IDs a group lists (its count stays exact). */
export const MAX_GROUP_IDS = 100;

/**
 * Matching flags grouped by school and rule, a page of groups with the total. A group is
 * sorted by its flags' keys: its newest flag (NEWEST), its oldest (OLDEST_FIRST) or its
 * most overdue and nearest deadline (OVERDUE_FIRST); ties by the newest flag.
 */
export async function flagGroupPage(
  db: Kysely<Database>,
  view: FlagView,
  filter: FlagFilter,
  page: { limit: number; offset: number; sort: FlagSort },
): Promise<FlagGroupPage> {
  const open = sql.join(OPEN_FLAG_STATUSES.map((s) => sql`${s}`));
  const result = await sql<FlagGroupRow & { total: number }>`WITH matched AS (
      SELECT f.flag_id, f.school_code, f.rule, f.code, f.month, f.status,
        ${flagOverdueSql(view)} AS overdue, ${sortKeysSql(view)}
      FROM flags f LEFT JOIN schools s ON s.school_code = f.school_code
      WHERE ${whereSql(view, filter)}),
    ranked AS (
      SELECT m.*, row_number() OVER (PARTITION BY m.school_code, m.rule
        ORDER BY m.created_at DESC, m.flag_id DESC) AS newest_rank
      FROM matched m),
    groups AS (
      SELECT school_code, rule, any_value(code) AS code, count(*)::INTEGER AS count,
        count(*) FILTER (WHERE status IN (${open}))::INTEGER AS open_count,
        count(*) FILTER (WHERE overdue)::INTEGER AS overdue_count,
        coalesce(list(DISTINCT month ORDER BY month) FILTER (WHERE month IS NOT NULL), [])
          AS months,
        list(flag_id ORDER BY newest_rank) FILTER (WHERE newest_rank <= ${MAX_GROUP_IDS})
          AS flag_ids,
        max(flag_id) FILTER (WHERE newest_rank = 1) AS latest_id,
        max(created_at) AS created_at, min(created_at) AS first_at,
        max(days_overdue) AS days_overdue, min(due) AS due
      FROM ranked GROUP BY school_code, rule)
    SELECT (SELECT count(*) FROM groups)::INTEGER AS total, g.*
    FROM (SELECT 1) AS one LEFT JOIN (
      SELECT * FROM groups ORDER BY ${groupOrderSql(page.sort)}
      LIMIT ${page.limit} OFFSET ${page.offset}) g ON TRUE
    ORDER BY ${groupOrderSql(page.sort, 'g')}`.execute(db);
  const groups = result.rows.filter((r) => r.school_code !== null);
  return { total: result.rows[0]?.total ?? 0, groups };
}

/** ORDER BY of groups (see flagGroupPage); ties by school and rule so pages never overlap. */
function groupOrderSql(sort: FlagSort, alias?: string): RawBuilder<unknown> {
  const c = (column: string) => sql.ref(alias === undefined ? column : `${alias}.${column}`);
  const tie = sql`${c('school_code')}, ${c('rule')}`;
  switch (sort) {
    case 'NEWEST':
      return sql`${c('created_at')} DESC, ${tie}`;
    case 'OLDEST_FIRST':
      return sql`${c('first_at')} ASC, ${tie}`;
    case 'OVERDUE_FIRST':
      return sql`${c('days_overdue')} DESC NULLS LAST, ${c('due')} ASC NULLS LAST,
        ${c('created_at')} DESC, ${tie}`;
    default:
      throw new UnreachableCaseError(sort);
  }
}

export interface FlagCountRow {
  month: string;
  code: string;
  status: FlagStatus;
  count: number;
}

/** Matching flags with a month, counted by month, code and status; zero counts are absent. */
export async function flagCounts(
  db: Kysely<Database>,
  view: FlagView,
  filter: FlagFilter,
): Promise<FlagCountRow[]> {
  const rank = sql.join(
    FLAG_STATUSES.map((s, i) => sql`WHEN ${s} THEN ${i}`),
    sql` `,
  );
  const result = await sql<FlagCountRow>`SELECT f.month, f.code, f.status,
      count(*)::INTEGER AS count
    FROM flags f
    LEFT JOIN schools s ON s.school_code = f.school_code
    WHERE f.month IS NOT NULL AND ${whereSql(view, filter)}
    GROUP BY f.month, f.code, f.status
    ORDER BY f.month, f.code, CASE f.status ${rank} END`.execute(db);
  return result.rows;
}

export interface FlagEventRow {
  event_id: number | bigint;
  flag_id: number | bigint;
  action: FlagAction;
  from_status: FlagStatus | null;
  to_status: FlagStatus;
  username: string;
  user_name: string;
  occurred_at: Date | string;
  note: string | null;
  /** YYYY-MM-DD */
  deadline: string | null;
  batch_id: number | null;
  visit_id: number | bigint | null;
}

/** The events of the given flags, by flag and then oldest first (event_id). */
export async function flagEvents(
  db: Kysely<Database>,
  flagIds: readonly number[],
): Promise<FlagEventRow[]> {
  if (flagIds.length === 0) return [];
  const result = await sql<FlagEventRow>`SELECT e.event_id, e.flag_id, e.action, e.from_status,
      e.to_status, e.username, e.user_name, e.occurred_at, e.note,
      strftime(e.deadline, '%Y-%m-%d') AS deadline, e.batch_id, e.visit_id
    FROM flag_events e
    WHERE e.flag_id IN (${sql.join(flagIds.map((id) => sql`${id}`))})
    ORDER BY e.flag_id, e.event_id`.execute(db);
  return result.rows;
}
