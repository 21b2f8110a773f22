/**
 * 提醒 for the API: a viewer reads and marks their own inbox only (user_id is the viewer's,
 * in every statement). A 督学's reminder about a school shows while the school is in their
 * remit now or was in the reminder's month (the flags' visibility rule), so a reassigned
 * school's news stops reaching its former 督学.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Viewer } from '../../auth/viewer.ts';
import { currentMonth, shanghaiIso } from '../../db/calendar.ts';
import type { Database } from '../../db/database.ts';
import { holderSeesSchoolSql } from '../../db/remit.ts';
import type { ReminderKind } from '../../db/tables/notifications.table.ts';
import { REMINDER_KIND_VOCABULARY, reminderKindLabel } from '../../db/vocabulary/reminder-kinds.ts';
import type { Reminder, ReminderPage, Resolvers } from '../__generated__/resolvers-types.ts';
import type { GraphQLContext } from '../context.ts';
import { BadUserInputError } from '../errors.ts';

export const MAX_REMINDERS_PAGE = 100;
/** Most ids one markRemindersRead names. */
export const MAX_MARK_IDS = 500;

/** SQL truth of "the notification aliased n is the viewer's to read". */
function mineSql(viewer: Viewer, now: Date): RawBuilder<boolean> {
  const own = sql<boolean>`n.user_id = ${viewer.userId}`;
  // The remit rule (server/db/remit.ts) for every role: a reminder kept from before a
  // binding changed never names a school the user no longer sees.
  return sql<boolean>`${own} AND (n.school_code IS NULL
    OR ${holderSeesSchoolSql(viewer, sql`n.school_code`, sql`${currentMonth(now)}`)}
    OR (n.month IS NOT NULL AND ${holderSeesSchoolSql(viewer, sql`n.school_code`, sql`n.month`)}))`;
}

interface Row {
  notification_id: number | bigint;
  kind: ReminderKind;
  title: string;
  body: string;
  school_code: string | null;
  month: string | null;
  link: string | null;
  created_ms: number | bigint;
  read: boolean;
}

const toReminder = (r: Row): Reminder => ({
  id: String(r.notification_id),
  kind: r.kind,
  kindLabel: reminderKindLabel(r.kind),
  title: r.title,
  body: r.body,
  schoolCode: r.school_code,
  month: r.month,
  link: r.link,
  createdAt: shanghaiIso(Number(r.created_ms)),
  read: r.read,
});

function cursorId(after: string | null | undefined): number | null {
  if (after == null || after === '') return null;
  if (!/^\d{1,15}$/u.test(after)) throw new BadUserInputError('游标无效 / bad cursor');
  return Number(after);
}

export async function unreadCount(
  db: Kysely<Database>,
  viewer: Viewer,
  now: Date,
): Promise<number> {
  const result = await sql<{ n: number }>`SELECT count(*)::INTEGER AS n FROM notifications n
    WHERE ${mineSql(viewer, now)} AND n.read_at IS NULL`.execute(db);
  return result.rows[0]?.n ?? 0;
}

export async function reminderPage(
  ctx: GraphQLContext,
  args: { unreadOnly?: boolean | null; first?: number | null; after?: string | null },
): Promise<ReminderPage> {
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 1 || first > MAX_REMINDERS_PAGE)
    throw new BadUserInputError(`first 须在 1–${MAX_REMINDERS_PAGE} / first must be 1..100`);
  const now = ctx.now();
  const after = cursorId(args.after);
  const mine = mineSql(ctx.viewer, now);
  const unreadOnly = args.unreadOnly === true ? sql`AND n.read_at IS NULL` : sql``;
  const [rows, totals] = await Promise.all([
    sql<Row>`SELECT n.notification_id, n.kind, n.title, n.body, n.school_code, n.month, n.link,
        epoch_ms(n.created_at) AS created_ms, n.read_at IS NOT NULL AS read
      FROM notifications n
      WHERE ${mine} ${unreadOnly}
        ${after === null ? sql`` : sql`AND n.notification_id < ${after}`}
      ORDER BY n.notification_id DESC LIMIT ${first + 1}`.execute(ctx.db),
    sql<{ total: number; unread: number }>`SELECT count(*)::INTEGER AS total,
        count(*) FILTER (WHERE n.read_at IS NULL)::INTEGER AS unread
      FROM notifications n WHERE ${mine}`.execute(ctx.db),
  ]);
  const more = rows.rows.length > first;
  const items = rows.rows.slice(0, first).map(toReminder);
  const t = totals.rows[0] ?? { total: 0, unread: 0 };
  return {
    total: args.unreadOnly === true ? t.unread : t.total,
    unread: t.unread,
    items,
    endCursor: more && items.length > 0 ? String(items[items.length - 1]?.id) : null,
  };
}

export async function markRead(
  ctx: GraphQLContext,
  args: { ids?: readonly string[] | null; all?: boolean | null },
): Promise<number> {
  const all = args.all === true;
  const ids = args.ids ?? [];
  if (!all && ids.length === 0) throw new BadUserInputError('请指定提醒 / name ids or all');
  if (ids.length > MAX_MARK_IDS)
    throw new BadUserInputError(`最多 ${MAX_MARK_IDS} 条 / at most ${MAX_MARK_IDS} ids`);
  const numbers = ids.map((id) => cursorId(id) as number);
  const now = ctx.now();
  const which = all
    ? sql``
    : sql`AND n.notification_id IN (${sql.join(numbers.map((id) => sql`${id}`))})`;
  return ctx.writer.write(
    async ({ db }) => {
      const result = await sql<{ notification_id: number }>`UPDATE notifications AS n
      SET read_at = ${now.toISOString()}::TIMESTAMPTZ
      WHERE ${mineSql(ctx.viewer, now)} AND n.read_at IS NULL ${which}
      RETURNING n.notification_id`.execute(db);
      return result.rows.length;
      // Quiet: reading changes nothing the reminders job judges, so it need not wake it.
    },
    { quiet: true },
  );
}

export const remindersResolvers: Resolvers = {
  Query: {
    reminders: (_parent, args, ctx) => reminderPage(ctx, args),
    unreadReminderCount: (_parent, _args, ctx) => unreadCount(ctx.db, ctx.viewer, ctx.now()),
    reminderKinds: () => REMINDER_KIND_VOCABULARY.map((k) => ({ ...k })),
  },
  Mutation: {
    markRemindersRead: (_parent, args, ctx) => markRead(ctx, args),
  },
};
