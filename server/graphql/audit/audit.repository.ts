/**
 * The audit trail as read: audit_log rows filtered in SQL (the category filter is the
 * vocabulary's action list, server/db/vocabulary/audit-actions.ts), newest first. The
 * GraphQL page and the CSV export share the one filter, so the file holds exactly what
 * the screen listed.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/database.ts';
import { shanghaiInstant } from '../../db/calendar.ts';
import {
  AUDIT_ACTIONS,
  AUDIT_CATEGORIES,
  OTHER_CATEGORY,
  actionsOf,
  type AuditCategory,
} from '../../db/vocabulary/audit-actions.ts';

export type AuditOutcomeValue = 'ok' | 'denied' | 'failed';

export interface AuditFilter {
  /** "YYYY-MM-DD", Asia/Shanghai, inclusive. */
  from?: string | null;
  to?: string | null;
  username?: string | null;
  category?: AuditCategory | null;
  outcome?: AuditOutcomeValue | null;
  /** Matched (case-insensitive, as a substring) in user, display name, target or detail. */
  text?: string | null;
}

export interface AuditRow {
  audit_id: number | bigint;
  /** occurred_at as milliseconds since the epoch. */
  occurred_ms: number | bigint;
  username: string | null;
  user_name: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcomeValue;
  detail: string | null;
  ip: string | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const inList = (values: readonly string[]) => sql.join(values.map((v) => sql`${v}`));

function categoryCondition(category: AuditCategory): RawBuilder<unknown> {
  if (category !== OTHER_CATEGORY) return sql`a.action IN (${inList(actionsOf(category))})`;
  // 其他: the actions listed under it and any action the vocabulary does not know.
  const known = AUDIT_ACTIONS.filter((a) => a.category !== OTHER_CATEGORY).map((a) => a.action);
  return sql`a.action NOT IN (${inList(known)})`;
}

function conditions(filter: AuditFilter): RawBuilder<unknown> {
  const out: RawBuilder<unknown>[] = [];
  if (filter.from)
    out.push(sql`a.occurred_at >= ${shanghaiInstant(filter.from).toISOString()}::TIMESTAMPTZ`);
  if (filter.to) {
    const end = new Date(shanghaiInstant(filter.to).getTime() + DAY_MS);
    out.push(sql`a.occurred_at < ${end.toISOString()}::TIMESTAMPTZ`);
  }
  if (filter.username) out.push(sql`a.username = ${filter.username}`);
  if (filter.category) out.push(categoryCondition(filter.category));
  if (filter.outcome) out.push(sql`a.outcome = ${filter.outcome}`);
  if (filter.text) {
    const t = filter.text.toLowerCase();
    out.push(sql`(strpos(lower(coalesce(a.username, '')), ${t}) > 0
      OR strpos(lower(coalesce(u.display_name, '')), ${t}) > 0
      OR strpos(lower(coalesce(a.target, '')), ${t}) > 0
      OR strpos(lower(coalesce(a.detail, '')), ${t}) > 0)`);
  }
  return out.length > 0 ? sql.join(out, sql` AND `) : sql`TRUE`;
}

const FILTERED = (filter: AuditFilter) => sql`filtered AS (
    SELECT a.audit_id, epoch_ms(a.occurred_at) AS occurred_ms, a.username,
      u.display_name AS user_name, a.action, a.target, a.outcome, a.detail, a.ip
    FROM audit_log a LEFT JOIN users u ON u.user_id = a.user_id
    WHERE ${conditions(filter)})`;

type PageRow = Omit<AuditRow, 'audit_id'> & { audit_id: number | bigint | null; total: number };

/** One page, newest first, with the total (still there on a page past the end). */
export async function auditPage(
  db: Kysely<Database>,
  filter: AuditFilter,
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: AuditRow[] }> {
  const result = await sql<PageRow>`WITH ${FILTERED(filter)},
    page AS (SELECT * FROM filtered ORDER BY occurred_ms DESC, audit_id DESC
      LIMIT ${page.limit} OFFSET ${page.offset})
    SELECT (SELECT count(*) FROM filtered)::INTEGER AS total, p.*
    FROM (SELECT 1) AS one LEFT JOIN page p ON TRUE
    ORDER BY p.occurred_ms DESC, p.audit_id DESC`.execute(db);
  const rows = result.rows.filter((r): r is PageRow & AuditRow => r.audit_id !== null);
  return { total: result.rows[0]?.total ?? 0, rows };
}

/** Up to `limit` + 1 rows newest first (the caller tells "more than limit" from the extra). */
export async function auditRows(
  db: Kysely<Database>,
  filter: AuditFilter,
  limit: number,
): Promise<AuditRow[]> {
  const result = await sql<AuditRow>`WITH ${FILTERED(filter)}
    SELECT * FROM filtered ORDER BY occurred_ms DESC, audit_id DESC
    LIMIT ${limit + 1}`.execute(db);
  return result.rows;
}

/** The categories with at least one event, in the vocabulary's order. */
export async function presentCategories(db: Kysely<Database>): Promise<AuditCategory[]> {
  const result = await sql<{ action: string }>`SELECT DISTINCT action FROM audit_log`.execute(db);
  const present = new Set(result.rows.map((r) => r.action));
  const known = new Map(AUDIT_ACTIONS.map((a) => [a.action, a.category]));
  const categories = new Set<AuditCategory>();
  for (const action of present) categories.add(known.get(action) ?? OTHER_CATEGORY);
  return AUDIT_CATEGORIES.filter((c) => categories.has(c));
}
