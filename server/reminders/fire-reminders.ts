/**
 * 提醒: turns the warehouse's state into inbox rows, set-based. Each kind is one
 * `INSERT … SELECT … ON CONFLICT (user_id, dedupe_key) DO NOTHING` into notifications, so a
 * reminder fires once per event key however often this runs, and fires again only when
 * the event's key changes (a flag reopened, a new deadline, a complaint handed on again).
 *
 * - FLAG_RAISED: a flag waiting for its first step (status OPEN) on a school a 督学 is
 *   assigned to now, unless that 督学 raised it; key `flag:<id>:raised:<last RAISED/REOPENED event>`.
 * - DEADLINE_SOON: a flag in rectification whose deadline is today or within
 *   `reminders.deadline_warning_days` days; key `flag:<id>:deadline-soon:<deadline>`.
 * - OVERDUE: a flag overdue today (flag-statuses.ts's one definition); key
 *   `flag:<id>:overdue:<deadline>`.
 * - COMPLAINT_ASSIGNED: an unclosed complaint's handler, unless they assigned it to
 *   themselves (a 督学 recording a complaint handles it); key
 *   `complaint:<id>:assigned:<handler>:<last ASSIGNED event>`.
 * - REPORT_MISSING: the previous month's report of a school the 督学 was assigned to in
 *   that month, not received though its deadline (MonthRules.reportDueAt) has passed; key
 *   `report:<school>:<month>:missing`.
 *
 * Flag reminders go to the 督学 users assigned to the school now (remit.ts), complaint
 * reminders to the handler. Titles and bodies name the school and the rule, never pupils'
 * data, complainants or the allegation's words: they are pushed to group chats as well.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { addMonths, currentDate, currentMonth } from '../db/calendar.ts';
import type { Database } from '../db/database.ts';
import { DEADLINE_STATUS, flagOverdueSql } from '../db/flag-statuses.ts';
import { assignmentPeriodsSql, periodHoldsSql } from '../db/remit.ts';
import type { ReminderKind } from '../db/tables/notifications.table.ts';
import { OPEN_COMPLAINT_STATUSES } from '../db/vocabulary/complaint-vocabulary.ts';
import { reminderKindLabel } from '../db/vocabulary/reminder-kinds.ts';
import { FLAG_CATALOGUE } from '../policy/flag-catalogue.ts';
import { monthRules } from '../policy/month-rules.ts';
import { policyFor, type DistrictPolicy } from '../policy/policy.ts';

/** One inbox row written by a run. */
export interface FiredReminder {
  notification_id: number;
  user_id: number;
  kind: ReminderKind;
  dedupe_key: string;
  title: string;
  body: string;
  link: string | null;
}

export interface FireResult {
  /** Rows written per kind (0 when nothing new). */
  byKind: Record<ReminderKind, number>;
  fired: FiredReminder[];
}

/** SELECT user_id, school_code of the 督学 users assigned to schools in `month`. */
function assignedUsersSql(month: string): RawBuilder<unknown> {
  return sql`SELECT DISTINCT p.school_code, u.user_id
    FROM (${assignmentPeriodsSql(null)}) p
    JOIN users u ON u.inspector_id = p.inspector_id
      AND u.role = 'SUPERVISING_INSPECTOR' AND NOT u.disabled
    WHERE ${periodHoldsSql(sql`p.valid_from`, sql`p.valid_until`, sql`${month}`)}`;
}

/** VALUES (code, zh) of the flag catalogue, so messages name a rule in words. */
function catalogueSql(): RawBuilder<unknown> {
  const rows = [...FLAG_CATALOGUE.values()].map((c) => sql`(${c.code}, ${c.zh})`);
  return sql`SELECT * FROM (VALUES ${sql.join(rows)}) AS v(code, zh)`;
}

const label = (kind: ReminderKind): RawBuilder<string> => sql`${reminderKindLabel(kind)}`;

