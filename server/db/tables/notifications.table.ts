import type { Generated, Selectable } from 'kysely';

/** Reminder kinds (labels: server/db/vocabulary/reminder-kinds.ts). */
export const REMINDER_KINDS = [
  'FLAG_RAISED',
  'DEADLINE_SOON',
  'OVERDUE',
  'COMPLAINT_ASSIGNED',
  'REPORT_MISSING',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const PUSH_CHANNEL_KINDS = ['DINGTALK', 'WECOM', 'EMAIL'] as const;
export type PushChannelKind = (typeof PUSH_CHANNEL_KINDS)[number];

/**
 * One reminder in a user's inbox (migration 0010). `dedupe_key` names the event (e.g.
 * `flag:42:deadline-soon:2026-12-10`): a reminder fires once per key, and re-arms when the
 * event changes its key (a new deadline, a reopened flag).
 */
export interface NotificationsTable {
  notification_id: Generated<number>;
  user_id: number;
  kind: ReminderKind;
  dedupe_key: string;
  school_code: string | null;
  month: string | null;
  title: string;
  body: string;
  /** The web app's route to the thing, e.g. /flags?flag=42. */
  link: string | null;
  created_at: Generated<string | Date>;
  read_at: string | Date | null;
}
export type Notification = Selectable<NotificationsTable>;

/**
 * A district push channel: a 钉钉 or 企业微信 group robot's webhook, or e-mail recipients
 * (SMTP settings come from the server's environment). `secret` is the 钉钉 加签 secret.
 * Configured with the CLI, never from the repo.
 */
export interface PushChannelsTable {
  channel_id: Generated<number>;
  kind: PushChannelKind;
  name: string;
  /** Webhook URL, or comma-separated e-mail addresses. */
  target: string;
  secret: string | null;
  /** Reminder kinds pushed (JSON array); null: every kind. */
  kinds_json: string | null;
  enabled: Generated<boolean>;
  created_at: Generated<string | Date>;
  updated_at: Generated<string | Date>;
}

export interface PushDeliveriesTable {
  delivery_id: Generated<number>;
  channel_id: number;
  /** The reminder event's key: a channel gets each event once. */
  dedupe_key: string;
  status: 'PENDING' | 'SENT' | 'FAILED';
  attempts: Generated<number>;
  last_error: string | null;
  payload_json: string;
  created_at: Generated<string | Date>;
  sent_at: string | Date | null;
}
