/**
 * The one home of the 违规预警 status vocabulary (domain.md §5): the life-cycle order, each
 * status's Chinese label, which statuses are still open (未办结) and what "overdue" means.
 * ETL, server and (through the GraphQL schema's `flagStatuses` and `statusLabel` fields)
 * the web app all read it from here; test/server/db/flag-statuses.test.ts fails on a copy.
 */
import { sql, type RawBuilder } from 'kysely';

/** Every status in life-cycle order, with its label as users read it. */
export const FLAG_STATUS_VOCABULARY = [
  { status: 'OPEN', label: '待处理', open: true },
  { status: 'RECTIFYING', label: '整改中', open: true },
  { status: 'RECTIFIED', label: '已整改待核查', open: true },
  // 销号 is the usual word for finishing a 违规预警 after a check (domain guide, issue 13).
  { status: 'CLOSED', label: '已销号', open: false },
  { status: 'DISMISSED', label: '已撤销', open: false },
] as const;

export type FlagStatus = (typeof FLAG_STATUS_VOCABULARY)[number]['status'];

/** Every status in life-cycle order. */
export const FLAG_STATUSES: readonly FlagStatus[] = FLAG_STATUS_VOCABULARY.map((s) => s.status);

/** Statuses of a flag still needing someone's attention (未办结): the one definition of open. */
export const OPEN_FLAG_STATUSES: readonly FlagStatus[] = FLAG_STATUS_VOCABULARY.filter(
  (s) => s.open,
).map((s) => s.status);

/** OPEN_FLAG_STATUSES as a SQL list, "('OPEN', …)", for the ETL's hand-built SQL text. */
export const OPEN_FLAG_STATUSES_SQL = `(${OPEN_FLAG_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/** The status a rectification deadline runs in: past it, the flag is overdue. */
export const DEADLINE_STATUS: FlagStatus = 'RECTIFYING';

/** The steps that finish a flag (events; see FlagAction): a person's close or dismissal, or the system's. */
export const FINISHING_ACTIONS = ['CLOSED', 'DISMISSED', 'AUTO_RESOLVED'] as const;

const LABELS = new Map<string, string>(FLAG_STATUS_VOCABULARY.map((s) => [s.status, s.label]));

/** The status's Chinese label, e.g. 已销号. */
export function flagStatusLabel(status: FlagStatus): string {
  return LABELS.get(status) as string;
}

function statusList(statuses: readonly FlagStatus[]): RawBuilder<unknown> {
  return sql.join(statuses.map((s) => sql.lit(s)));
}

/** SQL truth of "the event aliased `alias` finishes its flag" (one of FINISHING_ACTIONS). */
export function finishingActionSql(alias = 'e'): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${alias}.action`)} IN (${sql.join(FINISHING_ACTIONS.map((a) => sql.lit(a)))})`;
}

/** SQL truth of "the flag aliased `alias` is open" (its status is one of OPEN_FLAG_STATUSES). */
export function flagOpenSql(alias = 'f'): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(`${alias}.status`)} IN (${statusList(OPEN_FLAG_STATUSES)})`;
}

/**
 * SQL truth of "the flag aliased `alias` is overdue on `today`" ("YYYY-MM-DD", Asia/Shanghai):
 * in rectification with a deadline before today (a deadline of today is not overdue yet).
 * Never NULL, so `NOT` of it is safe.
 */
export function flagOverdueSql(today: string, alias = 'f'): RawBuilder<boolean> {
  return sql<boolean>`coalesce(${sql.ref(`${alias}.status`)} = ${sql.lit(DEADLINE_STATUS)}
    AND ${sql.ref(`${alias}.rectify_deadline`)} < ${today}::DATE, FALSE)`;
}

/** Whole days the flag aliased `alias` is past its deadline on `today` (NULL when not overdue). */
export function flagDaysOverdueSql(today: string, alias = 'f'): RawBuilder<number | null> {
  return sql<number | null>`CASE WHEN ${flagOverdueSql(today, alias)}
    THEN date_diff('day', ${sql.ref(`${alias}.rectify_deadline`)}, ${today}::DATE)::INTEGER END`;
}