/** `INSERT … SELECT` of one kind's rows; `rows` selects the notification columns. */
async function insertKind(
  db: Kysely<Database>,
  kind: ReminderKind,
  rows: RawBuilder<unknown>,
  now: Date,
): Promise<FiredReminder[]> {
  const result = await sql<FiredReminder>`INSERT INTO notifications
      (user_id, kind, dedupe_key, school_code, month, title, body, link, created_at)
    SELECT DISTINCT ON (r.user_id, r.dedupe_key) r.user_id, ${kind}, r.dedupe_key,
      r.school_code, r.month, r.title, r.body, r.link, ${now.toISOString()}::TIMESTAMPTZ
    FROM (${rows}) r
    ON CONFLICT (user_id, dedupe_key) DO NOTHING
    RETURNING notification_id, user_id, kind, dedupe_key, title, body, link`.execute(db);
  return result.rows.map((r) => ({
    ...r,
    notification_id: Number(r.notification_id),
    user_id: Number(r.user_id),
  }));
}

/** Flag rows of `where` joined with the school, its 督学 now and the rule's words. */
function flagRows(
  nowMonth: string,
  where: RawBuilder<boolean>,
  key: RawBuilder<string>,
  title: RawBuilder<string>,
  body: RawBuilder<string>,
): RawBuilder<unknown> {
  return sql`WITH cat AS (${catalogueSql()}),
      who AS (${assignedUsersSql(nowMonth)}),
      lastraise AS (
        SELECT e.flag_id, max(e.event_id) AS event_id FROM flag_events e
        WHERE e.action IN ('RAISED', 'REOPENED') GROUP BY e.flag_id)
    SELECT w.user_id, ${key} AS dedupe_key, f.school_code, f.month,
      ${title} AS title, ${body} AS body, '/flags?flag=' || f.flag_id AS link
    FROM flags f
    JOIN schools s ON s.school_code = f.school_code
    JOIN who w ON w.school_code = f.school_code
    LEFT JOIN cat c ON c.code = f.code
    LEFT JOIN lastraise lr ON lr.flag_id = f.flag_id
    WHERE ${where}`;
}

const flagName = sql<string>`coalesce(c.zh, f.code)`;
const deadlineText = sql<string>`strftime(f.rectify_deadline, '%Y-%m-%d')`;

/** Writes every reminder due at `now` and answers what it wrote. */
export async function fireReminders(
  db: Kysely<Database>,
  policy: DistrictPolicy,
  now: Date,
): Promise<FireResult> {
  const today = currentDate(now);
  const nowMonth = currentMonth(now);
  const warnDays = policyFor(policy, nowMonth).reminders.deadline_warning_days;
  const fired: FiredReminder[] = [];
  const byKind = {} as Record<ReminderKind, number>;
  const run = async (kind: ReminderKind, rows: RawBuilder<unknown>): Promise<void> => {
    const out = await insertKind(db, kind, rows, now);
    byKind[kind] = out.length;
    fired.push(...out);
  };

  await run(
    'FLAG_RAISED',
    flagRows(
      nowMonth,
      // Who raised the flag (a visit's or a complaint's finding) knows of it already.
      sql`f.status = 'OPEN' AND NOT EXISTS (SELECT 1 FROM users u
        WHERE u.user_id = w.user_id AND u.username = f.raised_by)`,
      sql`'flag:' || f.flag_id || ':raised:' || coalesce(lr.event_id, 0)`,
      sql`${label('FLAG_RAISED')} || '：' || s.school_name`,
      // A report flag's detail is the engine's sentence of figures; an inspection flag's is
      // a person's words (a complaint's, perhaps naming someone), so it stays in the app.
      sql`coalesce(f.month || ' ', '') || ${flagName}
        || CASE WHEN f.source = 'report' THEN '：' || f.detail ELSE '' END`,
    ),
  );
  await run(
    'DEADLINE_SOON',
    flagRows(
      nowMonth,
      sql`f.status = ${DEADLINE_STATUS} AND f.rectify_deadline >= ${today}::DATE
        AND f.rectify_deadline <= ${today}::DATE + ${warnDays}::INTEGER`,
      sql`'flag:' || f.flag_id || ':deadline-soon:' || ${deadlineText}`,
      sql`${label('DEADLINE_SOON')} || '：' || s.school_name`,
      sql`${flagName} || ' 的整改期限为 ' || ${deadlineText} || '，请督促学校按期整改'`,
    ),
  );
  await run(
    'OVERDUE',
    flagRows(
      nowMonth,
      flagOverdueSql(today, 'f'),
      sql`'flag:' || f.flag_id || ':overdue:' || ${deadlineText}`,
      sql`${label('OVERDUE')} || '：' || s.school_name`,
      sql`${flagName} || ' 的整改期限 ' || ${deadlineText} || ' 已过，尚未整改完毕'`,
    ),
  );
  await run(
    'COMPLAINT_ASSIGNED',
    sql`WITH cat AS (${catalogueSql()}),
        lastassign AS (
          SELECT e.complaint_id, max(e.event_id) AS event_id,
            arg_max(e.user_id, e.event_id) AS assigner
          FROM complaint_events e
          WHERE e.action = 'ASSIGNED' GROUP BY e.complaint_id)
      SELECT k.handler_user_id AS user_id,
        'complaint:' || k.complaint_id || ':assigned:' || k.handler_user_id || ':'
          || coalesce(la.event_id, 0) AS dedupe_key,
        k.school_code, k.month,
        ${label('COMPLAINT_ASSIGNED')} || '：' || s.school_name AS title,
        '一件' || coalesce(c.zh, k.flag_code) || '方面的投诉交由您办理，办理时限 '
          || strftime(k.deadline, '%Y-%m-%d') AS body,
        '/complaints?open=' || k.complaint_id AS link
      FROM complaints k
      JOIN schools s ON s.school_code = k.school_code
      JOIN users u ON u.user_id = k.handler_user_id AND NOT u.disabled
      LEFT JOIN cat c ON c.code = k.flag_code
      LEFT JOIN lastassign la ON la.complaint_id = k.complaint_id
      WHERE k.status IN (${sql.join(OPEN_COMPLAINT_STATUSES.map((st) => sql`${st}`))})
        -- A 督学 who records a complaint handles it: no need to tell them.
        AND coalesce(la.assigner, k.created_by_user_id) <> k.handler_user_id`,
  );

  const lastMonth = addMonths(nowMonth, -1);
  const rules = monthRules(policy, lastMonth);
  if (rules.serviceMonth && Date.parse(rules.reportDueAt) < now.getTime()) {
    const monthStart = `${lastMonth}-01`;
    await run(
      'REPORT_MISSING',
      sql`WITH who AS (${assignedUsersSql(lastMonth)})
        SELECT w.user_id, 'report:' || s.school_code || ':' || ${lastMonth} || ':missing' AS dedupe_key,
          s.school_code, ${lastMonth} AS month,
          ${label('REPORT_MISSING')} || '：' || s.school_name AS title,
          ${`${lastMonth} 月报截至报送期限仍未收到，请督促学校报送`} AS body,
          '/submissions' AS link
        FROM schools s
        JOIN who w ON w.school_code = s.school_code
        WHERE (s.valid_from IS NULL OR s.valid_from < ${monthStart}::DATE + INTERVAL 1 MONTH)
          AND (s.valid_to IS NULL OR s.valid_to > ${monthStart}::DATE)
          AND NOT EXISTS (SELECT 1 FROM monthly_reports r
            WHERE r.school_code = s.school_code AND r.month = ${lastMonth})`,
    );
  } else byKind.REPORT_MISSING = 0;

  return { byKind, fired };
}
